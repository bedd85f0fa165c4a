"""The public directory of organisations: by kind, with practices and events, no people."""

from practices.models import StakeholderRole, Status
from tests.conftest import make_practice, make_stakeholder
from tests.test_public_statuses import make_event


def test_the_directory_groups_organisations_by_kind(client, asticude, acpp):
    make_stakeholder("Municipality of Nador", kind="municipality")
    response = client.get("/en/stakeholders/")
    kinds = [
        (group["kind"], [s.name for s in group["stakeholders"]])
        for group in response.context["kinds"]
    ]
    assert kinds == [("municipality", ["Municipality of Nador"]), ("ngo", ["ACPP", "ASTICUDE"])]
    assert response.content.decode().count("<h1") == 1


def test_the_directory_counts_only_published_practices(client, asticude, published_practice):
    StakeholderRole.objects.create(practice=published_practice, stakeholder=asticude, role="lead")
    draft = make_practice(asticude, "Draft work", status=Status.DRAFT)
    StakeholderRole.objects.create(practice=draft, stakeholder=asticude, role="lead")
    response = client.get("/en/stakeholders/")
    (group,) = response.context["kinds"]
    assert {s.name: s.practice_count for s in group["stakeholders"]} == {"ASTICUDE": 1}


def test_an_organisation_page_lists_its_published_practices_with_roles_and_events(
    client, asticude, published_practice
):
    StakeholderRole.objects.create(practice=published_practice, stakeholder=asticude, role="lead")
    StakeholderRole.objects.create(practice=published_practice, stakeholder=asticude, role="funder")
    make_event(asticude, "Open day")
    make_event(asticude, "Draft day", status=Status.DRAFT)
    response = client.get("/en/stakeholders/asticude/")
    content = response.content.decode()
    assert response.context["practices"][0]["roles"] == ["Funder", "Lead"]
    assert "Published practice of ASTICUDE" in content
    assert "Open day" in content and "Draft day" not in content


def test_an_organisation_page_shows_no_personal_data(client, partner, asticude):
    content = client.get("/en/stakeholders/asticude/").content.decode()
    assert "partner" not in content.lower().replace("partners", "")
    assert "partner@example.org" not in content


def test_an_unknown_organisation_is_not_found(client, db):
    assert client.get("/en/stakeholders/nobody/").status_code == 404


def test_directory_and_organisation_pages_keep_a_constant_number_of_queries(
    client, asticude, django_assert_max_num_queries
):
    for number in range(12):
        practice = make_practice(asticude, f"Practice {number}")
        StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
        make_stakeholder(f"Organisation {number}", kind="media" if number % 2 else "ngo")
        make_event(asticude, f"Event {number}")
    with django_assert_max_num_queries(3):
        assert client.get("/en/stakeholders/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/en/stakeholders/asticude/").status_code == 200
