"""Signed-in sessions end after an absolute lifetime as well as when idle, and nothing shown to
a signed-in user may be stored by a cache (the access matrix checks every URL)."""

import time

import pytest

from nador_portal.signin import SIGNED_IN_AT
from tests.workspace_helpers import client_for

pytestmark = pytest.mark.django_db


def _age_session(client, seconds: int) -> None:
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - seconds
    session.save()


def test_a_session_within_its_lifetime_stays_signed_in(settings, partner):
    client = client_for(partner)
    _age_session(client, settings.SESSION_MAX_AGE - 60)
    assert client.get("/en/workspace/").status_code == 200


def test_an_active_session_ends_after_its_absolute_lifetime(settings, partner):
    client = client_for(partner)
    _age_session(client, settings.SESSION_MAX_AGE + 1)
    response = client.get("/en/workspace/", follow=True)
    assert response.redirect_chain[0][0].startswith("/en/accounts/login/")
    assert "you were signed out after 12 hours" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_without_a_sign_in_time_is_ended(partner):
    client = client_for(partner)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get("/en/workspace/").status_code == 302


def test_public_pages_for_anonymous_visitors_stay_cacheable(client, published_practice):
    response = client.get(f"/en/practices/{published_practice.slug}/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_public_page_seen_signed_in_is_not_stored(partner, published_practice):
    response = client_for(partner).get(f"/en/practices/{published_practice.slug}/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
