"""The CSV export of practices written by PostgreSQL, in the Resource's columns.

`practice_csv_query` turns PracticeResource's export fields into one SELECT whose rows are
ready CSV lines, the same bytes as `exports.csv_lines` writes from the Resource's own cells
(the test compares them on hostile data): each widget's rendering (names of related objects
in their model's order, dates and booleans as the widgets write them, "name (role)" of
stakeholders, `format_indicator`), then `spreadsheet_cell` (control characters stripped,
formulas neutralised), then the quoting of Python's csv module. The selection is the
queryset passed in, compiled by Django as a subquery of primary keys.

In Python (exports.practice_rows + csv_lines) these cells cost more than reading the rows;
PostgreSQL writes them where it reads the rows (docs/performance/design.md, "CSV export
through PostgreSQL"). The lines come through a server-side cursor, a batch at
a time, so the response streams in bounded memory. A column the SQL cannot write (another
widget, a dehydrate method it does not know) makes `practice_csv_query` return None, and
the export takes the Python path, as on SQLite.
"""

# Table and column names in the SQL below come from the models' _meta, quoted; every value
# (separators, formats, the selection's own parameters) is a query parameter.
# ruff: noqa: S608
from __future__ import annotations

import functools
import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone
from import_export import widgets
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from attachments.models import Attachment, file_path
from practices.models import Indicator, Practice, PracticeTranslation, StakeholderRole, Status
from reports.resources.cells import SEPARATOR
from reports.resources.practices import PracticeResource
from reports.resources.translations import LABELS, TranslationColumn
from reports.spreadsheets import (
    FORMULA_PREFIXES,
    ChoiceWidget,
    NameOrSlugForeignKeyWidget,
    NameOrSlugManyToManyWidget,
    is_text,
    localised_columns,
    sheet_order,
    translated_fields,
)
from stakeholders.models import Stakeholder

#: Rows read per round trip of the server-side cursor (some 10 MB at 100k practices).
FETCH_SIZE = 2000
#: Lines are sent to the client in pieces of about this many bytes.
CHUNK_BYTES = 64 * 1024

# strftime directives of the widgets' formats and their to_char equivalents; any other
# letter in a format makes the export take the Python path.
TO_CHAR = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "HH24", "%M": "MI", "%S": "SS"}
#: The characters that make Python's csv module quote a cell (excel dialect); the comma
#: first: nearly every long text holds one.
QUOTED_CHARACTERS = (",", '"', "\n", "\r")
TEXT_RENDERS = {widgets.Widget.render, widgets.CharWidget.render, ChoiceWidget.render}


class Unsupported(Exception):
    """A column of the Resource that this module cannot write in SQL."""


class Sql:
    """A fragment of SQL and its parameters, for psycopg2 (%s placeholders)."""

    def __init__(self, text: str, *params):
        self.text = text
        self.params = list(params)

    def __repr__(self) -> str:
        return f"Sql({self.text!r}, {self.params!r})"


@dataclass
class Cell:
    """A column of the export: an expression of the practice `p` (`value`), or the `cell`
    of a table of (pk, cell) LEFT JOINed on pk = p.`on` (`join`). An expression may read
    a table joined to `p` (`outer`, the same join for the cells that share it)."""

    value: Sql | None
    join: Sql | None = None
    on: str = "id"
    outer: Sql | None = None


def qn(name: str) -> str:
    return connections["default"].ops.quote_name(name)


def column(alias: str, model, name: str) -> str:
    return f"{alias}.{qn(model._meta.get_field(name).column)}"


@functools.cache
def python_whitespace() -> str:
    """The characters str.rstrip() removes: format_indicator strips them at the end."""
    return "".join(char for char in map(chr, range(sys.maxunicode + 1)) if char.isspace())


def control_characters() -> str:
    """The characters spreadsheet_cell strips (openpyxl's ILLEGAL_CHARACTERS_RE), but NUL,
    which a PostgreSQL text cannot hold."""
    return "".join(chr(code) for code in range(1, 32) if ILLEGAL_CHARACTERS_RE.match(chr(code)))


CONTROL_BYTES = control_characters().encode()


def formula_class() -> str:
    """A bracket expression of the first characters neutralise() guards, for PostgreSQL."""
    if not all(len(prefix) == 1 and prefix not in "]\\^" for prefix in FORMULA_PREFIXES):
        raise Unsupported(FORMULA_PREFIXES)
    chars = "".join(prefix for prefix in FORMULA_PREFIXES if prefix != "-")
    return f"[{chars}{'-' if '-' in FORMULA_PREFIXES else ''}]"


def to_char_format(strftime_format: str) -> str:
    parts = re.split(r"(%.)", strftime_format)
    out = []
    for part in parts:
        if part.startswith("%"):
            if part not in TO_CHAR:
                raise Unsupported(strftime_format)
            out.append(TO_CHAR[part])
        elif re.search(r"[A-Za-z0-9\"\\]", part):
            raise Unsupported(strftime_format)  # to_char would read it as a pattern
        else:
            out.append(part)
    return "".join(out)


def localised(alias: str, model, name: str, language: str) -> str:
    """spreadsheets.localised in SQL: the language's column, else the default one's."""
    columns = localised_columns(model, name, language)
    if columns == [name]:
        return column(alias, model, name)
    tried = ", ".join(f"nullif({column(alias, model, one)}, '')" for one in columns)
    return f"coalesce({tried}, '')"


def sheet_order_sql(model, alias: str, language: str) -> list[str]:
    """spreadsheets.sort_key in SQL: text compared by code point (the "C" collation
    orders UTF-8 as Python orders str), then the primary key."""
    order = []
    for key in sheet_order(model):
        value = localised(alias, model, key, language)
        order.append(f'({value}) COLLATE "C"' if is_text(model, key) else value)
    return [*order, f"{alias}.{qn(model._meta.pk.column)}"]


def related_order(model, alias: str) -> list[str]:
    """The related model's Meta.ordering as SQL: the order of the Resource's prefetch."""
    order = []
    for key in model._meta.ordering:
        if not isinstance(key, str) or "__" in key:
            raise Unsupported(key)
        descending = key.startswith("-")
        order.append(column(alias, model, key.lstrip("-")) + (" DESC" if descending else ""))
    return order


def linked(
    practice_column: str, table: str, cell: str, order: list[str], separator: str, *params
) -> Cell:
    """A table of (pk, cell) per practice of the selection: the links of one relation
    in one string, in the order of the Resource's prefetch."""
    where = f"{practice_column} IN (SELECT pk FROM selection)"
    return Cell(
        None,
        Sql(
            f"SELECT {practice_column} AS pk, string_agg({cell}, %s ORDER BY {', '.join(order)})"
            f" AS cell FROM {table} WHERE {where} GROUP BY {practice_column}",
            *params,  # those of `cell`, which comes first
            separator,
        ),
    )


def many_to_many_cell(field, language: str) -> Cell:
    widget = field.widget
    model_field = Practice._meta.get_field(field.attribute)
    through = model_field.remote_field.through
    source, target = model_field.m2m_column_name(), model_field.m2m_reverse_name()
    related = widget.model
    table = (
        f"{qn(through._meta.db_table)} l JOIN {qn(related._meta.db_table)} r"
        f" ON r.{qn(related._meta.pk.column)} = l.{qn(target)}"
    )
    if translated_fields(related):
        order = sheet_order_sql(related, "r", language)
    else:
        order = [*related_order(related, "r"), f"l.{qn(through._meta.pk.column)}"]
    value = f"({localised('r', related, widget.field, language)})::text"
    return linked(f"l.{qn(source)}", table, value, order, widget.separator)


def translation_cell(field: TranslationColumn, public: bool) -> Cell:
    """TranslatedColumns.translation_cell: one join per language, none in the practice's
    own language, approved only for the open data."""
    model = PracticeTranslation
    alias = qn(f"t_{field.language}")
    condition = (
        f"{column(alias, model, 'practice')} = p.{qn(Practice._meta.pk.column)}"
        f" AND {column(alias, model, 'language')} = %s"
        f" AND {column('p', Practice, 'language')} <> %s"
    )
    params = [field.language, field.language]
    if public:
        condition += f" AND {column(alias, model, 'status')} = %s"
        params.append(Status.PUBLISHED.value)
    outer = Sql(f"LEFT JOIN {qn(model._meta.db_table)} {alias} ON {condition}", *params)
    if field.text != LABELS:
        return Cell(Sql(f"{column(alias, model, field.text)}::text"), outer=outer)
    return Cell(labels_cell(column(alias, model, LABELS)), outer=outer)


def labels_cell(labels: str) -> Sql:
    """translations.format_labels: the label of each indicator in the order of the
    indicators cell, empty when none of them has one."""
    if Indicator._meta.ordering != ["practice", "position", "id"]:
        raise Unsupported(LABELS)
    field = functools.partial(column, "i", Indicator)
    label = f"coalesce({labels} ->> {field('id')}::text, '')"
    return Sql(
        f"CASE WHEN {labels} IS NULL OR {labels} = '{{}}'::jsonb THEN NULL ELSE ("
        f"SELECT CASE WHEN bool_or({label} <> '')"
        f" THEN string_agg({label}, %s ORDER BY {field('position')}, {field('id')}) END"
        f" FROM {qn(Indicator._meta.db_table)} i"
        f" WHERE {field('practice')} = p.{qn(Practice._meta.pk.column)}) END",
        SEPARATOR,
    )


def foreign_key_cell(field, language: str) -> Cell:
    widget = field.widget
    model_field = Practice._meta.get_field(field.attribute)
    related = widget.model
    if widget.use_natural_foreign_keys or widget.key_is_id or "__" in widget.field:
        raise Unsupported(field.column_name)
    return Cell(
        None,
        Sql(
            f"SELECT r.{qn(related._meta.pk.column)} AS pk,"
            f" ({localised('r', related, widget.field, language)})::text AS cell"
            f" FROM {qn(related._meta.db_table)} r"
        ),
        on=model_field.column,
    )


def stakeholders_cell() -> Cell:
    """PracticeResource.dehydrate_stakeholders: "name (role)" in the roles' Meta.ordering
    (practice, role, stakeholder name)."""
    if StakeholderRole._meta.ordering != ["practice", "role", "stakeholder__name"]:
        raise Unsupported("stakeholders")
    role = functools.partial(column, "l", StakeholderRole)
    name = column("s", Stakeholder, "name")
    table = (
        f"{qn(StakeholderRole._meta.db_table)} l JOIN {qn(Stakeholder._meta.db_table)} s"
        f" ON s.{qn(Stakeholder._meta.pk.column)} = {role('stakeholder')}"
    )
    order = [role("role"), name, f"l.{qn(StakeholderRole._meta.pk.column)}"]
    value = f"{name} || ' (' || {role('role')} || ')'"
    return linked(role("practice"), table, value, order, SEPARATOR)


def indicators_cell() -> Cell:
    """PracticeResource.dehydrate_indicators: format_indicator, "label = achieved / target
    unit" with the numbers' trailing zeros dropped and the end stripped like str.rstrip."""
    if Indicator._meta.ordering != ["practice", "position", "id"]:
        raise Unsupported("indicators")
    field = functools.partial(column, "i", Indicator)

    def number(name: str) -> str:
        return f"coalesce(trim_scale({field(name)})::text, '')"

    text = (
        f"{field('label')} || ' = ' || {number('achieved')} || ' / ' || {number('target')}"
        f" || ' ' || {field('unit')}"
    )
    table = f"{qn(Indicator._meta.db_table)} i"
    order = [field("position"), field("id")]
    return linked(
        field("practice"),
        table,
        f"rtrim({text}, %s)",
        order,
        SEPARATOR,
        python_whitespace(),
    )


def attribute_cell(field, language: str) -> Cell:
    widget = field.widget
    if isinstance(widget, NameOrSlugManyToManyWidget):
        return many_to_many_cell(field, language)
    if isinstance(widget, NameOrSlugForeignKeyWidget):
        return foreign_key_cell(field, language)
    if "__" in field.attribute:
        raise Unsupported(field.column_name)
    value = column("p", Practice, field.attribute)
    render = type(widget).render
    if render in TEXT_RENDERS:
        return Cell(Sql(f"{value}::text"))
    if render is widgets.BooleanWidget.render:
        true, false = widgets.BooleanWidget.TRUE_VALUES[0], widgets.BooleanWidget.FALSE_VALUES[0]
        return Cell(Sql(f"CASE WHEN {value} THEN %s WHEN NOT {value} THEN %s END", true, false))
    if render is widgets.DateWidget.render:
        return Cell(Sql(f"to_char({value}, %s)", to_char_format(widget.formats[0])))
    if render is widgets.DateTimeWidget.render:
        local = f"{value} AT TIME ZONE %s" if settings.USE_TZ else value
        params = [str(timezone.get_current_timezone())] if settings.USE_TZ else []
        return Cell(Sql(f"to_char({local}, %s)", *params, to_char_format(widget.formats[0])))
    raise Unsupported(field.column_name)


def files_cell() -> Cell:
    """PracticeResource.dehydrate_files: the address of each file (attachments.file_path),
    in the attachments' Meta.ordering; a key is written by PostgreSQL as str(uuid) does."""
    field = functools.partial(column, "a", Attachment)
    start, end = file_path(KEY_MARK).split(str(KEY_MARK))
    table = f"{qn(Attachment._meta.db_table)} a"
    value = f"%s || {field('key')}::text || %s"
    order = related_order(Attachment, "a")
    return linked(field("practice"), table, value, order, SEPARATOR, start, end)


KEY_MARK = uuid.UUID(int=0)
DEHYDRATED = {
    "stakeholders": (PracticeResource.dehydrate_stakeholders, stakeholders_cell),
    "indicators": (PracticeResource.dehydrate_indicators, indicators_cell),
    "files": (PracticeResource.dehydrate_files, files_cell),
}


def cell(resource: PracticeResource, field) -> Cell:
    if isinstance(field, TranslationColumn):
        return translation_cell(field, resource.public)
    name = resource.get_field_name(field)
    method = getattr(type(resource), f"dehydrate_{name}", None)
    if field.dehydrate_method or method is not None:
        known, build = DEHYDRATED.get(name, (None, None))
        if method is not known or field.dehydrate_method:
            raise Unsupported(name)
        return build()
    if not field.attribute:
        raise Unsupported(name)
    return attribute_cell(field, resource.language)


def practice_csv_query(resource: PracticeResource, queryset: QuerySet) -> Sql | None:
    """One SELECT of the CSV lines (without their line ends) of the practices of
    `queryset`, by primary key; None when a column cannot be written in SQL.
    Raises EmptyResultSet when the queryset cannot match anything."""
    try:
        cells = [cell(resource, field) for field in resource.get_export_fields()]
    except Unsupported:
        return None
    ids, id_params = queryset.order_by().values("pk").query.sql_with_params()
    pk = qn(Practice._meta.pk.column)
    own, links, joins, outer = [], [], [], {}
    params, link_params = [], []
    for number, one in enumerate(cells):
        if one.outer is not None:
            outer.setdefault(one.outer.text, one.outer.params)
        if one.join is None:
            # || '' decompresses a long text once here, not once per use in csv_field.
            own.append(f"coalesce({one.value.text}, '') || '' AS c{number}")
            params += one.value.params
        elif one.on == Practice._meta.pk.column:
            joins.append(f"LEFT JOIN ({one.join.text}) j{number} ON j{number}.pk = s.pk")
            links.append(f"coalesce(j{number}.cell, '') AS c{number}")
            link_params += one.join.params
        else:
            own.append(
                f"coalesce((SELECT cell FROM ({one.join.text}) j{number}"
                f" WHERE j{number}.pk = p.{qn(one.on)}), '') AS c{number}"
            )
            params += one.join.params
    fields, field_params = [], []
    for number in range(len(cells)):
        text, more = csv_field(f"c{number}")
        fields.append(text)
        field_params += more
    # concat_ws() writes the line once; a || b || c ... copies it again at each cell.
    line = f"concat_ws(',', {', '.join(fields)})"
    # The links of the selection are read in bulk (a GROUP BY per relation) and sorted by
    # primary key while their rows are narrow, then each practice is read by its key in
    # that order: no sort of the wide rows (hundreds of MB at scale). The fence (OFFSET 0)
    # keeps PostgreSQL from computing a cell again for each use of it in csv_field.
    text = (
        f"WITH selection (pk) AS MATERIALIZED ({ids})"
        f" SELECT {line} FROM ("
        f"SELECT links.*, {', '.join(own)} FROM ("
        f"SELECT s.pk, {', '.join(links)} FROM selection s {' '.join(joins)}"
        f" ORDER BY s.pk OFFSET 0) links"
        f" JOIN {qn(Practice._meta.db_table)} p ON p.{pk} = links.pk {' '.join(outer)}"
        f" ORDER BY links.pk OFFSET 0) cells"
    )
    outer_params = [param for more in outer.values() for param in more]
    return Sql(text, *id_params, *field_params, *params, *link_params, *outer_params)


def csv_field(name: str) -> tuple[str, list]:
    """The cell `name` neutralised (exports.spreadsheet_cell) and quoted as Python's csv
    module does (QUOTE_MINIMAL: a cell holding a comma, a quote or a line break).

    strpos() and ascii() rather than regular expressions, which cost some 5 ns a byte
    (their text is first converted to wide characters): a comma is found at once in
    prose, and the first character is one comparison. Control characters are removed
    from the whole line afterwards (strip_controls); a formula behind them is found here."""
    first = f"ascii({name})"
    prefix = (
        f"CASE WHEN {first} = ANY(%s) OR ({first} BETWEEN 1 AND 31 AND {name} ~ %s)"
        " THEN '''' ELSE '' END"
    )
    special = " OR ".join(f"strpos({name}, chr({ord(char)})) > 0" for char in QUOTED_CHARACTERS)
    text = (
        f"CASE WHEN {special}"
        f" THEN '\"' || {prefix} || replace({name}, '\"', '\"\"') || '\"'"
        f" ELSE {prefix} || {name} END"
    )
    behind_controls = f"^[{control_characters()}]+{formula_class()}"
    params = [[ord(char) for char in FORMULA_PREFIXES], behind_controls]
    return text, params * 2


def strip_controls(data: bytes) -> bytes:
    """spreadsheet_cell's removal of control characters, from UTF-8 bytes (in which these
    bytes are never part of another character)."""
    return data.translate(None, CONTROL_BYTES)


def is_available(using: str) -> bool:
    """PostgreSQL with server-side cursors (a connection pooler in transaction mode needs
    them off, and a plain cursor would hold the whole file in memory)."""
    connection = connections[using]
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    )


def csv_chunks(header: str, query: Sql, using: str) -> Iterator[bytes]:
    """The CSV file: `header` (its first line) then the lines `query` selects, in pieces
    of about CHUNK_BYTES, read FETCH_SIZE rows at a time from a server-side cursor."""
    import psycopg2.extensions  # PostgreSQL only

    yield header.encode()
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as settings_cursor:
        # The planner's estimates of the joined aggregates are huge, which would make it
        # compile the query (JIT) for seconds, longer than a small export takes.
        settings_cursor.execute("SET LOCAL jit = off")
        with connection.chunked_cursor() as cursor:
            # Lines as bytes: no decoding here and encoding again for the response.
            psycopg2.extensions.register_type(psycopg2.extensions.BYTES, cursor.cursor)
            cursor.execute(query.text, query.params)
            pending, size = [], 0
            while rows := cursor.fetchmany(FETCH_SIZE):
                for (line,) in rows:
                    pending.append(line)
                    size += len(line)
                    if size >= CHUNK_BYTES:
                        yield strip_controls(b"\r\n".join(pending) + b"\r\n")
                        pending, size = [], 0
            if pending:
                yield strip_controls(b"\r\n".join(pending) + b"\r\n")
