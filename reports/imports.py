"""Imports of practices, stakeholders and events from CSV or XLSX.

A file is read (reports/reading.py: size, kind, encoding, unpacked size, rows, header) and
checked before any row reaches the database: missing, duplicated or unknown columns, cell
lengths and duplicated keys. The rows then
go through the type's Resource inside one transaction, rolled back on a dry run or on
any error: a confirmed import writes every row or none.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nador_portal.collector import collected_less
from publishing.forms import LONG_TEXT_MAX_LENGTH
from reports.exports import EXPORT_TYPES
from reports.reading import ImportFileError, Sheet, read_sheet

HEADER_ROW = 1  # rows are numbered as in the spreadsheet: the header is row 1
# A report lists at most MAX_PROBLEMS problems and counts the others.
MAX_PROBLEMS = 200


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


class ReadOnceDataset(tablib.Dataset):
    """The rows of an import, each let go of once django-import-export has read it: its
    loop reads row i once, as dataset[i], and the rows are not read again (the report
    keeps the row numbers only). A practice's cells are most of an import's memory
    (~110 MB for 10,000 rows of the portal's own export); the rows already imported no
    longer hold theirs. A row read twice comes back empty: an error, never old values."""

    def __getitem__(self, key):
        found = super().__getitem__(key)
        if isinstance(key, int):
            self._data[key] = tablib.core.Row([])
        return found


def dataset_of(sheet: Sheet, resource) -> tablib.Dataset:
    """The sheet's rows as the Resource reads them; they are taken from the sheet, which
    keeps its header and row numbers."""
    keep = [i for i, header in enumerate(sheet.headers) if header not in resource.computed_columns]
    dataset = ReadOnceDataset(headers=[sheet.headers[i] for i in keep])
    rows, sheet.rows = sheet.rows, []
    for row in rows:
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
    content: bytes | BinaryIO,
    filename: str,
    dry_run: bool,
    progress: Callable | None = None,
    user=None,
) -> ImportReport:
    """Check and import a file (its bytes, or the file open for reading: read_sheet);
    commit only when not a dry run and nothing is wrong."""
    with collected_less():
        return _run_import(kind, content, filename, dry_run, progress, user)


def _run_import(kind, content, filename, dry_run, progress, user) -> ImportReport:
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
    dataset = dataset_of(sheet, resource)
    # The rows as read, frozen too (collected_less): a collection of the oldest
    # generation would walk each row's list again and again (100,000 rows: ~0.2 ms a row).
    gc.freeze()
    with transaction.atomic():
        result = resource.import_data(
            dataset,
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
