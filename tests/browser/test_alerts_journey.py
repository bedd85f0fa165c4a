"""A visitor subscribes to a theme's new practices, confirms from the mail and leaves again:
in English and in Arabic (right to left), on a small phone, checked by axe on every page."""

import re

from django.core import mail

from tests.browser.conftest import assert_no_serious_axe_violations


def _path_of_first_link(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_visitor_subscribes_to_a_theme_confirms_and_unsubscribes(page, demo_data):
    from alerts.models import Subscription
    from alerts.tokens import make_token

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/ar/themes/intercultural-dialogue/")
    page.locator("a.alerts-link").click()
    page.wait_for_load_state()
    assert "/ar/alerts/new/?theme=intercultural-dialogue" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert not page.locator("#id_website").is_visible()  # the honeypot
    _fits_the_phone(page)
    assert_no_serious_axe_violations(page)

    page.fill("#id_email", "not-an-address")
    page.locator(".alerts-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_email").input_value() == "not-an-address"
    assert_no_serious_axe_violations(page)

    page.fill("#id_email", "reader@example.org")
    page.locator("input[name=frequency][value=daily]").check()
    page.locator(".alerts-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/ar/alerts/new/sent/" in page.url
    assert_no_serious_axe_violations(page)

    [confirmation] = mail.outbox
    page.goto(_path_of_first_link(confirmation))
    assert_no_serious_axe_violations(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/ar/alerts/manage/" in page.url
    _fits_the_phone(page)
    assert_no_serious_axe_violations(page)

    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None and subscription.language == "ar"
    page.goto(f"/en/alerts/unsubscribe/{make_token(subscription, 'unsubscribe')}/")
    assert_no_serious_axe_violations(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/en/alerts/unsubscribed/" in page.url
    assert not Subscription.objects.exists()
