"""Refusals of the contact form: machines (the trap, sent too fast), floods (limits per
address and per practice), bad input. Each says why in the page's language, keeps what was
typed, and neither stores nor sends anything."""

import time

import pytest
from django.core import mail

from contact.forms import opened_token
from contact.models import ContactRequest
from tests.conftest import make_practice
from tests.contact.helpers import contact_data, form_url
from tests.workspace_helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(asticude):
    asticude.contact_email = "contact@asticude.example.org"
    asticude.save()
    return make_practice(asticude, "Welcome desk")


def refused(response, message: str, status: int = 400) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert message in page
    assert not ContactRequest.objects.exists()
    assert not mail.outbox
    return page


def typed_values_kept(page: str) -> None:
    assert 'value="Amina"' in page and 'value="Oujda"' in page
    assert "How did you start?" in page


def post(practice, language="en", client=None, **changes):
    return (client or client_for()).post(form_url(practice, language), contact_data(**changes))


def test_a_filled_trap_field_is_refused(practice):
    page = refused(post(practice, website="https://spam.example"), "a field meant to stay empty")
    typed_values_kept(page)


def test_a_form_sent_too_quickly_is_refused_and_can_be_sent_again_later(practice, settings):
    settings.CONTACT_MIN_FILL_SECONDS = 5
    page = refused(post(practice, opened_seconds_ago=1), "sent too quickly")
    typed_values_kept(page)
    assert post(practice, opened_seconds_ago=6).status_code == 302


TWO_DAYS = 2 * 24 * 3600


@pytest.mark.parametrize("kind", ["missing", "forged", "stale"])
def test_a_missing_forged_or_stale_opening_time_is_refused_and_renewed(practice, kind):
    token = {"missing": "", "forged": "forged", "stale": opened_token(time.time() - TWO_DAYS)}
    page = refused(post(practice, opened=token[kind]), "open too long or is damaged")
    typed_values_kept(page)
    # The form comes back with a fresh opening time: sent again later, it goes through.
    renewed = page.split('name="contact-opened" value="')[1].split('"')[0]
    assert renewed and renewed != token[kind]


def test_a_forged_opening_time_signed_with_another_salt_is_refused(practice):
    from django.core import signing

    token = signing.dumps(int(time.time() - 60), salt="another.form")
    refused(post(practice, opened=token), "open too long or is damaged")


def test_an_address_past_its_limit_is_refused_until_the_window_ends(practice, settings):
    settings.CONTACT_ADDRESS_LIMIT = 2
    client = client_for()
    for number in range(2):
        assert post(practice, client=client, email=f"v{number}@example.net").status_code == 302
    ContactRequest.objects.all().delete()
    mail.outbox.clear()
    page = refused(post(practice, client=client), "Too many messages")
    typed_values_kept(page)


def test_another_address_is_not_held_by_the_first_ones_limit(practice, settings):
    settings.CONTACT_ADDRESS_LIMIT = 1
    assert post(practice).status_code == 302
    other = client_for()
    other.defaults["REMOTE_ADDR"] = "203.0.113.9"
    assert post(practice, client=other).status_code == 302


def test_a_practice_past_its_limit_is_refused_from_any_address(practice, settings, asticude):
    settings.CONTACT_PRACTICE_LIMIT = 2
    for number in range(2):
        client = client_for()
        client.defaults["REMOTE_ADDR"] = f"203.0.113.{number + 1}"
        assert post(practice, client=client).status_code == 302
    ContactRequest.objects.all().delete()
    mail.outbox.clear()
    stranger = client_for()
    stranger.defaults["REMOTE_ADDR"] = "198.51.100.7"
    refused(post(practice, client=stranger), "Too many messages")
    # Another practice is not held by it.
    other = make_practice(asticude, "Language cafe")
    assert post(other, client=stranger).status_code == 302


def test_a_refused_form_is_not_counted_against_the_limit(practice, settings):
    settings.CONTACT_ADDRESS_LIMIT = 1
    client = client_for()
    post(practice, client=client, email="not-an-address")
    assert post(practice, client=client).status_code == 302


def test_a_bad_email_address_is_refused(practice):
    page = refused(post(practice, email="amina@"), "Enter a valid email address.")
    typed_values_kept(page)


def test_missing_consent_is_refused(practice):
    page = refused(post(practice, consent=None), "Tick the box so that the organisation")
    typed_values_kept(page)


@pytest.mark.parametrize("field", ["name", "email", "city", "country", "message"])
def test_a_missing_required_field_is_refused(practice, field):
    refused(post(practice, **{field: ""}), "This field is required.")


def test_an_unknown_country_is_refused(practice):
    refused(post(practice, country="XX"), "Select a valid choice.")


@pytest.mark.parametrize(
    ("field", "length"),
    [("name", 151), ("sender_organisation", 201), ("city", 101), ("message", 5001)],
)
def test_overlong_input_is_refused(practice, field, length):
    refused(post(practice, **{field: "a" * length}), "Ensure this value has at most")


def test_a_nul_character_is_refused(practice):
    response = post(practice, message="Hello\x00there")
    assert response.status_code == 400
    assert not ContactRequest.objects.exists() and not mail.outbox


def test_a_header_injection_in_the_name_goes_nowhere_but_the_body(practice, mailoutbox):
    response = post(practice, name="Amina\r\nBcc: victim@example.com")
    assert response.status_code == 302
    [message] = mailoutbox
    headers = message.message()
    assert headers["Bcc"] is None and "victim" not in headers["Subject"]
    assert message.recipients() == ["contact@asticude.example.org"]


def test_a_refusal_is_in_the_pages_language(practice):
    for language, words in (("fr", "Cochez la case"), ("es", "Marque la casilla")):
        page = refused(post(practice, language, consent=None), words)
        assert f'lang="{language}"' in page


def test_the_form_needs_its_csrf_token(practice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(form_url(practice), contact_data())
    assert response.status_code == 403
    assert not ContactRequest.objects.exists() and not mail.outbox


def test_markup_in_the_message_is_shown_as_text_to_coordinators(practice, coordinator):
    assert post(practice, message="<script>alert(1)</script>").status_code == 302
    contact = ContactRequest.objects.get()
    page = client_for(coordinator).get(f"/en/review/contact-requests/{contact.pk}/")
    assert "<script>alert(1)</script>" not in page.content.decode()
