"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
database calls from that thread unless DJANGO_ALLOW_ASYNC_UNSAFE is set; it is set here,
for the browser tests alone. Playwright never downloads a browser: it is given the
machine's Chromium. Outside CI, the tests skip with a message when there is none; in CI
a missing Chromium is a failure.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}")
        pytest.skip("No Chromium found (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    leaks: list[str] = []

    def refuse_other_hosts(route):
        leaks.append(route.request.url)
        route.abort()

    # Every asset must come from the portal itself: any other host is a failure.
    page.route(lambda url: not url.startswith(live_server.url), refuse_other_hosts)
    yield page
    context.close()
    assert not leaks, f"The page asked for other hosts: {leaks}"


@pytest.fixture
def demo_data(transactional_db, settings):
    from django.core.management import call_command

    settings.DEBUG = True  # load_demo makes the demo accounts only in DEBUG
    call_command("load_demo")
    settings.DEBUG = False


def assert_no_serious_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in serious
    )
