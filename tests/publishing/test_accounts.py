"""Sign-in, sign-out, password change and reset, and invitations."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from stakeholders.models import Membership
from tests.conftest import PASSWORD, sign_in
from tests.workspace_helpers import CsrfClient, client_for

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_one_heading_and_labelled_inputs(client):
    response = client.get("/en/accounts/login/")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert '<label for="id_username"' in content
    assert '<label for="id_password"' in content


def test_a_partner_signs_in_with_csrf_and_lands_in_the_workspace(partner):
    client = CsrfClient()
    response = client.post("/en/accounts/login/", {"username": "partner", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/workspace/"


def test_a_wrong_password_is_refused_with_a_clear_message(partner):
    response = CsrfClient().post("/fr/accounts/login/", {"username": "partner", "password": "x"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_sign_out_accepts_only_post(partner):
    client = client_for(partner)
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.get("/en/workspace/").status_code == 200
    assert client.post("/en/accounts/logout/").status_code == 302
    assert client.get("/en/workspace/").status_code == 302


def test_the_header_offers_sign_in_or_the_workspace_and_sign_out(partner, coordinator):
    anonymous = Client().get("/en/").content.decode()
    assert "/en/accounts/login/" in anonymous
    signed_in = client_for(partner).get("/en/").content.decode()
    assert "/en/workspace/" in signed_in
    assert "/en/accounts/logout/" in signed_in
    assert "/en/review/" not in signed_in
    assert "/en/review/" in client_for(coordinator).get("/en/").content.decode()


def test_password_change_needs_sign_in_then_works(partner):
    assert Client().get("/en/accounts/password_change/").status_code == 302
    client = client_for(partner)
    response = client.post(
        "/en/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-77",
            "new_password2": "another-long-password-77",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.check_password("another-long-password-77")


def test_password_reset_sends_a_link_that_sets_a_new_password(partner):
    client = CsrfClient()
    response = client.post("/en/accounts/password_reset/", {"email": partner.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert PASSWORD not in message.body
    link = re.search(r"http://testserver(/en/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-password-9", "new_password2": "a-brand-new-password-9"},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.check_password("a-brand-new-password-9")


# Invitations


def invitation(organisation, **changes) -> dict:
    return {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "first_name": "Nadia",
        "organisation": organisation.pk,
        **changes,
    }


def test_coordinator_invites_a_partner_who_chooses_a_password_by_link(coordinator, asticude):
    client = client_for(coordinator)
    assert client.get("/en/accounts/invite/").status_code == 200
    response = client.post("/en/accounts/invite/", invitation(asticude))
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newcomer")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, stakeholder=asticude).exists()
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.org"]
    link = re.search(r"http://testserver(/en/accounts/reset/\S+/)", message.body).group(1)
    invited = CsrfClient()
    form_url = invited.get(link)["Location"]
    invited.post(
        form_url,
        {"new_password1": "my-own-password-2026", "new_password2": "my-own-password-2026"},
    )
    user.refresh_from_db()
    assert user.check_password("my-own-password-2026")
    signed_in = invited.post(
        "/en/accounts/login/", {"username": "newcomer", "password": "my-own-password-2026"}
    )
    assert signed_in["Location"] == "/en/workspace/"


def test_an_invitation_with_a_taken_username_is_refused_and_makes_nothing(
    coordinator, partner, asticude
):
    response = client_for(coordinator).post(
        "/en/accounts/invite/", invitation(asticude, username="partner")
    )
    assert response.status_code == 400
    assert "This username is already taken." in response.content.decode()
    assert get_user_model().objects.filter(username="partner").count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_cannot_invite(request, persona, asticude):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/en/accounts/invite/").status_code == 403
    assert client.post("/en/accounts/invite/", invitation(asticude)).status_code == 403
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_anonymous_visitor_is_sent_to_sign_in_from_the_invitation_page(client, asticude):
    assert client.get("/en/accounts/invite/").status_code == 302
    assert Client().post("/en/accounts/invite/", invitation(asticude)).status_code == 302
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_an_invitation_without_the_csrf_token_is_refused(coordinator, asticude):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator)
    assert client.post("/en/accounts/invite/", invitation(asticude)).status_code == 403
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_an_invited_partner_whose_link_expired_may_ask_for_a_new_one(coordinator, asticude):
    client_for(coordinator).post("/en/accounts/invite/", invitation(asticude))
    mail.outbox.clear()
    CsrfClient().post("/en/accounts/password_reset/", {"email": "newcomer@example.org"})
    (message,) = mail.outbox
    assert message.to == ["newcomer@example.org"]
    assert "/en/accounts/reset/" in message.body


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same():
    response = CsrfClient().post("/en/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []
