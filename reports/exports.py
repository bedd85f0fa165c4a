"""Exports of practices, stakeholders and events as CSV, XLSX or JSON, in bounded memory.

Rows come from the Resource the admin uses, in chunks of CHUNK_SIZE read by primary key
with their relations prefetched: a chunk costs the same few queries whatever its size, so
the number of queries grows with rows / CHUNK_SIZE only. CSV and JSON are streamed as
they are produced; so is XLSX (reports/xlsx_stream.py), a zip written as its rows are read:
whatever the size, the first byte leaves at once and no worker waits for a whole file.
On PostgreSQL the CSV of practices is written by the database itself, the same bytes
(reports/sql_export.py, database_csv).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from attachments.models import Attachment, file_path
from events.models import Event
from practices.models import Indicator, Practice, PracticeTranslation, StakeholderRole
from reports import sql_export
from reports.resources.cells import SEPARATOR, format_indicator
from reports.resources.events import EventResource
from reports.resources.practices import PracticeResource
from reports.resources.stakeholders import StakeholderResource
from reports.resources.translations import LABELS, TranslationColumn, format_labels
from reports.spreadsheets import (
    NameOrSlugForeignKeyWidget,
    NameOrSlugManyToManyWidget,
    localised_expression,
    neutralise,
    sheet_order,
    translated_fields,
)
from reports.xlsx_stream import xlsx_chunks
from stakeholders.models import Stakeholder

CHUNK_SIZE = 500
PRACTICE_CHUNK_SIZE = 2000
PIECE_CHARS = 64 * 1024
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class ExportType:
    name: str
    label: str
    resource: type
    model: type


EXPORT_TYPES = {
    "practices": ExportType("practices", _("Practices"), PracticeResource, Practice),
    "stakeholders": ExportType("stakeholders", _("Stakeholders"), StakeholderResource, Stakeholder),
    "events": ExportType("events", _("Events"), EventResource, Event),
}


def chunked(queryset: QuerySet, size: int = CHUNK_SIZE) -> Iterator:
    """Every object of `queryset`, read by primary key in chunks that keep prefetching."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        objects = list(page[:size])
        yield from objects
        if len(objects) < size:
            return
        last = objects[-1].pk


def rows(resource, queryset: QuerySet, progress: Callable | None = None) -> Iterator[list]:
    if isinstance(resource, PracticeResource):
        yield from practice_rows(resource, queryset, progress)
        return
    fields = resource.get_export_fields()
    for obj in chunked(type(resource).export_queryset(queryset)):
        yield [resource.export_field(field, obj) for field in fields]
        if progress:
            progress()


def practice_rows(
    resource: PracticeResource, queryset: QuerySet, progress: Callable | None = None
) -> Iterator[list]:
    """The rows of PracticeResource's export, the same cell for cell, read as plain values:
    per chunk of PRACTICE_CHUNK_SIZE practices one query for their columns and one per
    many-to-many field, stakeholders, indicators and translations, and no model instance:
    through the Resource each row builds some fifty model instances, an order of magnitude
    slower (docs/performance/log.md)."""
    fields = resource.get_export_fields()
    columns = {
        field.column_name: column_name(field)
        for field in fields
        if field.attribute and not isinstance(field.widget, NameOrSlugManyToManyWidget)
    }
    # A foreign key is written as a field of its record, in the sheet's language.
    names = {
        column_name(field): localised_expression(
            field.widget.model, field.widget.field, resource.language, f"{field.attribute}__"
        )
        for field in fields
        if isinstance(field.widget, NameOrSlugForeignKeyWidget)
    }
    queryset = queryset.order_by("pk").annotate(**names).values("pk", *columns.values())
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page[:PRACTICE_CHUNK_SIZE])
        if not chunk:
            return
        related = _related_cells(resource, fields, chunk[0]["pk"], chunk[-1]["pk"])
        for values in chunk:
            yield [_cell(field, values, columns, related) for field in fields]
            if progress:
                progress()
        if len(chunk) < PRACTICE_CHUNK_SIZE:
            return
        last = chunk[-1]["pk"]


def column_name(field) -> str:
    """The name practice_rows reads a column by: a foreign key's annotation, or the field."""
    if isinstance(field.widget, NameOrSlugForeignKeyWidget):
        return f"sheet_{field.attribute}"
    return field.attribute


def _cell(field, values: dict, columns: dict, related: dict):
    if field.column_name in related:
        return related[field.column_name].get(values["pk"], "")
    value = values[columns[field.column_name]]
    if isinstance(field.widget, NameOrSlugForeignKeyWidget):
        return "" if value is None else str(value)
    return field.widget.render(value)


def _related_cells(resource, fields, first: int, last: int) -> dict[str, dict[int, str]]:
    """{column: {practice id: cell}} of the many-to-many columns, stakeholders,
    indicators and translations of the practices with ids from `first` to `last`, in the
    order the Resource writes them. A range rather than a list of ids: an index range
    scan, no 2,000 parameters to send; rows of practices outside the export are read and
    ignored."""
    ids = {"practice_id__gte": first, "practice_id__lte": last}
    cells: dict[str, dict[int, str]] = {}
    for field in fields:
        if isinstance(field.widget, NameOrSlugManyToManyWidget):
            pairs = _names(field, ids, resource.language)
            cells[field.column_name] = _joined(pairs, field.widget.separator)
    roles = StakeholderRole.objects.filter(**ids)
    cells["stakeholders"] = _joined(
        (pk, f"{name} ({role})")
        for pk, name, role in roles.values_list("practice_id", "stakeholder__name", "role")
    )
    indicators = Indicator.objects.filter(**ids).only(
        "practice_id", "label", "achieved", "target", "unit", "position"
    )
    indicator_ids: dict[int, list[int]] = {}
    for indicator in indicators:
        indicator_ids.setdefault(indicator.practice_id, []).append(indicator.pk)
    cells["indicators"] = _joined(
        (indicator.practice_id, format_indicator(indicator)) for indicator in indicators
    )
    attachments = Attachment.objects.filter(**ids).order_by("practice_id", "created_at", "id")
    cells["files"] = _joined(
        (practice_id, file_path(key))
        for practice_id, key in attachments.values_list("practice_id", "key")
    )
    cells.update(_translation_cells(resource, fields, ids, indicator_ids))
    return cells


def _translation_cells(resource, fields, ids: dict, indicator_ids: dict) -> dict:
    """The translation columns: every translation not in the practice's own language (the
    approved ones only for the open data)."""
    wanted = [field for field in fields if isinstance(field, TranslationColumn)]
    if not wanted:
        return {}
    translations = PracticeTranslation.objects.filter(**ids).exclude(
        language=F("practice__language")
    )
    if resource.public:
        translations = translations.published()
    cells: dict[str, dict[int, str]] = {field.column_name: {} for field in wanted}
    for translation in translations.defer("review_comment"):
        for field in wanted:
            if field.language != translation.language:
                continue
            if field.text == LABELS:
                labels = translation.indicator_labels or {}
                value = format_labels(labels, indicator_ids.get(translation.practice_id, []))
            else:
                value = getattr(translation, field.text)
            cells[field.column_name][translation.practice_id] = value
    return cells


def _names(field, ids: dict, language: str):
    """(practice id, key) of a many-to-many field, in the order of the Resource's cell:
    the related model's own order (for a model with names per language, sheet_order)."""
    model = field.widget.model
    through = Practice._meta.get_field(field.attribute).remote_field.through
    link = next(f.name for f in through._meta.get_fields() if f.related_model is model)
    links = through.objects.filter(**ids)
    name = localised_expression(model, field.widget.field, language, f"{link}__")
    if not translated_fields(model):
        order = [
            f"{'-' if key.startswith('-') else ''}{link}__{key.lstrip('-')}"
            for key in model._meta.ordering
        ]
        return (
            links.order_by(*order, "pk")
            .annotate(sheet_cell=name)
            .values_list("practice_id", "sheet_cell")
        )
    keys = {
        f"sheet_key_{key}": localised_expression(model, key, language, f"{link}__")
        for key in sheet_order(model)
    }
    rows = links.annotate(sheet_cell=name, **keys).values_list(
        "practice_id", "sheet_cell", *keys, f"{link}_id"
    )
    return [(row[0], row[1]) for row in sorted(rows, key=lambda row: (row[0], *row[2:]))]


def _joined(pairs, separator: str = SEPARATOR) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for pk, value in pairs:
        found.setdefault(pk, []).append(str(value))
    return {pk: separator.join(values) for pk, values in found.items()}


def spreadsheet_cell(value):
    if value is None:
        return ""
    # isprintable() is several times cheaper than the regular expression, and a printable
    # text holds none of its control characters: most cells skip the expression.
    if isinstance(value, str) and not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


class Echo:
    """A file-like object whose write() returns what it is given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], data: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(Echo())
    # A byte-order mark makes Excel read the file as UTF-8; the import ignores it.
    yield "\ufeff" + writer.writerow(headers)
    for row in data:
        yield csv_line(writer, row)


def csv_line(writer, row: list) -> str:
    """One row of the CSV (`writer`: a csv.writer of _Echo)."""
    return writer.writerow([spreadsheet_cell(value) for value in row])


JSON_START, JSON_SEPARATOR, JSON_END = "[", ",\n", "\n]\n"


def json_chunks(headers: list[str], data: Iterable[list]) -> Iterator[str]:
    yield JSON_START
    separator = "\n"
    for row in data:
        yield separator + json_record(headers, row)
        separator = JSON_SEPARATOR
    yield JSON_END


def json_record(headers: list[str], row: list) -> str:
    return json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False)


def write_xlsx(headers: list[str], data: Iterable[list], output, title: str = "Export") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in data:
        sheet.append([spreadsheet_cell(value) for value in row])
    workbook.save(output)


def xlsx_stream(headers: list[str], data: Iterable[list], title: str) -> Iterator[bytes]:
    """The workbook's bytes as its rows are read (reports/xlsx_stream.py)."""
    cleaned = ([spreadsheet_cell(value) for value in row] for row in data)
    return xlsx_chunks(headers, cleaned, title)


def filter_label(params) -> str:
    """A short, file-name-safe summary of the filters: theme-social-inclusion_country-ma."""
    parts = []
    for name in sorted(set(params.keys())):
        values = [value for value in params.getlist(name) if value]
        if values:
            parts.append(slugify(f"{name}-{'-'.join(values)}"))
    label = "_".join(parts)[:80].strip("-_")
    return label or "all"


def file_name(kind: str, fmt: str, params) -> str:
    today = timezone.localdate().isoformat()
    return re.sub(r"[^A-Za-z0-9_.-]", "", f"{kind}_{today}_{filter_label(params)}.{fmt}")


def export_response(
    export_type: ExportType, queryset: QuerySet, fmt: str, params, public: bool = False
):
    """The download of `queryset`, its categories named in the active language (the
    page's); `public`: the open data, whose practices show approved translations only."""
    resource = export_type.resource(public=True) if public else export_type.resource()
    chunks = database_csv(resource, queryset) if fmt == "csv" else None
    if chunks is not None:
        return streaming_response(chunks, fmt, file_name(export_type.name, fmt, params))
    return download(
        resource.get_export_headers(),
        rows(resource, queryset),
        fmt,
        file_name(export_type.name, fmt, params),
        sheet_title=export_type.name,
    )


def template_response(export_type: ExportType, fmt: str):
    """A blank file with the columns an import of this type reads."""
    resource = export_type.resource()
    headers = [
        header
        for header in resource.get_export_headers()
        if header not in resource.computed_columns
    ]
    return download(headers, [], fmt, f"{export_type.name}_template.{fmt}", export_type.name)


def database_csv(resource, queryset: QuerySet) -> Iterator[bytes] | None:
    """The CSV of practices written by PostgreSQL (reports/sql_export.py), the same bytes
    as csv_lines(rows(...)); None where it cannot be (SQLite, a column it cannot write)."""
    if not isinstance(resource, PracticeResource) or not sql_export.is_available(queryset.db):
        return None
    header = next(csv_lines(resource.get_export_headers(), []))
    try:
        query = sql_export.practice_csv_query(resource, queryset)
    except EmptyResultSet:  # a filter that matches nothing (an unknown value)
        return iter([header.encode()])
    if query is None:
        return None
    return sql_export.csv_chunks(header, query, queryset.db)


def in_pieces(chunks: Iterable[str]) -> Iterator[str]:
    """Lines joined into pieces of about PIECE_CHARS characters: one write to the client
    per piece, not per line."""
    pending, length = [], 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= PIECE_CHARS:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def download(headers: list[str], data: Iterable[list], fmt: str, name: str, sheet_title: str):
    if fmt == "xlsx":
        return streaming_response(xlsx_stream(headers, data, sheet_title), fmt, name)
    chunks = csv_lines(headers, data) if fmt == "csv" else json_chunks(headers, data)
    return streaming_response(in_pieces(chunks), fmt, name)


def streaming_response(chunks: Iterable, fmt: str, name: str) -> StreamingHttpResponse:
    return with_download_headers(StreamingHttpResponse(chunks, content_type=FORMATS[fmt]), name)


def with_download_headers(response, name: str):
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
