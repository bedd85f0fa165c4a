"""PostgreSQLOnly, the operation of the migrations that only PostgreSQL needs: there it
runs each statement whole, both ways; on any other database it runs nothing."""

from types import SimpleNamespace

import pytest
from django.db.migrations.state import ProjectState

from nador_portal.migration_operations import PostgreSQLOnly

BODY = "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1; $$"


class Editor:
    """A schema editor that records what it is given to run."""

    def __init__(self, vendor: str):
        self.connection = SimpleNamespace(vendor=vendor, alias="default")
        self.executed: list[tuple[str, object]] = []

    def execute(self, sql, params=()):
        self.executed.append((sql, params))


def _run(operation, vendor: str, direction: str) -> list:
    editor = Editor(vendor)
    state = ProjectState()
    getattr(operation, f"database_{direction}")("search", editor, state, state)
    return editor.executed


@pytest.mark.parametrize("direction", ["forwards", "backwards"])
def test_on_postgresql_each_statement_runs_whole_and_unformatted(direction):
    operation = PostgreSQLOnly([BODY, "SELECT 2"], "DROP FUNCTION f(); DROP TABLE t")
    expected = {
        "forwards": [(BODY, None), ("SELECT 2", None)],
        "backwards": [("DROP FUNCTION f(); DROP TABLE t", None)],
    }
    assert _run(operation, "postgresql", direction) == expected[direction]


@pytest.mark.parametrize("direction", ["forwards", "backwards"])
def test_on_any_other_database_nothing_runs(direction):
    assert _run(PostgreSQLOnly(BODY, "DROP FUNCTION f()"), "sqlite", direction) == []


def test_a_statement_without_a_reverse_is_undone_by_nothing():
    assert (
        _run(PostgreSQLOnly("UPDATE t SET a = 1", PostgreSQLOnly.noop), "postgresql", "backwards")
        == []
    )
