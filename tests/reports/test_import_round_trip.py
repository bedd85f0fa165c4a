"""A file exported and imported back unedited changes nothing and records no version,
whatever precision the database keeps that the file does not (published_at and the
events' times are stored with microseconds, exported to the second)."""

from datetime import UTC, datetime

import pytest

from events.models import Event
from practices.models import Practice
from reports.imports import run_import
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import content_of

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 11, 30, 9, 15, 42, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published_through_the_site(asticude, theme):
    for title in ("Job fair", "Mentoring"):
        practice = make_practice(asticude, title, published_at=PUBLISHED)
        practice.themes.add(theme)


@pytest.fixture
def event_with_microseconds(asticude):
    return Event.objects.create(
        title="Training",
        slug="training",
        kind="training",
        status="published",
        organisation=asticude,
        starts_at=PUBLISHED,
        ends_at=PUBLISHED.replace(hour=17, microsecond=654321),
        country="MA",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_unedited_practice_export_reports_all_unchanged_and_records_no_version(
    coordinator, published_through_the_site, fmt
):
    client = logged_in(coordinator)
    content = content_of(client.get(f"/en/reports/export/practices.{fmt}"))
    versions = Practice.history.count()
    report = run_import("practices", content, f"p.{fmt}", dry_run=False, user=coordinator)
    assert report.ok, report.problems
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert Practice.history.count() == versions
    assert set(Practice.objects.values_list("published_at", flat=True)) == {PUBLISHED}


def test_a_changed_title_keeps_the_stored_publication_time_to_the_microsecond(
    coordinator, published_through_the_site
):
    client = logged_in(coordinator)
    content = content_of(client.get("/en/reports/export/practices.csv"))
    edited = content.replace(b"Mentoring,", b"Mentoring again,", 1)
    report = run_import("practices", edited, "p.csv", dry_run=False, user=coordinator)
    assert (report.updated, report.unchanged) == (1, 1)
    assert Practice.objects.get(title="Mentoring again").published_at == PUBLISHED


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_unedited_event_export_reports_all_unchanged_and_records_no_version(
    coordinator, event_with_microseconds, fmt
):
    client = logged_in(coordinator)
    content = content_of(client.get(f"/en/reports/export/events.{fmt}"))
    versions = Event.history.count()
    report = run_import("events", content, f"e.{fmt}", dry_run=False, user=coordinator)
    assert report.ok, report.problems
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert Event.history.count() == versions
    assert Event.objects.get().starts_at == PUBLISHED
