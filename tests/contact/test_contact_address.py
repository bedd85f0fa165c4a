"""An organisation's contact address, set by its members in the workspace (and by the
coordinators there or in the admin); recorded in the organisation's history."""

import pytest

from stakeholders.models import Stakeholder
from tests.workspace_helpers import client_for

pytestmark = pytest.mark.django_db

URL = "/en/workspace/organisations/asticude/contact-address/"


def test_a_member_sets_their_organisations_contact_address(partner, asticude):
    response = client_for(partner).post(URL, {"contact_email": "hello@asticude.example.org"})
    assert response.status_code == 302
    asticude.refresh_from_db()
    assert asticude.contact_email == "hello@asticude.example.org"
    version = asticude.history.first()
    assert (version.history_user, version.contact_email) == (partner, asticude.contact_email)


def test_a_bad_address_is_refused_and_kept_in_the_form(partner, asticude):
    response = client_for(partner).post(URL, {"contact_email": "hello@"})
    assert response.status_code == 400
    assert 'value="hello@"' in response.content.decode()
    assert Stakeholder.objects.get(pk=asticude.pk).contact_email == ""


def test_a_member_of_another_organisation_may_not_see_or_change_it(outsider, asticude):
    asticude.contact_email = "hello@asticude.example.org"
    asticude.save()
    client = client_for(outsider)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"contact_email": "thief@example.net"}).status_code == 403
    assert Stakeholder.objects.get(pk=asticude.pk).contact_email == "hello@asticude.example.org"


def test_the_workspace_links_to_the_contact_address_and_the_messages(partner, asticude):
    page = client_for(partner).get("/en/workspace/").content.decode()
    assert URL in page and "/en/review/contact-requests/" in page
