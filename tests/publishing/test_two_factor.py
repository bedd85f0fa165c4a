"""The second factor: asked of coordinators and superusers after their password (tests run
with DEBUG off, so TWO_FACTOR_REQUIRED is on), optional for partners."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from publishing import two_factor
from tests.conftest import PASSWORD, logged_in

STEP = "/en/accounts/two-factor/"
SETUP = "/en/accounts/two-factor/set-up/"
CODES = "/en/accounts/two-factor/recovery-codes/"
SETTINGS = "/en/accounts/two-factor/settings/"


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def password_only(user) -> Client:
    """Signed in with the password, the second factor not given yet."""
    client = Client()
    client.force_login(user)
    return client


def signed_in_by_the_form(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post("/en/accounts/login/", {"username": username, "password": PASSWORD})
    return client, response


# -- coordinators must give it ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/workspace/", "/en/review/", "/en/reports/", "/admin/"])
@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_a_coordinator_with_only_a_password_is_sent_to_the_second_factor(persona, path, request):
    user = request.getfixturevalue(persona)
    app_of(user)
    response = password_only(user).get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{STEP}?next={path}"
    assert response.content == b""


def test_a_coordinator_signing_in_by_the_form_is_asked_for_a_code(coordinator):
    app_of(coordinator)
    client, response = signed_in_by_the_form("coordinator")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(STEP)
    assert "Enter the code your authenticator app shows now" in client.get(STEP).text


def test_a_coordinator_without_an_app_is_sent_on_to_set_one_up(coordinator):
    client = password_only(coordinator)
    response = client.get(f"{STEP}?next=/en/review/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fen%2Freview%2F"


def test_a_right_code_lets_the_coordinator_in(coordinator):
    device = app_of(coordinator)
    client = password_only(coordinator)
    before = client.session.session_key
    response = client.post(STEP, {"code": code_of(device), "next": "/en/review/"})
    assert response.status_code == 302 and response["Location"] == "/en/review/"
    assert client.get("/en/review/").status_code == 200
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != before  # a new session id for the higher privilege


def test_a_wrong_code_says_so_and_lets_nobody_in(coordinator):
    device = app_of(coordinator)
    client = password_only(coordinator)
    wrong = f"{(int(code_of(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(STEP, {"code": wrong})
    assert response.status_code == 400
    assert "This code is not right." in response.text
    assert client.get("/en/review/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_after_many_wrong_codes_even_the_right_code_must_wait(coordinator):
    device = app_of(coordinator)
    client = password_only(coordinator)
    for _ in range(10):
        device.throttle_increment()  # the next try waits 2^9 seconds
    response = client.post(STEP, {"code": code_of(device)})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.text
    assert client.get("/en/review/").status_code == 302


def test_a_code_already_used_cannot_be_used_again(coordinator):
    device = app_of(coordinator)
    code = code_of(device)
    assert password_only(coordinator).post(STEP, {"code": code}).status_code == 302
    assert password_only(coordinator).post(STEP, {"code": code}).status_code == 400


def test_a_recovery_code_works_once(coordinator):
    app_of(coordinator)
    code = two_factor.grouped(two_factor.make_recovery_codes(coordinator)[0]).upper()
    client = password_only(coordinator)
    response = client.post(STEP, {"code": code}, follow=True)
    assert response.status_code == 200
    assert "You used a recovery code; 9 left." in response.text
    assert client.get("/en/review/").status_code == 200
    assert password_only(coordinator).post(STEP, {"code": code}).status_code == 400
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9


def test_a_verification_lasts_only_for_its_session(coordinator):
    client = logged_in(coordinator)
    assert client.get("/en/review/").status_code == 200
    client.post("/en/accounts/logout/")
    client.force_login(coordinator)
    assert client.get("/en/review/").status_code == 302


def test_the_step_does_not_send_anyone_to_another_site(coordinator):
    device = app_of(coordinator)
    client = password_only(coordinator)
    response = client.post(STEP, {"code": code_of(device), "next": "https://evil.example/"})
    assert response["Location"] == "/en/workspace/"


def test_an_unverified_coordinator_may_still_sign_out_and_change_language(coordinator):
    app_of(coordinator)
    client = password_only(coordinator)
    assert client.get(STEP).status_code == 200
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/accounts/two-factor/"})
    assert response["Location"] == "/fr/accounts/two-factor/"
    assert client.post("/en/accounts/logout/")["Location"] == "/"


def test_the_step_is_translated(coordinator):
    app_of(coordinator)
    client = password_only(coordinator)
    assert "Deuxième facteur" in client.get("/fr/accounts/two-factor/").text
    assert "العامل الثاني" in client.get("/ar/accounts/two-factor/").text
    assert "Segundo factor" in client.get("/es/accounts/two-factor/").text


# -- setting up ------------------------------------------------------------------------------


def test_setting_up_shows_the_qr_code_and_secret_then_the_recovery_codes_once(coordinator):
    client = password_only(coordinator)
    page = client.get(f"{SETUP}?next=/en/review/")
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code of the secret"' in page.text
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    assert two_factor.secret_for_people(key) in page.text
    assert not TOTPDevice.objects.filter(user=coordinator).exists()  # nothing kept until a code
    code = f"{totp(bytes.fromhex(key)):06d}"
    response = client.post(SETUP, {"code": code, "next": "/en/review/"})
    assert response["Location"] == f"{CODES}?next=%2Fen%2Freview%2F"
    shown = client.get(response["Location"])
    codes = StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(two_factor.grouped(code) in shown.text for code in codes)
    assert 'href="/en/review/"' in shown.text
    assert client.get(CODES).status_code == 302  # shown once
    assert client.get("/en/review/").status_code == 200
    assert TOTPDevice.objects.get(user=coordinator).confirmed


def test_a_wrong_code_while_setting_up_turns_nothing_on(coordinator):
    client = password_only(coordinator)
    client.get(SETUP)
    response = client.post(SETUP, {"code": "abc"})
    assert response.status_code == 400
    assert "This code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_an_unverified_coordinator_cannot_replace_their_app_by_setting_up_another(coordinator):
    app_of(coordinator)
    client = password_only(coordinator)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(STEP)
    assert client.post(SETUP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_a_verified_coordinator_replaces_their_app_with_a_new_one(coordinator):
    client = logged_in(coordinator)
    old = TOTPDevice.objects.get(user=coordinator)
    assert client.get(SETUP).status_code == 200
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    client.post(SETUP, {"code": f"{totp(bytes.fromhex(key)):06d}"})
    assert list(TOTPDevice.objects.filter(user=coordinator).values_list("key", flat=True)) == [key]
    assert key != old.key
    assert client.get("/en/review/").status_code == 200


def test_a_coordinator_makes_new_recovery_codes_and_the_old_ones_stop_working(coordinator):
    client = logged_in(coordinator)
    old = two_factor.make_recovery_codes(coordinator)
    assert client.post(CODES)["Location"] == CODES
    assert "Your recovery codes" in client.get(CODES).text
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_a_coordinator_cannot_turn_it_off(coordinator):
    client = logged_in(coordinator)
    response = client.post("/en/accounts/two-factor/turn-off/", follow=True)
    assert "Coordinators must keep a second factor." in response.text
    assert TOTPDevice.objects.filter(user=coordinator).exists()


# -- partners may ----------------------------------------------------------------------------


def test_a_partner_is_not_asked_for_a_second_factor(partner):
    client, response = signed_in_by_the_form("partner")
    assert client.get(response["Location"]).status_code == 200
    assert "Off: your password alone signs you in." in client.get(SETTINGS).text


def test_a_partner_can_turn_it_on_and_is_then_asked_for_it_at_sign_in(partner):
    client = logged_in(partner)
    client.get(SETUP)
    key = client.session[two_factor.SETUP_KEY_SESSION_KEY]
    client.post(SETUP, {"code": f"{totp(bytes.fromhex(key)):06d}"})
    assert client.get("/en/workspace/").status_code == 200  # this session is verified
    other, response = signed_in_by_the_form("partner")
    assert other.get(response["Location"])["Location"].startswith(STEP)
    device = TOTPDevice.objects.get(user=partner)
    device.last_t = -1  # a code of the next 30 seconds, not the one set up with
    device.save()
    assert other.post(STEP, {"code": code_of(device)}).status_code == 302
    assert other.get("/en/workspace/").status_code == 200


def test_a_partner_can_turn_it_off_once_they_gave_a_code(partner):
    device = app_of(partner)
    client = password_only(partner)
    response = client.post("/en/accounts/two-factor/turn-off/")
    assert response["Location"] == STEP  # not with the password alone
    assert two_factor.has_second_factor(partner)
    client.post(STEP, {"code": code_of(device)})
    response = client.post("/en/accounts/two-factor/turn-off/", follow=True)
    assert "Your second factor is off." in response.text
    assert not TOTPDevice.objects.filter(user=partner).exists()


# -- the demo, and resets --------------------------------------------------------------------


def test_with_the_second_factor_not_required_a_coordinator_is_not_asked(coordinator, settings):
    settings.TWO_FACTOR_REQUIRED = False  # `make run`'s demo: DEBUG on
    client, response = signed_in_by_the_form("coordinator")
    assert client.get("/en/review/").status_code == 200


def test_a_coordinator_resets_a_partners_lost_second_factor(coordinator, partner):
    app_of(partner)
    two_factor.make_recovery_codes(partner)
    client = logged_in(coordinator)
    assert "partner" in client.get("/en/accounts/two-factor/reset/").text
    response = client.post("/en/accounts/two-factor/reset/", {"username": "partner"}, follow=True)
    assert "partner no longer has a second factor" in response.text
    assert not two_factor.has_second_factor(partner)
    assert not StaticToken.objects.filter(device__user=partner).exists()


def test_a_coordinator_cannot_reset_a_superusers_second_factor(coordinator, superuser):
    app_of(superuser)
    client = logged_in(coordinator)
    response = client.post("/en/accounts/two-factor/reset/", {"username": "root"})
    assert response.status_code == 400
    assert "Only a superuser can reset a superuser" in response.text
    assert two_factor.has_second_factor(superuser)
