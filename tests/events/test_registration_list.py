"""Who registered, for the event's organisers and the coordinators only: the workspace page
and its CSV and XLSX downloads."""

import csv
import io

import pytest
from openpyxl import load_workbook

from events.models import Registration
from stakeholders.models import Membership
from tests.conftest import make_stakeholder
from tests.workspace_helpers import client_for


@pytest.fixture
def registered(open_event):
    for number, status in enumerate(["confirmed", "confirmed", "waiting"]):
        Registration.objects.create(
            event=open_event,
            name=f"Person {number}",
            email=f"person{number}@example.org",
            organisation='=HYPERLINK("http://evil")' if number == 2 else "Radio Nador",
            access_needs="Step-free access" if number == 0 else "",
            consent=True,
            language="en",
            status=status,
        )
    return open_event


def _list_url(event) -> str:
    return f"/en/workspace/events/{event.slug}/registrations/"


def test_a_partner_of_the_owning_organisation_sees_the_list(partner, registered):
    response = client_for(partner).get(_list_url(registered))
    content = response.content.decode()
    assert response.status_code == 200
    assert "person0@example.org" in content and "Step-free access" in content
    assert "Confirmed (2)" in content and "Waiting list (1)" in content
    assert "no-store" in response["Cache-Control"]


def test_a_member_of_an_organising_organisation_sees_the_list(django_user_model, registered):
    radio = make_stakeholder("Radio Nador")
    registered.organisers.add(radio)
    member = django_user_model.objects.create_user("radio", "radio@example.org", "pw-12345678")
    Membership.objects.create(user=member, stakeholder=radio)
    assert client_for(member).get(_list_url(registered)).status_code == 200
    assert (
        client_for(member)
        .get(f"/en/workspace/events/{registered.slug}/registrations.csv")
        .status_code
        == 200
    )


def test_an_outsider_may_not_see_who_registered_for_a_published_event(outsider, registered):
    assert client_for(outsider).get(_list_url(registered)).status_code == 403
    url = f"/en/workspace/events/{registered.slug}/registrations.csv"
    assert client_for(outsider).get(url).status_code == 403


def test_an_outsider_gets_not_found_for_an_unpublished_event(outsider, registered):
    registered.status = "draft"
    registered.save()
    assert client_for(outsider).get(_list_url(registered)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, registered):
    response = client.get(_list_url(registered))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_sees_every_list(coordinator, registered):
    assert client_for(coordinator).get(_list_url(registered)).status_code == 200


def test_the_list_refuses_post(partner, registered):
    assert client_for(partner).post(_list_url(registered)).status_code == 405


def test_the_csv_lists_everyone_with_formulas_neutralised(partner, registered):
    response = client_for(partner).get(f"/en/workspace/events/{registered.slug}/registrations.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Name", "E-mail", "Organisation", "Access needs", "Status", "Registered at"]
    assert [row[1] for row in rows[1:]] == [f"person{n}@example.org" for n in range(3)]
    assert [row[4] for row in rows[1:]] == ["Confirmed", "Confirmed", "Waiting list"]
    assert not rows[3][2].startswith("=")


def test_the_xlsx_opens_with_the_same_rows(coordinator, registered):
    response = client_for(coordinator).get(
        f"/en/workspace/events/{registered.slug}/registrations.xlsx"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert len(rows) == 4 and rows[1][0] == "Person 0"


def test_the_headers_of_the_csv_are_in_the_page_language(partner, registered):
    response = client_for(partner).get(f"/fr/workspace/events/{registered.slug}/registrations.csv")
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Nom,E-mail,Organisation")


def test_an_unknown_format_is_not_found(partner, registered):
    url = f"/en/workspace/events/{registered.slug}/registrations.json"
    assert client_for(partner).get(url).status_code == 404


def test_the_edit_page_of_an_event_links_to_its_registrations(partner, registered):
    content = client_for(partner).get(f"/en/workspace/events/{registered.slug}/edit/")
    assert _list_url(registered) in content.content.decode()


def test_the_workspace_home_links_to_the_lists_of_the_users_events(
    django_user_model, partner, outsider, registered
):
    radio = make_stakeholder("Radio Nador")
    registered.organisers.add(radio)
    member = django_user_model.objects.create_user("radio", "radio@example.org", "pw-12345678")
    Membership.objects.create(user=member, stakeholder=radio)
    for user in (partner, member):
        home = client_for(user).get("/en/workspace/").content.decode()
        assert _list_url(registered) in home
    assert _list_url(registered) not in client_for(outsider).get("/en/workspace/").content.decode()
