"""The programme in numbers in a browser (a phone, Arabic, print, axe) and the structured
data of public pages under the portal's CSP: a JSON-LD data block is never executed, so
Chromium reports no violation for it."""

import json

import pytest

from tests.browser.conftest import assert_no_serious_axe_violations

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def watched(page) -> list[str]:
    """Console errors of the page from now on; CSP violations are reported there too."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.add_init_script(WATCH_CSP)
    return errors


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_programme_in_numbers_fits_a_phone_and_passes_axe(page, demo_data, language):
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/numbers/")
    assert page.locator("h1").count() == 1
    assert page.locator("svg[role=img]").count() >= 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    assert page.evaluate("window.__csp") == [] and errors == []


def test_a_visitor_narrows_the_numbers_to_a_theme_and_prints_them(page, demo_data):
    page.goto("/en/")
    page.get_by_role("link", name="The programme in numbers").first.click()
    page.wait_for_load_state()
    assert "/en/numbers/" in page.url
    page.locator(".numbers-table").first.get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "theme=" in page.url
    assert page.locator(".chip").count() == 1
    assert_no_serious_axe_violations(page)
    page.emulate_media(media="print")
    assert page.locator(".numbers-filters").is_hidden()
    assert page.locator(".chips").is_visible()
    assert page.locator("svg.chart").first.is_visible()


@pytest.mark.parametrize(
    "path",
    ["/en/", "/ar/practices/social-and-sustainable-nador/", "/en/stakeholders/asticude/"],
)
def test_structured_data_is_read_and_never_reported_by_the_csp(page, demo_data, path):
    errors = watched(page)
    page.goto(path)
    page.wait_for_load_state("load")
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    data = json.loads(blocks.text_content())
    assert data["@context"] == "https://schema.org"
    assert (
        page.locator('meta[property="og:image"]')
        .get_attribute("content")
        .endswith("/static/img/card.png")
    )
    assert page.evaluate("window.__csp") == []
    assert not [error for error in errors if "Content Security Policy" in error], errors
