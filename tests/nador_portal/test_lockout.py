import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import PASSWORD, logged_in

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def _sign_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _fail_five_times(client, username: str) -> None:
    for _ in range(5):
        _sign_in(client, username, "not-the-password")


def test_the_login_url_is_djangos_sign_in_view():
    assert reverse("login") == LOGIN


def test_four_failures_still_show_the_sign_in_form(client, partner):
    for _ in range(4):
        response = _sign_in(client, "partner", "not-the-password")
    assert response.status_code == 200
    assert _sign_in(client, "partner", PASSWORD).status_code == 302


def test_five_failures_lock_the_account_with_a_clear_message(client, partner):
    for _ in range(4):
        _sign_in(client, "partner", "not-the-password")
    response = _sign_in(client, "partner", "not-the-password")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Sign-in locked" in content
    assert "after 5 failed sign-in attempts" in content
    assert "Try again in 15 minutes" in content


def test_the_right_password_is_refused_while_locked(client, partner):
    _fail_five_times(client, "partner")
    response = _sign_in(client, "partner", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_the_username_and_address_pair(client, partner, outsider):
    _fail_five_times(client, "partner")
    assert _sign_in(client, "outsider", PASSWORD).status_code == 302
    other_address = client.post(
        LOGIN, {"username": "partner", "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )
    assert other_address.status_code == 302


def test_the_lockout_page_is_translated(client, partner):
    _fail_five_times(client, "partner")
    response = client.post("/fr/accounts/login/", {"username": "partner", "password": PASSWORD})
    assert response.status_code == 429
    assert 'lang="fr"' in response.content.decode()


def test_after_unlock_command_the_right_password_works(client, partner):
    _fail_five_times(client, "partner")
    call_command("unlock_login", "partner")
    assert not AccessAttempt.objects.filter(username="partner").exists()
    response = _sign_in(client, "partner", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(partner.pk)


def test_a_successful_sign_in_forgets_earlier_failures(client, partner):
    for _ in range(4):
        _sign_in(client, "partner", "not-the-password")
    assert _sign_in(client, "partner", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "partner", "not-the-password")
    assert _sign_in(client, "partner", PASSWORD).status_code == 302


LOCKED_PAGE = "/en/security/locked-sign-ins/"


def test_a_coordinator_sees_and_unlocks_a_locked_sign_in(client, partner, coordinator):
    _fail_five_times(client, "partner")
    coordinator_client = logged_in(coordinator)
    page = coordinator_client.get(LOCKED_PAGE)
    assert page.status_code == 200
    assert "Unlock partner" in page.content.decode()
    response = coordinator_client.post(
        LOCKED_PAGE, {"username": "partner", "ip_address": "127.0.0.1"}, follow=True
    )
    assert "partner can sign in again." in response.content.decode()
    assert _sign_in(client, "partner", PASSWORD).status_code == 302


def test_an_unlock_with_a_malformed_address_changes_nothing(client, partner, coordinator):
    _fail_five_times(client, "partner")
    response = logged_in(coordinator).post(
        LOCKED_PAGE, {"username": "partner", "ip_address": "<script>"}
    )
    assert response.status_code == 200
    assert "could not be unlocked" in response.content.decode()
    assert _sign_in(client, "partner", PASSWORD).status_code == 429


def test_a_partner_may_not_open_the_locked_sign_ins(partner):
    assert logged_in(partner).get(LOCKED_PAGE).status_code == 403
    assert logged_in(partner).post(LOCKED_PAGE, {"username": "x"}).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_the_locked_sign_ins(client):
    response = client.get(LOCKED_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_the_locked_sign_ins_page_refuses_other_methods(coordinator):
    assert logged_in(coordinator).delete(LOCKED_PAGE).status_code == 405


def test_the_unlock_command_prints_a_summary(client, partner, capsys):
    _fail_five_times(client, "partner")
    call_command("unlock_login", "partner", ip="127.0.0.1")
    assert "partner unlocked (1 lockout records removed)" in capsys.readouterr().out


def test_the_admin_sign_in_locks_out_too(client, superuser):
    admin_login = reverse("admin:login")
    for _ in range(5):
        client.post(admin_login, {"username": "root", "password": "not-the-password"})
    response = client.post(admin_login, {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
