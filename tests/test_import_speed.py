"""The import of practices costs a bounded number of queries per row (issue 6: 10,000 rows
in one transaction in under 30 s), and still records one version of each imported practice."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.imports import run_import
from practices.models import Practice, Theme
from tests.spreadsheet_helpers import csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "slug",
    "title",
    "status",
    "organisation",
    "summary",
    "country",
    "themes",
    "stakeholders",
    "indicators",
]
REASON = "Imported from a spreadsheet"


@pytest.fixture
def reference(asticude, acpp, theme):
    Theme.objects.create(name="Social inclusion", slug="social-inclusion")


def practices_file(count: int, title: str = "Practice") -> bytes:
    rows = [
        [
            f"practice-{n}",
            f"{title} {n}",
            "published",
            "ASTICUDE",
            "What it did.",
            "MA",
            "Intercultural dialogue|social-inclusion",
            "ASTICUDE (lead)|ACPP (partner)",
            f"People trained = {n} / 40 people",
        ]
        for n in range(count)
    ]
    return csv_bytes([HEADERS, *rows])


def queries_of(content: bytes, user=None) -> int:
    with CaptureQueriesContext(connection) as context:
        report = run_import("practices", content, "practices.csv", dry_run=False, user=user)
    assert report.ok, report.problems
    return len(context.captured_queries)


def test_new_rows_cost_a_bounded_number_of_queries_each(reference):
    five = queries_of(practices_file(5))
    Practice.objects.all().delete()
    twenty_five = queries_of(practices_file(25))
    # Per new row: a savepoint, its release and the insert. Links, roles, indicators,
    # history and derived data are written in bulk at the end; lookups are read once.
    assert twenty_five - five <= 20 * 3


def test_updated_and_unchanged_rows_cost_a_few_queries_each(reference):
    queries_of(practices_file(25))
    unchanged = queries_of(practices_file(25))
    changed = queries_of(practices_file(25, title="Renamed"))
    queries_of(practices_file(5, title="Again"))
    five_changed = queries_of(practices_file(5, title="Once more"))
    # A changed title: a savepoint, its release and the update; the links, roles and
    # indicators were prefetched and are unchanged. An unchanged row: only the savepoint.
    assert changed - five_changed <= 20 * 3
    assert unchanged <= changed


def test_reimporting_an_imported_file_changes_nothing(reference):
    queries_of(practices_file(3))
    versions = Practice.history.count()
    report = run_import("practices", practices_file(3), "practices.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert Practice.history.count() == versions


def test_an_import_records_one_version_per_practice_with_who_and_why(reference, coordinator):
    queries_of(practices_file(3), user=coordinator)
    queries_of(practices_file(3, title="Renamed"), user=coordinator)
    for practice in Practice.objects.all():
        versions = list(practice.history.order_by("history_date", "history_id"))
        assert [version.history_type for version in versions] == ["+", "~"]
        assert versions[-1].title.startswith("Renamed")
        assert {version.history_user for version in versions} == {coordinator}
        assert {version.history_change_reason for version in versions} == {REASON}
        linked = {link.theme.slug for link in versions[0].themes.all()}
        assert linked == {"social-inclusion", *practice.themes.values_list("slug", flat=True)}
