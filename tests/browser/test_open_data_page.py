"""The open-data page in a browser: a phone, Arabic, axe and the portal's CSP."""

import pytest

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_numbers_and_previews import watched


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_open_data_page_fits_a_phone_and_passes_axe(page, demo_data, language):
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/data/")
    assert page.locator("h1").count() == 1
    assert page.locator("section h2").count() == 4  # practices, stakeholders, events, categories
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    assert page.evaluate("window.__csp") == [] and errors == []


def test_a_visitor_finds_the_open_data_from_the_footer(page, demo_data):
    page.goto("/en/")
    page.get_by_role("link", name="Open data", exact=True).click()
    assert page.url.endswith("/en/data/")
    assert page.get_by_role("link", name="CSV (CC-BY-4.0)").count() == 4
