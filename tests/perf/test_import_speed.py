"""The import of practices costs a bounded number of queries per row, so that 10,000 rows go
in one transaction in seconds (timed by `make bench`), and still records one version of
each imported practice."""

import pytest

from perf import import_bench
from practices.models import Practice, Theme
from reports.imports import run_import
from tests.conftest import make_practice
from tests.spreadsheet_helpers import import_queries, practices_file

pytestmark = pytest.mark.django_db

REASON = "Imported from a spreadsheet"


def test_new_rows_cost_a_bounded_number_of_queries_each(reference):
    five = import_queries(practices_file(5))
    Practice.objects.all().delete()
    twenty_five = import_queries(practices_file(25))
    # A bound of 3 queries a row; in fact rows are written in bulk, 500 a statement
    # (tests/reports/test_import_bulk.py), links, roles, indicators, history and derived data at
    # the end, and lookups are read once.
    assert twenty_five - five <= 20 * 3


def test_updated_and_unchanged_rows_cost_a_few_queries_each(reference):
    import_queries(practices_file(25))
    unchanged = import_queries(practices_file(25))
    changed = import_queries(practices_file(25, title="Renamed"))
    import_queries(practices_file(5, title="Again"))
    five_changed = import_queries(practices_file(5, title="Once more"))
    # A changed title: a savepoint, its release and the update; the links, roles and
    # indicators were prefetched and are unchanged. An unchanged row: only the savepoint.
    assert changed - five_changed <= 20 * 3
    assert unchanged <= changed


def test_reimporting_an_imported_file_changes_nothing(reference):
    import_queries(practices_file(3))
    versions = Practice.history.count()
    report = run_import("practices", practices_file(3), "practices.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert Practice.history.count() == versions


def test_an_import_records_one_version_per_practice_with_who_and_why(reference, coordinator):
    import_queries(practices_file(3), user=coordinator)
    import_queries(practices_file(3, title="Renamed"), user=coordinator)
    for practice in Practice.objects.all():
        versions = list(practice.history.order_by("history_date", "history_id"))
        assert [version.history_type for version in versions] == ["+", "~"]
        assert versions[-1].title.startswith("Renamed")
        assert {version.history_user for version in versions} == {coordinator}
        assert {version.history_change_reason for version in versions} == {REASON}
        linked = {link.theme.slug for link in versions[0].themes.all()}
        assert linked == {"social-inclusion", *practice.themes.values_list("slug", flat=True)}


def test_the_import_bench_imports_half_updates_half_new_and_leaves_the_data_as_they_were(
    reference, tmp_path
):
    import_queries(practices_file(4))
    before = sorted(Practice.objects.values_list("slug", "title"))
    path = tmp_path / "practices.csv"
    assert import_bench.export_file(path, 4) == 4
    for dry_run, outcome in ((True, "dry run, nothing written"), (False, "committed")):
        result = import_bench.child(str(path), dry_run)
        assert result["status"] == "ok"
        assert result["summary"] == (
            f"Practices: 2 new, 2 updated, 0 unchanged, 0 errors ({outcome})."
        )
        assert result["statements"] > 0 and result["peak_rss_mb"] > 0
    # The stock peers read the same file: every row a practice they write, none refused.
    for importer in ("stock", "stock tuned"):
        for dry_run, outcome in ((True, "stock, dry run"), (False, "stock, imported")):
            result = import_bench.child(str(path), dry_run, importer=importer)
            assert result["summary"] == (
                f"Practices: 2 new, 2 updated, 0 unchanged, 0 errors ({outcome})."
            )
    assert sorted(Practice.objects.values_list("slug", "title")) == before
    # The ids are as they were too: the next practice takes the one after the last.
    last = Practice.objects.order_by("-id").first()
    assert make_practice(last.organisation, "Next").pk == last.pk + 1
    # And those of the links' tables, which no model of the project's own declares.
    themes = Practice.themes.through
    last_link = themes.objects.order_by("-id").first()
    link = themes.objects.create(
        practice=last, theme=Theme.objects.create(name="Sport", slug="sport")
    )
    assert link.pk == last_link.pk + 1
