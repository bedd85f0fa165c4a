"""Guessing passwords is limited beyond django-axes' (user name, address) lockout: across user
names from one address, by password-reset requests, and on the password-change form."""

import pytest
from django.core import mail

from tests.conftest import PASSWORD
from tests.workspace_helpers import client_for

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
RESET = "/en/accounts/password_reset/"
CHANGE = "/en/accounts/password_change/"


def _sign_in(client, username, password, address="203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_address_spraying_many_user_names_is_paused_with_a_clear_page(
    client, settings, partner
):
    settings.SIGN_IN_ADDRESS_LIMIT = 6
    for number in range(6):  # one try per user name: axes' pair lockout never triggers
        assert _sign_in(client, f"user{number}", "Winter2026!").status_code == 200
    response = _sign_in(client, "partner", PASSWORD)
    assert response.status_code == 429
    assert (
        "Sign-ins from this connection are paused after 6 failed attempts"
        in response.content.decode()
    )
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_the_owner_of_a_sprayed_account_still_signs_in_from_their_own_address(
    client, settings, partner
):
    settings.SIGN_IN_ADDRESS_LIMIT = 3
    for number in range(3):
        _sign_in(client, f"user{number}", "wrong")
    assert _sign_in(client, "partner", PASSWORD, address="198.51.100.20").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_address_limit(client, settings, partner):
    settings.SIGN_IN_ADDRESS_LIMIT = 2
    for _ in range(4):
        assert _sign_in(client, "partner", PASSWORD).status_code == 302
        client.logout()


def test_the_lockout_page_is_never_cached(client, partner):
    for _ in range(5):
        response = _sign_in(client, "partner", "wrong")
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]


def test_password_reset_requests_are_limited_per_address(settings, partner):
    settings.PASSWORD_RESET_LIMIT = 2
    client = client_for()
    for _ in range(2):
        assert client.post(RESET, {"email": f"x{_}@example.org"}).status_code == 302
    response = client.post(RESET, {"email": partner.email})
    assert response.status_code == 429
    assert "Too many reset requests from this connection" in response.content.decode()
    assert mail.outbox == []
    other = client_for().post(RESET, {"email": partner.email}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302
    assert len(mail.outbox) == 1


def test_a_victims_mailbox_is_not_flooded_with_reset_links(settings, partner):
    settings.PASSWORD_RESET_LIMIT = 3
    for number in range(6):  # from six addresses, so the address limit is never reached
        client_for().post(RESET, {"email": partner.email}, REMOTE_ADDR=f"192.0.2.{number}")
    assert len(mail.outbox) == 3


def _change(client, old):
    new = "another-long-password-77"
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_wrong_current_passwords_on_the_change_form_lock_it_even_for_the_right_one(partner):
    client = client_for(partner)
    for _ in range(5):
        assert (
            "Your old password was entered incorrectly" in _change(client, "wrong").content.decode()
        )
    response = _change(client, PASSWORD)
    assert response.status_code == 200
    assert "Too many wrong passwords. Try again in" in response.content.decode()
    partner.refresh_from_db()
    assert partner.check_password(PASSWORD)


def test_a_few_wrong_current_passwords_then_the_right_one_change_it(partner):
    client = client_for(partner)
    for _ in range(4):
        _change(client, "wrong")
    assert _change(client, PASSWORD).status_code == 302
    partner.refresh_from_db()
    assert partner.check_password("another-long-password-77")
