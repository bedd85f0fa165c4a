"""The history of the practices an import saves, written in the database in bulk
(BulkPracticeImport._record_history, reports/resources/bulk.py): one version per practice
copied from its row as saved, and its many-to-many links copied into the version's, as
django-simple-history's bulk_history_create would, without a model object per version
or link."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

from practices.models import Practice

#: Versions are written this many at a time (a bounded IN list).
CHUNK = 500


def link_history_statement(field) -> str:
    """An INSERT … SELECT that copies the links of one many-to-many field into the
    history of the versions whose ids fill its IN (%s): done in the database, without a
    model object per link (about 100,000 for 10,000 practices)."""
    history = Practice.history.model
    model = HistoricalRecords.m2m_models[field]
    through = field.remote_field.through
    quote = connection.ops.quote_name
    copied = [f.attname for f in through._meta.concrete_fields]
    columns = [model._meta.get_field(name).column for name in copied]
    columns.append(model._meta.get_field("history").column)
    values = [f"link.{quote(through._meta.get_field(name).column)}" for name in copied]
    version_id = f"version.{quote(history._meta.pk.column)}"
    # Names from model metadata, quoted; the ids are parameters.
    table = quote(model._meta.db_table)
    return (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"SELECT {', '.join(values)}, {version_id} "
        f"FROM {quote(through._meta.db_table)} link "
        f"JOIN {quote(history._meta.db_table)} version "
        f"ON version.{quote(history._meta.get_field('id').column)} "
        f"= link.{quote(field.m2m_column_name())} "
        f"WHERE {version_id} IN (%s)"
    )


def version_statement(count: int) -> str:
    """An INSERT … SELECT that writes the version of `count` practices from their rows
    (the values just saved), as bulk_history_create would from the model objects, and
    returns the versions' ids; its parameters are the version's date, change reason, type
    and user, then the practices' ids."""
    history = Practice.history.model
    quote = connection.ops.quote_name
    tracked = [field.attname for field in history.tracked_fields]
    columns = [history._meta.get_field(name).column for name in tracked]
    values = [f"p.{quote(Practice._meta.get_field(name).column)}" for name in tracked]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    columns.extend(history._meta.get_field(name).column for name in extra)
    ids = ", ".join(["%s"] * count)
    return (
        f"INSERT INTO {quote(history._meta.db_table)} "  # noqa: S608
        f"({', '.join(map(quote, columns))}) "
        f"SELECT {', '.join(values)}, %s, %s, %s, %s "
        f"FROM {quote(Practice._meta.db_table)} p "
        f"WHERE p.{quote(Practice._meta.pk.column)} IN ({ids}) "
        f"RETURNING {quote(history._meta.pk.column)}"
    )


def copy_versions(practices: list[Practice], kind: str) -> list[int]:
    """One version of each practice ("+" new, "~" updated) with who and why, as
    bulk_history_create records it, copied in the database: no historical model object
    per practice (nor its 20 columns of text sent back). Returns the versions' ids."""
    history = Practice.history.model
    known = {field.attname for field in history.tracked_fields} | {
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    }
    if {field.attname for field in history._meta.concrete_fields} != known:
        # A field of the history the copy does not know how to fill: the library's way.
        created = Practice.history.bulk_history_create(
            practices, update=kind == "~", batch_size=CHUNK
        )
        return [version.pk for version in created]
    now = timezone.now()
    groups: dict[tuple, list[int]] = {}
    for practice in practices:
        user = getattr(practice, "_history_user", None) or history.get_default_history_user(
            practice
        )
        reason = get_change_reason_from_object(practice) or ""
        key = (getattr(user, "pk", user), reason)
        groups.setdefault(key, []).append(practice.pk)
    versions = []
    with connection.cursor() as cursor:
        for (user_id, reason), ids in groups.items():
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                cursor.execute(version_statement(len(chunk)), [now, reason, kind, user_id, *chunk])
                versions.extend(row[0] for row in cursor.fetchall())
    return versions
