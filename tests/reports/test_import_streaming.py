"""A large import holds the rows of its file, not also the file's bytes and a decoded copy
of them; its versions, links, roles and indicators are written in the database in bulk,
with the values the row-by-row way would have written."""

import io
import tracemalloc
from decimal import Decimal

import pytest

from practices.models import Indicator, Practice
from reports import reading
from reports.imports import run_import
from reports.reading import ImportFileError, read_sheet
from tests.spreadsheet_helpers import PRACTICE_HEADERS, csv_bytes, import_queries, practices_file

pytestmark = pytest.mark.django_db

REASON = "Imported from a spreadsheet"

AWKWARD = (
    "\ufeffslug;title;summary\r\n"
    'one;"Two\r\nlines";"Quoted ""word"" and a lone\rreturn"\r\n'
    "two;مرحبا بكم;Résumé, with a comma\n"
    'three;"Ends in a newline\n";\r\n'
)


def whole_file_reading(content: bytes) -> reading.Sheet:
    """The sheet read from the file decoded at once, as imports read it before."""
    return reading._read_csv_text(content.decode("utf-8-sig"))


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1 << 20])
def test_a_csv_read_a_chunk_at_a_time_gives_the_rows_of_the_whole_file(monkeypatch, chunk):
    monkeypatch.setattr(reading, "DECODE_CHUNK", chunk)
    content = AWKWARD.encode()
    sheet = read_sheet(content, "practices.csv")
    assert sheet == whole_file_reading(content)
    assert sheet.headers == ["slug", "title", "summary"]
    assert sheet.rows[0] == ["one", "Two\r\nlines", 'Quoted "word" and a lone\rreturn']
    assert sheet.rows[1][1] == "مرحبا بكم"
    assert sheet.row_numbers == [2, 3, 4]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_unreadable_byte_past_the_first_chunk_is_reported_at_its_place_in_the_file(
    monkeypatch, bom
):
    monkeypatch.setattr(reading, "DECODE_CHUNK", 16)
    content = bom + b"slug,title\n" + b"a-slug,A title\n" * 5 + b"last,Caf\xe9\n"
    with pytest.raises(UnicodeDecodeError) as whole:
        content.decode("utf-8-sig")
    with pytest.raises(ImportFileError) as error:
        read_sheet(content, "practices.csv")
    assert f"unreadable byte at position {whole.value.start})" in str(error.value)


def test_an_import_reads_an_open_file_as_it_reads_its_bytes(reference):
    content = practices_file(3)
    from_file = run_import("practices", io.BytesIO(content), "p.csv", dry_run=True)
    from_bytes = run_import("practices", content, "p.csv", dry_run=True)
    assert from_file.ok and from_bytes.ok
    assert (
        (from_file.new, from_file.rows) == (from_bytes.new, from_bytes.rows) == (3, from_file.rows)
    )


def test_reading_a_csv_holds_its_rows_not_a_decoded_copy_of_the_file(monkeypatch):
    monkeypatch.setattr(reading, "DECODE_CHUNK", 64 * 1024)
    text = "مرحبا بكم في بوابة الممارسات " * 20  # Arabic: two bytes a character in Python
    rows = [["slug", "title", "summary"], *([f"p-{n}", "A title", text] for n in range(2_000))]
    file = io.BytesIO(csv_bytes(rows))
    size = len(file.getvalue())
    tracemalloc.start()
    try:
        sheet = read_sheet(file, "practices.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(sheet.rows) == 2_000
    # The rows themselves take about the file's size; decoding the whole file, then
    # splitting it with io.StringIO (four bytes a character), took six times it.
    assert peak < 2 * size


def test_the_version_of_an_imported_practice_holds_what_the_practice_holds(reference, coordinator):
    import_queries(practices_file(3), user=coordinator)
    import_queries(practices_file(3, title="Renamed"), user=coordinator)
    tracked = [field.attname for field in Practice.history.model.tracked_fields]
    for practice in Practice.objects.all():
        first, last = practice.history.order_by("history_date", "history_id")
        assert (first.history_type, last.history_type) == ("+", "~")
        assert {first.history_user, last.history_user} == {coordinator}
        assert {first.history_change_reason, last.history_change_reason} == {REASON}
        assert last.history_date >= first.history_date
        assert {name: getattr(last, name) for name in tracked} == {
            name: getattr(practice, name) for name in tracked
        }
        assert set(last.themes.values_list("theme_id", flat=True)) == set(
            practice.themes.values_list("pk", flat=True)
        )


def test_the_indicators_of_new_practices_hold_what_django_would_have_written(reference):
    rows = [
        [*PRACTICE_HEADERS[:-1], "indicators"],
        [
            "rounded",
            "Rounded",
            "published",
            "ASTICUDE",
            "What it did.",
            "MA",
            "social-inclusion",
            "ASTICUDE (lead)",
            "Trained = 1.005 / 40.125 people|Visits = 7 / 10 visits|Empty =  / ",
        ],
    ]
    report = run_import("practices", csv_bytes(rows), "p.csv", dry_run=False)
    assert report.ok, report.problems
    practice = Practice.objects.get(slug="rounded")
    imported = list(practice.indicators.values_list("label", "achieved", "target", "unit"))
    written = [
        Indicator(practice=practice, label=label, achieved=achieved, target=target, unit=unit)
        for label, achieved, target, unit in [
            ("Trained", Decimal("1.005"), Decimal("40.125"), "people"),
            ("Visits", Decimal("7"), Decimal("10"), "visits"),
            ("Empty", None, None, ""),
        ]
    ]
    Indicator.objects.filter(practice=practice).delete()
    Indicator.objects.bulk_create(written)
    assert imported == list(practice.indicators.values_list("label", "achieved", "target", "unit"))
    assert set(practice.roles.values_list("stakeholder__name", "role")) == {("ASTICUDE", "lead")}


def test_a_dry_run_of_forty_rows_costs_no_more_queries_than_ten(
    reference, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        run_import("practices", practices_file(10), "p.csv", dry_run=True)
    # SQLite splits an INSERT of many columns and rows by its limit of bound variables.
    with django_assert_max_num_queries(len(ten.captured_queries) + 3):
        report = run_import("practices", practices_file(40), "p.csv", dry_run=True)
    assert report.new == 40
    assert not Practice.objects.exists()
