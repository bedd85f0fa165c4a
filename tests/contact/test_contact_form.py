"""The contact form of a practice: who receives the message, what is kept, who reads it."""

import pytest
from django.core import mail

from contact.models import ContactRequest
from practices.models import StakeholderRole, Status
from tests.conftest import make_practice, make_stakeholder
from tests.contact.helpers import contact_data, form_url
from tests.workspace_helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(asticude):
    asticude.contact_email = "contact@asticude.example.org"
    asticude.save()
    return make_practice(asticude, "Welcome desk")


def send(practice, language="en", **changes):
    return client_for().post(form_url(practice, language), contact_data(**changes))


def test_every_published_practice_page_leads_to_the_contact_form(client, practice):
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Contact the organisation / I want to replicate this practice" in page
    assert f'href="{form_url(practice)}"' in page
    # The page holds no form, token or opening time: the same for every anonymous visitor.
    assert "csrfmiddlewaretoken" not in page
    form = client.get(form_url(practice)).content.decode()
    assert f'action="{form_url(practice)}"' in form
    assert 'name="contact-consent"' in form
    assert '<div hidden><label for="id_contact-website">' in form


def test_the_form_alone_is_there_for_a_published_practice(client, practice):
    response = client.get(form_url(practice))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.PUBLISHED])
def test_the_form_of_an_unpublished_practice_is_404(asticude, status):
    practice = make_practice(asticude, f"Practice {status}", status=status)
    assert client_for().get(form_url(practice)).status_code == 404
    assert send(practice).status_code == 404
    assert not ContactRequest.objects.exists() and not mail.outbox


def test_a_visitors_message_reaches_the_lead_organisations_contact_address(practice, mailoutbox):
    response = send(practice)
    assert response.status_code == 302
    assert response["Location"] == practice.get_absolute_url() + "#contact-heading"
    [message] = mailoutbox
    assert message.to == ["contact@asticude.example.org"]
    assert message.reply_to == ["amina@example.net"]
    assert "Welcome desk" in message.subject
    assert "How did you start?" in message.body
    assert "Oujda city council" in message.body
    # The organisation answers through Reply-To; the body does not repeat the address.
    assert "amina@example.net" not in message.body
    contact = ContactRequest.objects.get()
    assert (contact.practice, contact.organisation, contact.sent_to) == (
        practice,
        practice.organisation,
        ContactRequest.SentTo.ORGANISATION,
    )


def test_the_lead_role_decides_which_organisation_is_written_to(practice, mailoutbox):
    lead = make_stakeholder("Nador council", contact_email="council@nador.example.org")
    StakeholderRole.objects.create(practice=practice, stakeholder=lead, role="lead")
    send(practice)
    assert mailoutbox[0].to == ["council@nador.example.org"]
    assert ContactRequest.objects.get().organisation == lead


def test_without_a_contact_address_the_message_goes_to_the_coordinators(
    asticude, coordinator, superuser, mailoutbox
):
    practice = make_practice(asticude, "Welcome desk")
    assert send(practice).status_code == 302
    [message] = mailoutbox
    assert sorted(message.to) == ["coordinator@example.org", "root@example.org"]
    assert "/review/contact-requests/" in message.body
    assert ContactRequest.objects.get().sent_to == ContactRequest.SentTo.COORDINATORS


def test_the_visitor_is_thanked_in_the_pages_language(practice):
    client = client_for()
    response = client.post(form_url(practice, "fr"), contact_data(), follow=True)
    assert "Votre message a été envoyé" in response.content.decode()


def test_the_practice_page_says_how_many_cities_asked_about_it(client, practice):
    assert "Asked about by" not in client.get(practice.get_absolute_url()).content.decode()
    send(practice)
    send(practice, city=" OUJDA ", email="b@example.net")  # the same city, typed otherwise
    send(practice, city="Oujda", country="DZ", email="c@example.net")  # another country
    send(practice, city="Tunis", country="TN", email="d@example.net")
    page = client.get(practice.get_absolute_url()).content.decode()
    assert "Asked about by 3 cities" in page


def test_one_city_is_said_in_the_singular(client, practice):
    send(practice)
    assert "Asked about by 1 city<" in client.get(practice.get_absolute_url()).content.decode()


def test_the_senders_address_is_never_on_the_public_page(client, practice):
    send(practice)
    assert "amina@example.net" not in client.get(practice.get_absolute_url()).content.decode()


# --- The review area --------------------------------------------------------------------


@pytest.fixture
def sent(practice):
    send(practice)
    return ContactRequest.objects.get()


def test_coordinators_read_the_messages_with_the_senders_address(coordinator, sent):
    client = client_for(coordinator)
    listing = client.get("/en/review/contact-requests/").content.decode()
    assert "Amina" in listing and "Welcome desk" in listing
    detail = client.get(f"/en/review/contact-requests/{sent.pk}/").content.decode()
    assert "amina@example.net" in detail and "How did you start?" in detail


def test_partners_of_the_lead_organisation_read_its_messages_without_the_address(partner, sent):
    client = client_for(partner)
    assert "Amina" in client.get("/en/review/contact-requests/").content.decode()
    detail = client.get(f"/en/review/contact-requests/{sent.pk}/")
    assert detail.status_code == 200
    assert "How did you start?" in detail.content.decode()
    assert "amina@example.net" not in detail.content.decode()


def test_partners_of_another_organisation_see_none_of_its_messages(outsider, sent):
    client = client_for(outsider)
    assert "Amina" not in client.get("/en/review/contact-requests/").content.decode()
    assert client.get(f"/en/review/contact-requests/{sent.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_messages(client, sent):
    response = client.get(f"/en/review/contact-requests/{sent.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_messages_list_keeps_a_bounded_number_of_queries(
    coordinator, practice, django_assert_max_num_queries, settings
):
    settings.CONTACT_ADDRESS_LIMIT = 100
    for number in range(12):
        send(practice, email=f"v{number}@example.net", city=f"City {number}")
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get("/en/review/contact-requests/").status_code == 200
