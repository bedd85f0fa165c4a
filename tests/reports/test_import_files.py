"""Reading and checking the imported file: CSV (comma or semicolon) and xlsx are read;
a malformed or hostile file, or one over a limit, is refused with a clear message and
nothing written."""

import io
import zipfile

import pytest

from practices.models import Practice
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
from tests.spreadsheet_helpers import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Formats read ------------------------------------------------------------------------------


def test_an_xlsx_file_is_imported(reference):
    content = xlsx_bytes([HEADERS, practice_row("one"), practice_row("two")])
    report = run_import("practices", content, "p.xlsx", dry_run=False)
    assert report.ok and report.new == 2


def test_an_xlsx_typed_by_hand_with_date_cells_reimports_unchanged(reference):
    from datetime import datetime

    content = xlsx_bytes([[*HEADERS, "start_date"], [*practice_row("one"), datetime(2021, 3, 1)]])
    assert run_import("practices", content, "p.xlsx", dry_run=False).new == 1
    assert str(Practice.objects.get().start_date) == "2021-03-01"
    assert run_import("practices", content, "p.xlsx", dry_run=False).unchanged == 1


def test_a_semicolon_separated_csv_is_read(reference):
    text = ";".join(HEADERS) + "\n" + ";".join(practice_row("one")) + "\n"
    assert run_import("practices", text.encode(), "p.csv", dry_run=True).new == 1


# Malformed and hostile files: refused with a clear message, nothing written ------------------


def zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return output.getvalue()


def zip_of_many_parts() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(1001):
            archive.writestr(f"xl/part{number}.xml", "")
    return output.getvalue()


def xml_entity_bomb() -> bytes:
    """A real workbook whose sheet declares nested XML entities ("billion laughs")."""
    laughs = '<!DOCTYPE s [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADERS, practice_row("one")])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode() + data
            archive.writestr(item, data)
    return output.getvalue()


def zip_of_text() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return output.getvalue()


MALFORMED = {
    "wrong encoding": (
        lambda: csv_bytes([HEADERS, practice_row("one", title="Café à Nador")], "latin-1"),
        "p.csv",
        (None, None, "not encoded in UTF-8"),
    ),
    "not a spreadsheet (binary)": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        "photo.csv",
        (None, None, "not a spreadsheet"),
    ),
    "not a spreadsheet (named xlsx)": (
        lambda: b"slug,title\nx,y\n",
        "p.xlsx",
        (None, None, "not a spreadsheet"),
    ),
    "not a spreadsheet (a zip of text)": (zip_of_text, "p.xlsx", (None, None, "not a spreadsheet")),
    "zip bomb": (zip_bomb, "bomb.xlsx", (None, None, "unpacks to")),
    "xml entity bomb": (xml_entity_bomb, "laughs.xlsx", (None, None, "damaged")),
    "zip of many parts": (zip_of_many_parts, "parts.xlsx", (None, None, "parts, far more")),
    "missing column": (
        lambda: csv_bytes([HEADERS[:-3] + ["themes"], practice_row("one")[:4] + ["x"]]),
        "p.csv",
        (1, "summary", "required column is missing"),
    ),
    "duplicated column": (
        lambda: csv_bytes([[*HEADERS, "title"], [*practice_row("one"), "again"]]),
        "p.csv",
        (1, "title", "appears twice"),
    ),
    "unknown column": (
        lambda: csv_bytes([[*HEADERS, "colour"], [*practice_row("one"), "blue"]]),
        "p.csv",
        (1, "colour", "Unknown column"),
    ),
    "duplicated key": (
        lambda: csv_bytes([HEADERS, practice_row("one"), practice_row("two"), practice_row("ONE")]),
        "p.csv",
        (4, "slug", "already on row 2"),
    ),
    "unknown taxonomy value": (
        lambda: csv_bytes(
            [HEADERS, practice_row("one"), practice_row("two", themes="Dialogue|Astrology")]
        ),
        "p.csv",
        (3, "themes", "Unknown theme: “Dialogue”, “Astrology”"),
    ),
    "unknown organisation": (
        lambda: csv_bytes([HEADERS, practice_row("one", organisation="Nobody")]),
        "p.csv",
        (2, "organisation", "Unknown stakeholder: “Nobody”"),
    ),
    "invalid status": (
        lambda: csv_bytes([HEADERS, practice_row("one", status="famous")]),
        "p.csv",
        (2, "status", "Unknown value “famous”; use one of: draft, submitted"),
    ),
    "only blank lines": (lambda: b"\n\n  \n", "p.csv", (None, None, "The file is empty")),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_written(
    coordinator, reference, case
):
    make, name, (row, column, words) = MALFORMED[case]
    before = database_state()
    response = upload(logged_in(coordinator), make(), name)
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.ok
    assert any(
        problem.row == row and problem.column == column and words in problem.message
        for problem in report.problems
    ), report.problems
    assert words in response.content.decode()
    assert "Confirm the import" not in response.content.decode()
    assert database_state() == before
    assert SESSION_KEY not in response.wsgi_request.session


def test_an_empty_file_is_refused_by_the_form(coordinator):
    response = upload(logged_in(coordinator), b"")
    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()


def test_an_unknown_stakeholder_in_the_roles_is_an_error_of_its_row(reference):
    content = csv_bytes(
        [[*HEADERS, "stakeholders"], [*practice_row("one"), "ASTICUDE (lead)|Ghost NGO (partner)"]]
    )
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(2, "stakeholders")]
    assert "Ghost NGO" in report.problems[0].message
    assert not Stakeholder.objects.filter(name="Ghost NGO").exists()
    assert not Practice.objects.exists()


def test_a_file_over_the_size_limit_is_refused(coordinator, reference, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(logged_in(coordinator), good_file() + b"x" * 100)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Practice.objects.exists()


def test_a_file_over_the_row_limit_is_refused(coordinator, reference, settings):
    settings.IMPORT_MAX_ROWS = 2
    content = csv_bytes([HEADERS, *(practice_row(f"p{n}") for n in range(3))])
    response = upload(logged_in(coordinator), content)
    (problem,) = response.context["report"].problems
    assert "more than 2 rows" in problem.message
    assert not Practice.objects.exists()


def test_an_import_with_one_bad_row_writes_none_of_the_good_ones(reference):
    content = csv_bytes([HEADERS, practice_row("one"), practice_row("two", country="")])
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(3, "country")]
    assert not Practice.objects.exists()
