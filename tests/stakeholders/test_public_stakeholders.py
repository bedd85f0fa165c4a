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
    # The directory: the page's count, its organisations, their practices (one query more
    # while PostgreSQL's facet index is not built), the kinds.
    with django_assert_max_num_queries(5):
        assert client.get("/en/stakeholders/").status_code == 200
    # An organisation, its newest practices, its roles in them, their translations, how
    # many there are (see above), its events.
    with django_assert_max_num_queries(7):
        assert client.get("/en/stakeholders/asticude/").status_code == 200


def directory_names(client, query: str = "") -> list[str]:
    response = client.get(f"/en/stakeholders/{query}")
    assert response.status_code == 200
    return [s.name for group in response.context["kinds"] for s in group["stakeholders"]]


def test_the_directory_shows_a_page_of_organisations_at_a_time(client, db, monkeypatch):
    monkeypatch.setattr("stakeholders.views.PER_PAGE", 3)
    for name in ["Delta", "Alpha", "Echo", "Charlie", "Bravo"]:
        make_stakeholder(name)
    assert directory_names(client) == ["Alpha", "Bravo", "Charlie"]
    assert directory_names(client, "?page=2") == ["Delta", "Echo"]
    assert directory_names(client, "?page=99") == ["Delta", "Echo"]
    assert 'href="?page=2"' in client.get("/en/stakeholders/").content.decode()


def test_the_directory_shows_one_kind_when_asked(client, asticude, acpp):
    make_stakeholder("Nador Voices", kind="media")
    assert directory_names(client, "?kind=media") == ["Nador Voices"]
    assert directory_names(client, "?kind=ngo") == ["ACPP", "ASTICUDE"]
    content = client.get("/en/stakeholders/?kind=media").content.decode()
    assert 'href="?kind=ngo"' in content and 'aria-current="page">Media' in content


def test_an_unknown_kind_of_organisation_is_not_found(client, asticude):
    assert client.get("/en/stakeholders/?kind=<script>").status_code == 404


def test_an_organisation_page_shows_its_newest_practices_and_links_to_all(
    client, asticude, monkeypatch
):
    monkeypatch.setattr("stakeholders.views.PRACTICES_SHOWN", 2)
    for number in range(3):
        practice = make_practice(asticude, f"Practice {number}")
        StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
    response = client.get("/en/stakeholders/asticude/")
    shown = [entry["practice"].title for entry in response.context["practices"]]
    assert len(shown) == 2 and set(shown) <= {"Practice 0", "Practice 1", "Practice 2"}
    assert "See all 3 practices of this organisation" in response.content.decode()
