"""A developer opens the API's docs: Swagger UI renders every operation from the portal's
own files, with no Content-Security-Policy error and no request to another host (the
`page` fixture fails on any)."""

from tests.api.helpers import build


def test_swagger_ui_renders_the_apis_operations_within_the_csp(page, asticude, acpp):
    build(asticude, acpp)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/api/docs/")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for(timeout=15_000)
    paths = {text.strip().replace("\u200b", "") for text in operations.all_inner_texts()}
    assert "/api/v1/practices/" in paths
    assert "/api/v1/practices/{slug}/" in paths
    assert len(paths) == 13
    # Try the list out: the request goes to the portal and comes back as JSON.
    page.locator(".opblock-summary-path", has_text="/api/v1/themes/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert not problems, problems


def test_redoc_renders_the_api_with_its_one_exception_for_inline_styles(page, asticude, acpp):
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto("/api/redoc/")
    page.get_by_text("Nador partners' portal API").first.wait_for(timeout=15_000)
    page.get_by_text("/api/v1/practices/").first.wait_for()
    # Redoc's sidebar links to Redocly with a logo from their CDN, written into its code:
    # the policy refuses it (and the `page` fixture checks that nothing was fetched).
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert not [problem for problem in problems if logo not in problem], problems
