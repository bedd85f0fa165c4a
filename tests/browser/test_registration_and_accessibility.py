"""The accessibility statement and registering for a Migration Week event, in a browser: a
phone's width, four languages, axe and the portal's CSP; the waiting list when it is full."""

import pytest

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.browser.test_numbers_and_previews import watched

WORKSHOP = "workshop-reporting-on-migration-without-stereotypes"


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es"])
def test_the_accessibility_statement_fits_a_phone_and_passes_axe(page, demo_data, language):
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/accessibility/")
    assert page.locator("h1").count() == 1
    assert page.locator("main section h2").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    assert page.evaluate("window.__csp") == [] and errors == []


def test_a_visitor_finds_the_statement_from_the_footer(page, demo_data):
    page.goto("/en/events/")
    page.locator("footer").get_by_role("link", name="Accessibility").click()
    assert page.url.endswith("/en/accessibility/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_event_page_with_its_form_fits_a_phone_and_passes_axe(page, demo_data, language):
    errors = watched(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/{language}/events/{WORKSHOP}/")
    assert page.locator("#registration form").count() == 1
    assert not page.locator("#id_website").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    assert page.evaluate("window.__csp") == [] and errors == []
    page.locator("#registration button[type=submit]").click()  # empty: the errors show
    page.wait_for_load_state()
    assert page.locator("#registration .errorlist").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    # The refused form comes back as a 400, which Chromium reports; nothing else may be.
    assert page.evaluate("window.__csp") == []
    assert all("status of 400" in error for error in errors)


def test_a_visitor_registers_with_the_keyboard_and_then_the_waiting_list(page, demo_data):
    from events.models import Event, Registration

    Event.objects.filter(slug=WORKSHOP).update(registration_capacity=1)
    page.goto(f"/en/events/{WORKSHOP}/")
    page.locator("#id_name").fill("Amina")
    page.locator("#id_email").fill("amina@example.org")
    page.locator("#id_consent").check()
    page.locator("#id_consent").press("Enter")  # submits the form from the keyboard
    page.wait_for_load_state()
    assert "You are registered." in page.locator(".messages").inner_text()
    assert "The event is full." in page.locator("#registration").inner_text()
    page.locator("#id_name").fill("Youssef")
    page.locator("#id_email").fill("youssef@example.org")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Join the waiting list").click()
    page.wait_for_load_state()
    assert "you are on the waiting list" in page.locator(".messages").inner_text()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"amina@example.org": "confirmed", "youssef@example.org": "waiting"}
