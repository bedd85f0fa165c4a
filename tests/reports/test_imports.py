"""Importing rows: the dry run and its confirmation, values read by name, slug or label,
events with their participant counts, the templates, who may import, and a round trip
through the exports into an empty database.

Files that are refused (malformed, hostile, over a limit) are in test_import_files.py."""

import pytest
from django.core.management import call_command

from events.models import Event, EventSeries, ParticipantCount
from practices.models import Practice, Theme
from reports.imports import run_import
from reports.views.imports import SESSION_KEY
from stakeholders.models import Stakeholder
from tests.conftest import logged_in
from tests.reports.import_helpers import (
    HEADERS,
    database_state,
    good_file,
    practice_row,
    upload,
)
from tests.spreadsheet_helpers import content_of, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# The dry run and the confirmation ---------------------------------------------------------


def test_a_dry_run_shows_new_rows_and_writes_nothing(coordinator, reference):
    response = upload(logged_in(coordinator), good_file())
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    assert not Practice.objects.exists()
    assert "Confirm the import" in response.content.decode()


def test_confirming_commits_every_row(coordinator, reference, settings):
    client = logged_in(coordinator)
    upload(client, good_file())
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert set(Practice.objects.values_list("slug", flat=True)) == {"one", "two"}
    two = Practice.objects.get(slug="two")
    assert two.themes.get().slug == "social-inclusion"
    assert two.created_by == coordinator == two.history.latest().history_user
    assert not list((settings.MEDIA_ROOT / "imports").glob("*.upload"))


def test_cancelling_writes_nothing_and_forgets_the_file(coordinator, reference, settings):
    client = logged_in(coordinator)
    upload(client, good_file())
    client.post("/en/reports/import/confirm/", {"action": "cancel"})
    assert not Practice.objects.exists()
    assert not list((settings.MEDIA_ROOT / "imports").glob("*.upload"))
    assert SESSION_KEY not in client.session


def test_a_file_changed_between_dry_run_and_confirmation_is_refused(
    coordinator, reference, settings
):
    client = logged_in(coordinator)
    upload(client, good_file())
    (kept,) = (settings.MEDIA_ROOT / "imports").glob("*.upload")
    kept.write_bytes(csv_bytes([HEADERS, practice_row("sneaky")]))
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_confirming_without_a_checked_file_changes_nothing(coordinator, reference):
    response = logged_in(coordinator).post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_a_confirmation_that_meets_an_error_writes_no_row(coordinator, reference):
    """The database changed after the dry run: one row fails, so no row is written."""
    client = logged_in(coordinator)
    upload(client, good_file())
    Theme.objects.filter(slug="social-inclusion").delete()
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 400
    assert not Practice.objects.exists()
    (problem,) = response.context["report"].problems
    assert (problem.row, problem.column) == (3, "themes")


def test_reimporting_the_same_file_changes_nothing(reference):
    assert run_import("practices", good_file(), "p.csv", dry_run=False).new == 2
    before = database_state()
    history = Practice.history.count()
    report = run_import("practices", good_file(), "p.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert database_state() == before
    assert Practice.history.count() == history


def test_a_changed_row_is_reported_as_updated(reference):
    run_import("practices", good_file(), "p.csv", dry_run=False)
    changed = csv_bytes([HEADERS, practice_row("one", title="New title"), practice_row("two")])
    report = run_import("practices", changed, "p.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 2, 0)
    assert Practice.objects.get(slug="one").title == "New title"


def test_values_are_matched_by_name_or_slug_whatever_the_case(reference):
    content = csv_bytes(
        [
            [*HEADERS, "stakeholders", "objectives", "indicators"],
            [
                *practice_row("one", themes="INTERCULTURAL DIALOGUE|Social-Inclusion"),
                "asticude (Lead)|acpp (PARTNER)",
                "17|23",
                "Narrative creators trained = 43 / 40 people",
            ],
        ]
    )
    call_command("load_demo")  # the GCM objectives
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert report.ok, report.problems
    practice = Practice.objects.get(slug="one")
    assert {t.slug for t in practice.themes.all()} == {"intercultural-dialogue", "social-inclusion"}
    assert {(r.stakeholder.slug, r.role) for r in practice.roles.all()} == {
        ("asticude", "lead"),
        ("acpp", "partner"),
    }
    indicator = practice.indicators.get()
    assert (indicator.achieved, indicator.target, indicator.unit) == (43, 40, "people")


def test_choices_are_read_from_their_code_or_label_whatever_the_case(reference):
    content = csv_bytes([HEADERS, practice_row("one", status="PUBLISHED")])
    assert run_import("practices", content, "p.csv", dry_run=False).ok
    stakeholders = csv_bytes(
        [["slug", "name", "kind"], ["uclg", "UCLG", "International organisation"]]
    )
    assert run_import("stakeholders", stakeholders, "s.csv", dry_run=False).ok
    assert Stakeholder.objects.get(slug="uclg").kind == "international"


def test_events_are_imported_with_participant_counts(asticude):
    EventSeries.objects.create(name="Migration Week Nador 2019", slug="migration-week-nador-2019")
    content = csv_bytes(
        [
            [
                "slug",
                "title",
                "status",
                "kind",
                "series",
                "organisation",
                "starts_at",
                "ends_at",
                "country",
                "participants_narrative_creators",
                "participants_total",
            ],
            [
                "training",
                "Training",
                "published",
                "training",
                "migration-week-nador-2019",
                "asticude",
                "2019-12-16 09:00:00",
                "2019-12-17 17:00:00",
                "MA",
                "43",
                "999",
            ],
        ]
    )
    report = run_import("events", content, "e.csv", dry_run=False)
    assert report.ok, report.problems
    assert ParticipantCount.objects.get(event__slug="training").count == 43


# Blank templates and access ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_a_blank_template_lists_the_columns_an_import_reads(coordinator, kind):
    response = logged_in(coordinator).get(f"/en/reports/import/template/{kind}.csv")
    content = content_of(response)
    header = content.decode("utf-8-sig").strip()
    assert header.startswith("slug,")
    assert "participants_total" not in header
    # Its columns are all known: the only problem is that it has no rows yet.
    report = run_import(kind, content, "t.csv", dry_run=True)
    assert [problem.message for problem in report.problems] == [
        "The file has no rows: add at least one row under the header."
    ]


def test_a_blank_xlsx_template_opens_in_a_spreadsheet_library(coordinator):
    from tests.spreadsheet_helpers import xlsx_rows

    response = logged_in(coordinator).get("/en/reports/import/template/events.xlsx")
    assert xlsx_rows(content_of(response)) == []


def test_anonymous_visitors_are_sent_to_sign_in_for_imports(client, reference):
    for response in (
        client.get("/en/reports/import/"),
        upload(client, good_file()),
        client.post("/en/reports/import/confirm/"),
        client.get("/en/reports/import/template/practices.csv"),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert not Practice.objects.exists()


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_cannot_import(request, reference, persona):
    client = logged_in(request.getfixturevalue(persona))
    assert client.get("/en/reports/import/").status_code == 403
    assert upload(client, good_file()).status_code == 403
    assert client.post("/en/reports/import/confirm/").status_code == 403
    assert not Practice.objects.exists()


def test_the_import_page_shows_the_form_and_the_templates(coordinator):
    response = logged_in(coordinator).get("/en/reports/import/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert 'for="id_file"' in page
    assert "/en/reports/import/template/stakeholders.xlsx" in page


def test_the_confirmation_answers_post_only(coordinator):
    assert logged_in(coordinator).get("/en/reports/import/confirm/").status_code == 405


# Round trip ------------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything the three exports carry, keyed by slug, ids left out."""

    def names(manager, field="slug"):
        return sorted(str(getattr(obj, field)) for obj in manager.all())

    practices = {}
    for practice in Practice.objects.all():
        values = {
            field: getattr(practice, field)
            for field in [
                "title",
                "status",
                "summary",
                "impact",
                "lessons_learnt",
                "city",
                "local_government",
                "mayor",
                "start_date",
                "end_date",
                "language",
                "is_sample",
                "published_at",
            ]
        }
        values.update(
            country=practice.country.code,
            organisation=practice.organisation.slug,
            programme=practice.programme and practice.programme.slug,
            themes=names(practice.themes),
            objectives=names(practice.objectives, "number"),
            principles=names(practice.principles),
            target_groups=names(practice.target_groups),
            areas=names(practice.areas),
            levels=names(practice.cooperation_levels, "code"),
            roles=sorted((r.stakeholder.slug, r.role) for r in practice.roles.all()),
            indicators=[(i.label, i.target, i.achieved, i.unit) for i in practice.indicators.all()],
        )
        practices[practice.slug] = values
    stakeholders = {
        s.slug: (s.name, s.kind, s.city, s.country.code, s.website, s.description)
        for s in Stakeholder.objects.all()
    }
    events = {
        e.slug: (
            e.title,
            e.status,
            e.kind,
            e.series and e.series.slug,
            e.organisation.slug,
            names(e.organisers),
            names(e.practices),
            e.starts_at,
            e.ends_at,
            e.venue,
            e.city,
            e.country.code,
            e.description,
            e.expected_participants,
            sorted((c.category, c.count) for c in e.participant_counts.all()),
        )
        for e in Event.objects.all()
    }
    return {"practices": practices, "stakeholders": stakeholders, "events": events}


def empty_the_database() -> None:
    """Remove every exported record; reference data and taxonomies stay, as in a fresh
    installation (migrations load the GCM reference data; taxonomies are not exported)."""
    Event.objects.all().delete()
    Practice.objects.all().delete()
    Stakeholder.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_data(coordinator, fmt):
    call_command("load_demo")
    before = snapshot()
    client = logged_in(coordinator)
    files = {
        kind: content_of(client.get(f"/en/reports/export/{kind}.{fmt}"))
        for kind in ("stakeholders", "practices", "events")
    }
    empty_the_database()
    assert not Practice.objects.exists() and not Stakeholder.objects.exists()
    for kind, content in files.items():
        report = run_import(kind, content, f"{kind}.{fmt}", dry_run=False)
        assert report.ok, report.problems
        assert report.new == report.total > 0
    assert snapshot() == before
