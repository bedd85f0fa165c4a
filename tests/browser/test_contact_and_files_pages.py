"""The contact form of a practice and a partner's page of documents and images, in a
browser: a phone's width, Arabic (right to left), axe and the portal's CSP; both forms
answer an empty submission with their errors, without JavaScript's help."""

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_numbers_and_previews import watched
from tests.browser.test_partner_journey import sign_in

NADOR = "social-and-sustainable-nador"


def _fits_and_passes(page, errors) -> None:
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    assert page.evaluate("window.__csp") == [] and errors == []


def test_the_contact_form_fits_a_phone_in_arabic_and_passes_axe(page, demo_data):
    language = "ar"
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/practices/{NADOR}/")
    page.locator(f'a[href="/{language}/practices/{NADOR}/contact/"]').click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    _fits_and_passes(page, errors)
    page.locator("main form button[type=submit]").click()  # nothing typed: the errors show
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1
    # The refusal is a 400, which the browser reports as a failed load: that one only.
    assert [error for error in errors if "status of 400" not in error] == []
    errors.clear()
    _fits_and_passes(page, errors)


def test_the_files_page_of_a_practice_fits_a_phone_in_arabic_and_passes_axe(page, demo_data):
    sign_in(page, "asticude")
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/ar/workspace/practices/{NADOR}/files/")
    assert page.locator("h1").count() == 1
    _fits_and_passes(page, errors)
