"""Imports of practices, stakeholders and events from CSV or XLSX.

A file is read and checked before any row reaches the database: size, kind (the bytes,
not the name), encoding, unpacked size of an XLSX (a small file may unpack to gigabytes),
number of rows, missing, duplicated or unknown columns and duplicated keys. The rows then
go through the type's Resource inside one transaction, rolled back on a dry run or on
any error: a confirmed import writes every row or none.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from publishing.forms import LONG_TEXT_MAX_LENGTH
from reports.exports import EXPORT_TYPES

MAX_ZIP_MEMBERS = 1000
HEADER_ROW = 1  # rows are numbered as in the spreadsheet: the header is row 1
# A hostile header (800,000 repeated or unknown columns) is refused before anything is built
# from it, and a report lists at most MAX_PROBLEMS problems (the others are counted): the
# portal's own sheets have fewer than 60 columns with names under 40 characters.
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 100
MAX_PROBLEMS = 200


def limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def max_bytes() -> int:
    return limit("IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return limit("IMPORT_MAX_ROWS", 5000)


def max_unpacked_bytes() -> int:
    return limit("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)


def too_big(size: int) -> str:
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.") % {
        "size": round(size / 2**20, 1),
        "limit": round(max_bytes() / 2**20, 1),
    }


class ImportFileError(Exception):
    """The file cannot be read as a spreadsheet of this type; nothing was written."""


def not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("This is not a spreadsheet the portal can read: upload a CSV (UTF-8) or XLSX file.")
    )


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]
    row_numbers: list[int]


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    problem_count: int = 0

    def note(self, problems: Iterable[Problem]) -> None:
        """Keep the first MAX_PROBLEMS problems and count them all."""
        for problem in problems:
            self.problem_count += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(problem)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def problems_not_shown(self) -> int:
        return self.problem_count - len(self.problems)

    def not_shown_message(self) -> str:
        count = self.problems_not_shown
        return ngettext(
            "… and %(count)d more problem, not listed: correct those above and check the "
            "file again.",
            "… and %(count)d more problems, not listed: correct those above and check the "
            "file again.",
            count,
        ) % {"count": count}

    def summary(self) -> str:
        kind = EXPORT_TYPES[self.kind].label if self.kind in EXPORT_TYPES else self.kind
        counts = _("%(kind)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged") % {
            "kind": kind,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        errors = ngettext("%(count)d error", "%(count)d errors", self.problem_count) % {
            "count": self.problem_count
        }
        if self.problem_count:
            outcome = _("nothing written")
        elif self.dry_run:
            outcome = _("dry run, nothing written")
        else:
            outcome = _("committed")
        return f"{counts}, {errors} ({outcome})."


# Reading ------------------------------------------------------------------------------


def read_sheet(content: bytes, filename: str) -> Sheet:
    """The header and rows of an uploaded CSV or XLSX, or ImportFileError."""
    if len(content) > max_bytes():
        raise ImportFileError(too_big(len(content)))
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _read_utf16(content)
    if looks_like_utf16(content):
        raise ImportFileError(
            _(
                "This file is in UTF-16 without a byte order mark: save it as “CSV UTF-8” "
                "and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xls", ".ods", ".zip")) or b"\x00" in content[:4096]:
        raise not_a_spreadsheet()
    return _read_csv(content)


def _check_row_count(count: int) -> None:
    if count > max_rows():
        raise ImportFileError(
            _("The file has more than %(limit)d rows; split it into files of at most %(limit)d.")
            % {"limit": max_rows()}
        )


def _check_column_count(count: int) -> None:
    if count > MAX_COLUMNS:
        raise ImportFileError(
            _(
                "The header row has %(count)d columns; a sheet of the portal has at most "
                "%(limit)d. Keep only the columns of the import template."
            )
            % {"count": count, "limit": MAX_COLUMNS}
        )


def _check_header(headers: list[str]) -> None:
    _check_column_count(len(headers))
    for number, header in enumerate(headers, start=1):
        if len(header) > MAX_HEADER_CHARS:
            raise ImportFileError(
                _(
                    "The name of column %(number)d has %(length)d characters; column names "
                    "have at most %(limit)d. Use the names of the import template."
                )
                % {"number": number, "length": len(header), "limit": MAX_HEADER_CHARS}
            )


def looks_like_utf16(content: bytes) -> bool:
    """Text in UTF-16 has a NUL byte beside each Latin letter: at every even or every
    odd place of its start."""
    start = content[:200]
    even, odd = start[0::2], start[1::2]
    return len(start) >= 4 and any(
        not nuls.strip(b"\x00") and b"\x00" not in text for nuls, text in ((even, odd), (odd, even))
    )


def _read_utf16(content: bytes) -> Sheet:
    """Spreadsheet programs write "Unicode text" in UTF-16 with a byte order mark."""
    try:
        text = content.decode("utf-16")
    except UnicodeDecodeError:
        raise not_a_spreadsheet() from None
    return _read_csv_text(text)


def _read_csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not encoded in UTF-8 (unreadable byte at position %(position)d). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"position": error.start}
        ) from None
    return _read_csv_text(text)


def _read_csv_text(text: str) -> Sheet:
    # The header decides the separator: a comma, or the semicolon or tab that spreadsheet
    # programs write in some languages.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    _check_column_count(header.count(delimiter) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _sheet(reader)
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is malformed: %(error)s.") % {"error": error}
        ) from None


def _read_xlsx(content: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(
            _("This is not a spreadsheet the portal can read: the XLSX file is damaged.")
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportFileError(
            _("The XLSX file holds %(count)d parts, far more than a spreadsheet: it is refused.")
            % {"count": len(members)}
        )
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise not_a_spreadsheet()
    # The sizes declared in the zip directory, checked before anything is unpacked.
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked_bytes() or unpacked > 200 * max(len(content), 1):
        raise ImportFileError(
            _(
                "The XLSX file unpacks to %(size)s MB, far more than a spreadsheet of its size "
                "should: it is refused. Save the sheet again or as CSV."
            )
            % {"size": round(unpacked / 2**20, 1)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            # One column more than allowed is enough to refuse a sheet with too many.
            rows = workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            return _sheet(rows)
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(
            _("This is not a spreadsheet the portal can read: the XLSX file is damaged.")
        ) from None


def _cell(value):
    """A cell as text, except dates and numbers typed in a spreadsheet, which the
    Resource's widgets read natively (17.0 becomes 17)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | int | float | date):
        return value
    return str(value)


def _sheet(rows) -> Sheet:
    iterator = iter(rows)
    headers = None
    data, numbers = [], []
    for number, row in enumerate(iterator, start=1):
        cells = [_cell(value) for value in row]
        if headers is None:
            headers = [str(cell).strip() for cell in cells]
            while headers and headers[-1] == "":
                headers.pop()
            _check_header(headers)
            continue
        if not any(str(cell).strip() for cell in cells):
            continue  # blank line
        _check_row_count(len(data) + 1)
        cells = (cells + [""] * len(headers))[: len(headers)]
        data.append(cells)
        numbers.append(number)
    if not headers:
        raise ImportFileError(_("The file has no header row."))
    return Sheet(headers, data, numbers)


# Checking -----------------------------------------------------------------------------


def check_columns(sheet: Sheet, resource) -> list[Problem]:
    problems = []
    allowed = set(resource.get_export_headers())
    seen = set()
    for header in sheet.headers:
        if header == "":
            problems.append(Problem(HEADER_ROW, None, _("A column has no name.")))
        elif header in seen:
            problems.append(
                Problem(HEADER_ROW, header, _("This column appears twice; keep only one."))
            )
        elif header not in allowed:
            problems.append(
                Problem(
                    HEADER_ROW,
                    header,
                    _("Unknown column. The columns of this type are: %(columns)s.")
                    % {"columns": ", ".join(resource.get_export_headers())},
                )
            )
        seen.add(header)
    for column in resource.required_columns:
        if column not in seen:
            problems.append(Problem(HEADER_ROW, column, _("This required column is missing.")))
    return problems


def check_lengths(sheet: Sheet, resource) -> list[Problem]:
    """A cell is held to its field's length, and text areas, which have none in the
    database, to the forms' limit."""
    limits = {
        header: min(resource.max_length(header) or LONG_TEXT_MAX_LENGTH, LONG_TEXT_MAX_LENGTH)
        for header in sheet.headers
    }
    problems = []
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        for header, cell in zip(sheet.headers, row, strict=True):
            if len(str(cell)) > limits[header]:
                message = _(
                    "This cell has %(length)d characters; the limit of this column is "
                    "%(limit)d. Shorten it."
                )
                values = {"length": len(str(cell)), "limit": limits[header]}
                problems.append(Problem(number, header, message % values))
    return problems


def check_keys(sheet: Sheet, key: str) -> list[Problem]:
    if key not in sheet.headers:
        return []
    index = sheet.headers.index(key)
    first_row: dict[str, int] = {}
    problems = []
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        value = str(row[index]).strip().casefold()
        if not value:
            problems.append(Problem(number, key, _("The key is empty.")))
        elif value in first_row:
            problems.append(
                Problem(
                    number,
                    key,
                    _("“%(value)s” is already on row %(row)d: each row needs its own key.")
                    % {"value": str(row[index]).strip(), "row": first_row[value]},
                )
            )
        else:
            first_row[value] = number
    return problems


# Importing ----------------------------------------------------------------------------


def dataset_of(sheet: Sheet, resource) -> tablib.Dataset:
    keep = [i for i, header in enumerate(sheet.headers) if header not in resource.computed_columns]
    dataset = tablib.Dataset(headers=[sheet.headers[i] for i in keep])
    for row in sheet.rows:
        dataset.append([row[i] for i in keep])
    return dataset


def _row_problems(result, resource, numbers: list[int]) -> list[Problem]:
    problems = []
    for invalid in result.invalid_rows:
        number = numbers[invalid.number - 1]
        for key, messages in invalid.error_dict.items():
            column = None if key == NON_FIELD_ERRORS else resource.column_for(key)
            problems.extend(Problem(number, column, str(message)) for message in messages)
    for index, errors in result.row_errors():
        for error in errors:
            problems.append(Problem(numbers[index - 1], None, _plain(error.error)))
    for error in result.base_errors:
        problems.append(Problem(None, None, _plain(error.error)))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _plain(error: Exception) -> str:
    messages = getattr(error, "messages", None)
    if messages:
        return " ".join(str(message) for message in messages)
    return _("This row could not be saved: %(error)s") % {
        "error": str(error) or type(error).__name__
    }


def run_import(
    kind: str,
    content: bytes,
    filename: str,
    dry_run: bool,
    progress: Callable | None = None,
    user=None,
) -> ImportReport:
    """Check and import a file; commit only when not a dry run and nothing is wrong."""
    resource = EXPORT_TYPES[kind].resource()
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        sheet = read_sheet(content, filename)
    except ImportFileError as error:
        report.note([Problem(None, None, str(error))])
        return report
    report.total = len(sheet.rows)
    if progress is not None and hasattr(progress, "start"):
        progress.start(report.total)
    report.note(check_columns(sheet, resource))
    if report.ok and not sheet.rows:
        message = _("The file has no rows: add at least one row under the header.")
        report.note([Problem(None, None, message)])
    elif report.ok:
        report.note(check_keys(sheet, resource._meta.import_id_fields[0]))
        report.note(check_lengths(sheet, resource))
    if not report.ok:
        return report
    with transaction.atomic():
        result = resource.import_data(
            dataset_of(sheet, resource),
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            progress=progress,
            user=user,
        )
        report.note(_row_problems(result, resource, sheet.row_numbers))
        if not report.ok or dry_run:
            transaction.set_rollback(True)
    _count(report, result, sheet.row_numbers)
    return report


def _count(report: ImportReport, result, numbers: list[int]) -> None:
    labels = {"new": _("new"), "update": _("updated"), "skip": _("unchanged")}
    for index, row_result in enumerate(result.rows):
        outcome = row_result.import_type
        if outcome == "new":
            report.new += 1
        elif outcome == "update":
            report.updated += 1
        elif outcome == "skip":
            report.unchanged += 1
        if outcome in labels:
            report.rows.append(
                {
                    "row": numbers[index] if index < len(numbers) else None,
                    "outcome": labels[outcome],
                    "key": row_result.object_repr or "",
                }
            )
