"""Leaving: one click from the mail client (RFC 8058), the page of the link, the page of
all one's alerts; a forged or stale link changes nothing."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.models import Subscription
from alerts.tokens import make_token
from tests.project import database_state

pytestmark = pytest.mark.django_db


def alert(email="reader@example.org", filters="", **fields) -> Subscription:
    fields.setdefault("confirmed_at", timezone.now())
    return Subscription.objects.create(email=email, language="en", filters=filters, **fields)


def url(name: str, subscription: Subscription, purpose: str | None = None) -> str:
    token = make_token(subscription, purpose or name)
    return reverse(f"alerts:{name}", kwargs={"token": token})


@pytest.fixture
def csrf_client() -> Client:
    """A client that checks CSRF tokens, as a browser or a mail client meets the site."""
    return Client(enforce_csrf_checks=True)


def test_a_one_click_post_unsubscribes_without_a_csrf_token(csrf_client):
    subscription = alert()
    response = csrf_client.post(url("unsubscribe", subscription), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_opening_the_unsubscribe_link_changes_nothing_and_offers_a_button(csrf_client):
    subscription = alert()
    response = csrf_client.get(url("unsubscribe", subscription))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_button_of_the_page_unsubscribes_and_deletes_the_address(csrf_client):
    subscription = alert()
    response = csrf_client.post(url("unsubscribe", subscription))
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:unsubscribed")
    assert not Subscription.objects.filter(email="reader@example.org").exists()


def test_unsubscribing_leaves_the_addresss_other_alerts(client):
    one, other = alert(), alert(filters="country=MA")
    client.post(url("unsubscribe", one), {"List-Unsubscribe": "One-Click"})
    assert list(Subscription.objects.all()) == [other]


@pytest.mark.parametrize("name", ["confirm", "unsubscribe", "manage"])
def test_a_forged_or_stale_link_is_a_404_that_says_so_and_changes_nothing(client, name):
    subscription = alert(confirmed_at=None)
    good = make_token(subscription, name)
    forged = [
        good[:-1] + ("A" if good[-1] != "A" else "B"),
        "x" * 500,
        subscription.key,  # the key without its signature
        make_token(alert(email="other@example.org"), "manage" if name != "manage" else "confirm"),
    ]
    before = database_state()
    for token in forged:
        target = reverse(f"alerts:{name}", kwargs={"token": token})
        for response in (client.get(target), client.post(target, {"delete": "all"})):
            assert response.status_code == 404
            assert b"This link does not work" in response.content
    assert database_state() == before
    subscription.delete()
    response = client.post(url(name, Subscription(key=good.split(":")[0]), name))
    assert response.status_code == 404


def test_an_expired_confirmation_link_is_refused(client, settings):
    subscription = alert(confirmed_at=None)
    days_ago = time.time() - (settings.ALERTS_CONFIRM_DAYS * 24 + 1) * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=days_ago):
        link = url("confirm", subscription)
    response = client.post(link)
    assert response.status_code == 404
    assert Subscription.objects.get(pk=subscription.pk).confirmed_at is None
    assert client.post(url("confirm", subscription)).status_code == 302  # a fresh one works


def test_the_manage_page_lists_the_addresss_alerts_and_no_one_elses(client):
    mine = alert(filters="country=MA")
    alert(filters="country=ES")
    alert(email="someone@example.org", filters="country=FR")
    response = client.get(url("manage", mine))
    assert response.status_code == 200
    assert b"Morocco" in response.content and b"Spain" in response.content
    assert b"France" not in response.content and b"someone@" not in response.content


def test_deleting_the_alert_of_the_link_leads_to_a_link_that_still_works(client):
    first, second = alert(filters="country=MA"), alert(filters="country=ES")
    response = client.post(url("manage", first), {"delete": str(first.pk)})
    assert list(Subscription.objects.all()) == [second]
    assert response["Location"] == url("manage", second)
    assert client.get(response["Location"]).status_code == 200


def test_deleting_all_deletes_every_alert_of_the_address_only(client):
    first = alert(filters="country=MA")
    alert(filters="country=ES")
    stranger = alert(email="someone@example.org")
    response = client.post(url("manage", first), {"delete": "all"})
    assert response["Location"] == reverse("alerts:unsubscribed")
    assert list(Subscription.objects.all()) == [stranger]


def test_another_addresss_alert_cannot_be_deleted_from_the_page(client):
    mine = alert()
    stranger = alert(email="someone@example.org")
    for value in (str(stranger.pk), "", "999999", "1 OR 1=1"):
        response = client.post(url("manage", mine), {"delete": value})
        assert response.status_code == 400
        assert b"Choose an alert to delete." in response.content
    assert Subscription.objects.count() == 2
