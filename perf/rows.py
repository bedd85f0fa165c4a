"""Rows written in bulk for the bench data (perf/benchdata.py): plain dicts keyed by column
name, so a branch that adds a column only adds a key. On PostgreSQL they go in with COPY;
elsewhere with executemany. Primary keys are chosen by the caller, from next_id(), so links
need no round trip; reset_all_sequences() moves the sequences past them at the end."""

# Table names in the SQL below come from model metadata, never from input.
# ruff: noqa: S608
from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

BATCH = 5_000


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def insert_rows(table: str, rows: Iterable[dict]) -> int:
    """Insert dict rows in batches: COPY on PostgreSQL, executemany elsewhere."""
    total = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            total += _flush(table, batch)
            batch = []
    if batch:
        total += _flush(table, batch)
    return total


def _flush(table: str, batch: list[dict]) -> int:
    columns = list(batch[0])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Bytes, not a StringIO: that keeps 4 bytes a character, 120 MB for a batch
            # of 5,000 practices of about 6,000 characters.
            buffer = io.BytesIO()
            for row in batch:
                buffer.write("\t".join(_copy_value(row[c]) for c in columns).encode())
                buffer.write(b"\n")
            buffer.seek(0)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
        else:
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                [[row[c] for c in columns] for row in batch],
            )
    return len(batch)


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def reset_all_sequences() -> None:
    """Every model's id sequence, links' tables included, set back to its table's largest
    id (Django's own `sqlsequencereset` statements; none on SQLite, which takes the next
    id from the table): after rows written with ids of their own, or rolled back or
    deleted, new practices take the ids they would on the bench data, and the facet
    bitmaps (one bit per id) keep their length run after run."""
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
