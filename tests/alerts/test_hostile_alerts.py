"""Hostile input to the subscribe page: each gets a clear error in the page's language, keeps
what was typed, stores nothing and sends nothing."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from alerts.models import Subscription
from tests.alerts.helpers import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_stored_or_sent(mailoutbox):
    yield
    assert not Subscription.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", b"Enter a valid email address."),
        ("a@b.c\r\nBcc: victim@example.org", b"Enter a valid email address."),
        ("x" * 250 + "@example.org", b"at most 254 characters"),
        ("", b"This field is required."),
        ("<script>@example.org", b"Enter a valid email address."),
    ],
)
def test_a_bad_address_is_refused_and_kept(client, email, message):
    response = subscribe(client, email=email)
    assert response.status_code == 400
    assert message in response.content
    if email.strip() and "\n" not in email:
        assert f'value="{html.escape(email)}"'.encode() in response.content


def test_a_nul_byte_is_a_bad_request(client):
    response = subscribe(client, email="reader\x00@example.org")
    assert response.status_code == 400
    response = client.get(reverse("alerts:subscribe") + "?theme=%00")
    assert response.status_code == 400


def test_the_honeypot_filled_is_refused_and_the_address_kept(client):
    response = subscribe(client, website="https://spam.example")
    assert response.status_code == 400
    assert b"This field must be left empty." in response.content
    assert b'value="reader@example.org"' in response.content


def test_an_unknown_frequency_is_refused(client):
    response = subscribe(client, frequency="hourly")
    assert response.status_code == 400
    assert b"Select a valid choice." in response.content


@pytest.mark.parametrize(
    "query",
    [
        "theme=no-such-theme",
        "country=XX",
        "year=99999",
        "year=%C2%B2",
        "objective=99999999999999999999",
        "level=bogus",
        "available=klingon",
    ],
)
def test_bogus_filter_values_are_refused_with_a_clear_message(client, theme, query):
    page = client.get(f"{reverse('alerts:subscribe')}?{query}")
    assert page.status_code == 400
    assert b"This list cannot be followed" in page.content
    response = subscribe(client, query)
    assert response.status_code == 400
    assert b"This list cannot be followed" in response.content


def test_overlong_filters_are_refused(client):
    cities = "&".join(f"city={'c' * 90}{n}" for n in range(40))
    response = subscribe(client, cities)
    assert response.status_code == 400
    assert b"too many filters" in response.content


def test_the_errors_speak_the_pages_language(client):
    response = subscribe(client, email="nope", website="x", language="fr")
    assert response.status_code == 400
    assert b"Ce champ doit rester vide." in response.content
    assert b'lang="fr"' in response.content


def test_too_many_requests_from_one_address_are_refused(client, settings, mailoutbox):
    settings.ALERTS_ADDRESS_LIMIT = 2
    for n in range(2):
        assert subscribe(client, email=f"r{n}@example.org").status_code == 302
    response = subscribe(client, email="r9@example.org")
    assert response.status_code == 429
    assert b"Too many alert requests from this connection" in response.content
    assert b'value="r9@example.org"' in response.content
    assert Subscription.objects.count() == 2
    Subscription.objects.all().delete()
    mailoutbox.clear()


def test_too_many_requests_for_one_email_address_are_refused(client, settings, mailoutbox):
    settings.ALERTS_EMAIL_LIMIT = 1
    assert subscribe(client, email="reader@example.org").status_code == 302
    response = subscribe(client, email="READER@Example.org", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert b"Too many alert requests for this e-mail address" in response.content
    assert Subscription.objects.count() == 1
    Subscription.objects.all().delete()
    mailoutbox.clear()


def test_a_post_without_its_csrf_token_is_refused():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = subscribe(client)
    assert response.status_code == 403
