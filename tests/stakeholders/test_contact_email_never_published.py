"""A stakeholder's contact address (where visitors' messages go) is never published: not on
its page, the directory, the practice pages, the API, the exports or the open data."""

import pytest
from django.urls import reverse

from reports.exports import EXPORT_TYPES
from reports.open_data import headers_of
from tests.conftest import logged_in, make_practice

pytestmark = pytest.mark.django_db

SECRET = "hidden-inbox@asticude.example.org"


@pytest.fixture
def asticude_with_address(asticude):
    asticude.contact_email = SECRET
    asticude.save()
    make_practice(asticude, "Welcome desk")
    return asticude


@pytest.mark.parametrize(
    "url",
    [
        "/en/stakeholders/asticude/",
        "/en/stakeholders/",
        "/en/practices/welcome-desk/",
        "/en/practices/welcome-desk/contact/",
        "/api/v1/stakeholders/",
        "/api/v1/stakeholders/asticude/",
        "/api/v1/practices/welcome-desk/",
    ],
)
def test_the_contact_address_is_on_no_public_page_nor_in_the_api(
    client, asticude_with_address, url
):
    response = client.get(url)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "contact_email" not in response.content.decode()


def test_the_contact_address_is_in_no_export_nor_open_data_header():
    for kind, export in EXPORT_TYPES.items():
        assert "contact_email" not in export.resource().get_export_headers(), kind
    for kind in ("practices", "stakeholders", "events"):
        assert "contact_email" not in headers_of(kind)


def test_the_coordinators_stakeholder_export_does_not_hold_it(coordinator, asticude_with_address):
    response = logged_in(coordinator).get("/en/reports/export/stakeholders.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET.encode() not in body


def test_coordinators_edit_it_in_the_admin(superuser, asticude_with_address):
    url = reverse("admin:stakeholders_stakeholder_change", args=[asticude_with_address.pk])
    response = logged_in(superuser).get(url)
    assert response.status_code == 200
    assert SECRET in response.content.decode()
