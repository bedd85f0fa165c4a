"""The operation of the migrations that only PostgreSQL needs: its text search
configurations and functions, the narrow vectors' table, the facet index. SQLite keeps
the models' plain columns and answers from the tables."""

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL on PostgreSQL, nothing on any other database. Each statement is run as
    written: never split (function bodies are dollar-quoted) nor formatted (no
    parameters)."""

    def __init__(self, sql, reverse_sql, **kwargs):
        super().__init__(_listed(sql), _listed(reverse_sql), **kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _listed(sql):
    """A statement as a list of one: RunSQL splits a string with sqlparse."""
    return [sql] if isinstance(sql, str) and sql != migrations.RunSQL.noop else sql
