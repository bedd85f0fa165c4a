"""The coordinators' dashboard, checked against hand counts of the demo data
(demo/data/: the Nador practice, 13 published samples, a draft and a
submitted sample; the Migration Weeks 2019 (5 events) and 2026 (3 events, no counts))."""

import re

import pytest
from django.core.management import call_command

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

URL = "/en/reports/"


@pytest.fixture
def demo(db):
    call_command("load_demo")


def dashboard(coordinator, query: str = ""):
    response = logged_in(coordinator).get(URL + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response


def table(response, title: str) -> dict[str, int]:
    tables = [
        *response.context["practice_tables"],
        *response.context["stakeholder_tables"],
        *response.context["event_tables"],
    ]
    found = next(t for t in tables if t.title == title)
    return {row.label: row.count for row in found.rows}


def test_the_dashboard_counts_the_demo_practices_by_status(coordinator, demo):
    response = dashboard(coordinator)
    assert response.context["practice_count"] == 16
    assert table(response, "Practices by status") == {
        "Published": 14,
        "Draft": 1,
        "Submitted for review": 1,
    }


def test_the_dashboard_counts_practices_by_theme_objective_and_country(coordinator, demo):
    response = dashboard(coordinator, "status=published")
    themes = table(response, "Practices by theme")
    # Nador, cafés, language classes (the draft and the submitted sample are not published).
    assert themes["Social inclusion"] == 3
    # Nador, cafés, Festival de cine, Campagne « Nous sommes Nador ».
    assert themes["Intercultural dialogue"] == 4
    objectives = table(response, "Practices by GCM objective")
    # Nador, media guide, festival, youth ambassadors, campaign.
    assert objectives["17. Eliminate discrimination"] == 5
    assert table(response, "Practices by country") == {
        "Morocco": 8,
        "Spain": 2,
        "France": 2,
        "Tunisia": 2,
    }
    cities = table(response, "Practices by city")
    assert cities["Nador"] == 5 and cities["Oujda"] == 2 and cities["Tangier"] == 1


def test_the_dashboard_counts_principles_target_groups_areas_and_stakeholder_kinds(
    coordinator, demo
):
    response = dashboard(coordinator, "status=published")
    # Nador, cafés, language classes, festival, campaign.
    assert table(response, "Practices by guiding principle")["Whole-of-society approach"] == 5
    # Nador, media guide.
    assert table(response, "Practices by target group")["Journalists and narrative creators"] == 2
    # Nador, media guide, language classes, vocational training.
    assert (
        table(response, "Practices by area of intervention")["Training and capacity building"] == 4
    )
    kinds = table(response, "Practices by kind of stakeholder taking part")
    assert kinds["Media / journalists"] == 2  # Nador and the media guide


def test_the_dashboard_counts_stakeholders_by_kind(coordinator, demo):
    directory = table(dashboard(coordinator), "Stakeholders in the directory, by kind")
    assert directory == {
        "NGO": 3,
        "Municipality or local government": 2,
        "Public institution": 2,
        "International organisation": 1,
        "Migrant collective": 1,
        "Media / journalists": 1,
        "Academia": 1,
        "Other": 1,
    }


def test_the_dashboard_counts_events_and_participants_by_category_and_series(coordinator, demo):
    response = dashboard(coordinator)
    assert response.context["event_count"] == 8
    assert response.context["participant_count"] == 597
    assert table(response, "Events by series") == {
        "Migration Week Nador 2019": 5,
        "Migration Week Nador 2026": 3,
    }
    assert table(response, "Participants by category") == {
        "Local residents": 310,
        "Migrants": 145,
        "Narrative creators / journalists": 55,
        "Other": 39,
        "Students": 30,
        "Officials": 18,
    }
    assert table(response, "Participants by series") == {"Migration Week Nador 2019": 597}


def test_the_series_filter_applies_to_events(coordinator, demo):
    response = dashboard(coordinator, "series=migration-week-nador-2026")
    assert response.context["event_count"] == 3
    assert response.context["participant_count"] == 0
    assert table(response, "Events by kind") == {
        "Workshop": 1,
        "Debate / conference": 1,
        "Cultural activity": 1,
    }


def test_the_period_keeps_practices_and_events_that_overlap_it(coordinator, demo):
    response = dashboard(coordinator, "from=2026-01-01&to=2026-12-31")
    # Undated: Nador, the draft, the submitted sample; open-ended: guichet, observatory.
    assert response.context["practice_count"] == 5
    assert response.context["event_count"] == 3


def test_the_dashboard_shows_indicators_with_the_share_reached(coordinator, demo):
    response = dashboard(coordinator)
    (indicator,) = response.context["indicators"]
    assert indicator.label == "Narrative creators trained"
    assert (indicator.achieved, indicator.target, indicator.percent) == (43, 40, 108)
    assert "43 / 40 (108 %)" in response.content.decode()


def test_the_practice_filters_of_the_public_list_narrow_the_dashboard(coordinator, demo):
    response = dashboard(coordinator, "theme=social-inclusion")
    assert response.context["practice_count"] == 5
    assert "theme=social-inclusion" in response.content.decode()


def test_every_table_has_an_export_link_and_a_chart_drawn_on_the_server(coordinator, demo):
    page = dashboard(coordinator, "theme=social-inclusion").content.decode()
    assert page.count("<table") == page.count('class="export-links"')
    assert "/en/reports/export/practices.xlsx?theme=social-inclusion" in page
    assert "/en/reports/export/events.csv?theme=social-inclusion" in page
    assert '<rect width="100" height="10">' in page


def test_the_dashboard_respects_the_content_security_policy(coordinator, demo):
    page = dashboard(coordinator).content.decode()
    assert page.count("<h1") == 1
    assert not re.search(r"\sstyle=", page)
    assert "<script" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert "css/reports.css" in page


def test_a_wrong_period_is_reported_not_a_server_error(coordinator, demo):
    response = dashboard(coordinator, "from=2026-12-31&to=2026-01-01")
    assert "The end of the period cannot be before its start." in response.content.decode()
    response = dashboard(coordinator, "from=not-a-date&theme=no-such-theme")
    assert response.context["practice_count"] == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/en/reports/")


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_cannot_see_the_reports(request, persona):
    response = logged_in(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 403


def test_a_superuser_sees_the_reports(superuser):
    assert logged_in(superuser).get(URL).status_code == 200


def test_the_dashboard_answers_get_only(coordinator):
    assert logged_in(coordinator).post(URL).status_code == 405


def test_the_dashboard_needs_a_fixed_number_of_queries(
    coordinator, demo, django_assert_max_num_queries
):
    client = logged_in(coordinator)
    with django_assert_max_num_queries(40):
        client.get(URL)
