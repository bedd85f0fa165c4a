"""A coordinator's first sign-in sets up the second factor; the next one asks for a code.
Each of its pages fits a 360 px phone, passes axe and has one <h1>, in English and Arabic."""

import pytest
from django.conf import settings

from tests.browser.conftest import assert_no_serious_axe_violations, give_second_factor

PHONE = {"width": 360, "height": 740}


def assert_fits_a_phone(page) -> None:
    assert page.locator("h1").count() == 1, page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert_no_serious_axe_violations(page)


def sign_in_with_the_password(page, language: str) -> None:
    page.goto(f"/{language}/accounts/login/?next=/{language}/review/")
    page.locator("#id_username").fill("coordinator")
    page.locator("#id_password").fill(settings.DEMO_PASSWORD)
    page.locator("form.record-form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_coordinator_sets_up_a_second_factor_then_gives_a_code(page, demo_data, language):
    page.set_viewport_size(PHONE)
    sign_in_with_the_password(page, language)
    next_page = f"%2F{language}%2Freview%2F"
    assert page.url.endswith(f"/{language}/accounts/two-factor/set-up/?next={next_page}")
    assert page.locator("svg.qr-code").is_visible()
    assert_fits_a_phone(page)

    # A wrong code first: the page says so, in the page's language, and stays.
    page.locator("#id_code").fill("000000")
    page.locator("form.record-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".field-error").count() == 1
    assert_fits_a_phone(page)

    give_second_factor(page, "coordinator")  # reads the secret shown as text
    assert page.url.endswith(f"/{language}/review/")

    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    sign_in_with_the_password(page, language)
    assert f"/{language}/accounts/two-factor/?next=" in page.url
    assert_fits_a_phone(page)
    give_second_factor(page, "coordinator")
    assert page.url.endswith(f"/{language}/review/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_new_recovery_codes_fit_a_phone(page, demo_data, language):
    page.set_viewport_size(PHONE)
    sign_in_with_the_password(page, language)
    give_second_factor(page, "coordinator")
    page.goto(f"/{language}/accounts/two-factor/settings/")
    page.locator("form[action$='/recovery-codes/'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{language}/accounts/two-factor/recovery-codes/")
    assert page.locator(".recovery-codes li").count() == 10
    assert_fits_a_phone(page)
