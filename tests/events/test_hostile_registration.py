"""Hostile input to the registration form: every refusal says why in the page's language,
stores nothing, sends nothing and keeps what was typed."""

import pytest

from events.models import Registration
from tests.events.conftest import register


def _refused(response, message: str, kept: str, mailoutbox) -> None:
    content = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert message in content
    assert kept in content
    assert not Registration.objects.exists() and mailoutbox == []


def test_a_nul_byte_is_a_bad_request_that_stores_nothing(visitor, open_event, mailoutbox):
    response = register(visitor, open_event, name="Amina\x00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert not Registration.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
        ("organisation", "o" * 201, "Ensure this value has at most 200 characters"),
        ("access_needs", "a" * 1001, "Ensure this value has at most 1000 characters"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("email", "a@b.c" + "x" * 300, "Ensure this value has at most 254 characters"),
        ("name", "", "This field is required."),
        ("email", "", "This field is required."),
    ],
)
def test_bad_values_are_refused_with_the_reason(
    visitor, open_event, mailoutbox, field, value, message
):
    kept = ("name", "Kept name") if field == "organisation" else ("organisation", "Radio Rif")
    response = register(visitor, open_event, **{kept[0]: kept[1], field: value})
    _refused(response, message, f'value="{kept[1]}"', mailoutbox)


def test_no_consent_is_refused_with_the_reason(visitor, open_event, mailoutbox):
    data = {"consent": "", "access_needs": "Sign language, please"}
    response = register(visitor, open_event, **data)
    _refused(
        response,
        "Please agree to the use of your details, or we cannot register you.",
        "Sign language, please",
        mailoutbox,
    )
    assert 'value="amina@example.org"' in response.content.decode()


def test_a_filled_honeypot_is_refused_with_a_visible_reason(visitor, open_event, mailoutbox):
    response = register(visitor, open_event, website="http://spam.example")
    _refused(
        response,
        "Leave the field “Leave this field empty” empty to register.",
        'value="Amina El Idrissi"',
        mailoutbox,
    )
    assert 'role="alert"' in response.content.decode()


def test_the_refusal_speaks_the_page_language(visitor, open_event, mailoutbox):
    response = register(visitor, open_event, language="fr", consent="")
    _refused(
        response,
        "Veuillez accepter l&#x27;utilisation de vos informations",
        'value="Amina El Idrissi"',
        mailoutbox,
    )


def test_markup_in_a_name_is_shown_as_text_in_the_list_and_the_mail(
    visitor, open_event, mailoutbox, partner
):
    from tests.workspace_helpers import client_for

    register(visitor, open_event, name="<script>alert(1)</script>")
    content = client_for(partner).get(f"/en/workspace/events/{open_event.slug}/registrations/")
    assert "<script>alert(1)</script>" not in content.content.decode()
    assert "&lt;script&gt;" in content.content.decode()
    assert "Hello <script>alert(1)</script>," in mailoutbox[0].body  # plain text, not HTML


def test_a_form_without_csrf_token_is_refused(open_event, mailoutbox):
    from django.test import Client

    from tests.events.conftest import registration_data

    response = Client(enforce_csrf_checks=True).post(
        f"/en/events/{open_event.slug}/register/", registration_data()
    )
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_get_on_the_register_address_is_not_allowed(visitor, open_event):
    assert visitor.get(f"/en/events/{open_event.slug}/register/").status_code == 405
