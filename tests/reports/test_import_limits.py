"""The import limits agree with each other and with the portal's own export: a coordinator
re-imports an export of IMPORT_MAX_ROWS practices with the default settings, and a refused
file says which limit it passed and into how many rows to split it."""

import csv
import io
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command

from practices.models import Practice
from reports import reading
from tests.conftest import logged_in
from tests.reports.import_helpers import upload
from tests.spreadsheet_helpers import content_of

pytestmark = pytest.mark.django_db


def largest_row(content: bytes) -> int:
    """In bytes, as a CSV record (texts hold line breaks inside quotes: not lines)."""
    records = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(records) > 1
    return max(len(",".join(record).encode()) for record in records[1:])


def unpacked_per_row(content: bytes, rows: int) -> float:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(member.file_size for member in archive.infolist()) / rows


def test_the_portals_own_export_of_the_row_limit_fits_the_size_limits(coordinator):
    call_command("load_demo")  # the Nador record, with its translations: the longest row
    client = logged_in(coordinator)
    csv_content = content_of(client.get("/en/reports/export/practices.csv"))
    xlsx_content = content_of(client.get("/en/reports/export/practices.xlsx"))
    row = largest_row(csv_content)
    assert row > 5000  # the measure is of the real record, not of a stub
    assert settings.IMPORT_MAX_ROWS * row <= settings.IMPORT_MAX_BYTES
    per_row = unpacked_per_row(xlsx_content, Practice.objects.count())
    assert settings.IMPORT_MAX_ROWS * max(per_row, row) <= settings.IMPORT_MAX_UNPACKED_BYTES


def test_the_defaults_follow_the_row_limit():
    assert settings.IMPORT_MAX_BYTES == settings.IMPORT_MAX_ROWS * settings.IMPORT_ROW_BYTES
    assert settings.IMPORT_MAX_UNPACKED_BYTES == 2 * settings.IMPORT_MAX_BYTES


def test_a_file_over_the_size_limit_says_the_limit_and_the_rows_to_split_into(
    coordinator, reference, settings
):
    settings.IMPORT_ROW_BYTES = 1000
    settings.IMPORT_MAX_BYTES = 3000
    response = upload(logged_in(coordinator), b"title,summary\n" + b"x" * 4000)
    assert response.status_code == 400
    page = response.content.decode()
    assert "the limit is" in page
    assert "Split it into files of at most 3 rows." in page
    assert not Practice.objects.exists()


def test_the_rows_to_split_into_never_pass_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 10
    settings.IMPORT_ROW_BYTES = 1000
    assert reading.rows_in(1_000_000) == 10
    assert reading.rows_in(5000) == 5
    assert reading.rows_in(10) == 1


def test_an_xlsx_over_the_unpacked_limit_says_the_limit_and_the_rows(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 4000
    settings.IMPORT_ROW_BYTES = 1000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<x>" + "a" * 5000 + "</x>")
    with pytest.raises(reading.ImportFileError) as refused:
        reading.read_sheet(buffer.getvalue(), "big.xlsx")
    assert "the limit is" in str(refused.value)
    assert "at most 2 rows" in str(refused.value)
