"""Hostile headers are refused before anything is built from them: too many columns, a column
name of a page's length, and reports that would list hundreds of thousands of problems."""

import tracemalloc

import pytest

from reports.imports import MAX_PROBLEMS, run_import
from reports.reading import MAX_COLUMNS
from tests.conftest import logged_in
from tests.reports.import_helpers import HEADERS, database_state, practice_row, upload
from tests.spreadsheet_helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _peak_of(function) -> int:
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_header_repeating_a_column_800000_times_is_refused_in_one_sentence(
    coordinator, reference
):
    content = ("title," * 800_000).encode()[:4_800_000] + b"\nx\n"
    before = database_state()
    response = upload(logged_in(coordinator), content)
    assert response.status_code == 200
    body = response.content.decode()
    assert "columns; a sheet of the portal has at most 200" in body
    assert body.count("<tr>") <= 2  # one problem, not 800,000 lines
    assert len(response.content) < 100_000
    assert database_state() == before


def test_a_header_of_many_unknown_columns_is_refused_with_bounded_memory(reference):
    content = ",".join(f"c{number}" for number in range(626_389)).encode() + b"\n1\n"
    report = run_import("practices", content, "practices.csv", dry_run=True)
    assert not report.ok
    assert "626389 columns" in str(report.problems[0])
    # The file itself is 4.8 MB: nothing much bigger than it is built.
    assert _peak_of(lambda: run_import("practices", content, "p.csv", dry_run=True)) < 30 * 2**20


def test_an_xlsx_with_too_many_columns_is_refused(reference):
    content = xlsx_bytes([[f"c{number}" for number in range(MAX_COLUMNS + 5)], ["1"]])
    report = run_import("practices", content, "practices.xlsx", dry_run=True)
    assert "a sheet of the portal has at most 200" in str(report.problems[0])


def test_a_column_name_of_a_page_length_is_refused(reference):
    content = csv_bytes([[*HEADERS, "x" * 5000], [*practice_row("one"), ""]])
    report = run_import("practices", content, "practices.csv", dry_run=True)
    assert report.problem_count == 1
    assert "The name of column 8 has 5000 characters" in str(report.problems[0])


def test_a_report_lists_at_most_its_limit_and_counts_the_others(reference):
    rows = [HEADERS] + [practice_row(f"p{number}", title="x" * 300) for number in range(250)]
    report = run_import("practices", csv_bytes(rows), "practices.csv", dry_run=True)
    assert report.problem_count == 250
    assert len(report.problems) == MAX_PROBLEMS
    assert "250 errors" in report.summary()
    assert "… and 50 more problems, not listed" in report.not_shown_message()


def test_the_import_page_says_how_many_problems_are_not_listed(coordinator, reference):
    rows = [HEADERS] + [practice_row(f"p{number}", title="x" * 300) for number in range(210)]
    body = upload(logged_in(coordinator), csv_bytes(rows)).content.decode()
    assert "… and 10 more problems, not listed" in body
