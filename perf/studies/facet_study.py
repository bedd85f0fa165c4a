"""Measure candidate designs for the list page's facet counts directly in SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5433/nador6 python perf/studies/facet_study.py

Needs bench data (manage.py generate_bench_data). Builds scratch tables `study_*` (dropped at
the end), runs every design for the same filter combinations and prints median and p95 in ms
of the whole set of queries one page would need. Figures are in docs/performance/design.md.
"""

from __future__ import annotations

# Identifiers in the SQL come from the constants above, values go in as parameters.
# ruff: noqa: S608
import os
import statistics
import sys
import time
from urllib.parse import urlparse

import psycopg2

RUNS = int(os.environ.get("RUNS", "15"))

# Facet dimensions as they appear in the int keys: dimension * 10,000,000 + value.
DIMS = {
    "theme": (1, "practices_practice_themes", "theme_id"),
    "objective": (2, "practices_practice_objectives", "gcmobjective_id"),
    "principle": (3, "practices_practice_principles", "guidingprinciple_id"),
    "target_group": (4, "practices_practice_target_groups", "targetgroup_id"),
    "area": (5, "practices_practice_areas", "interventionarea_id"),
    "level": (6, "practices_practice_cooperation_levels", "cooperationlevel_id"),
    "stakeholder": (7, "practices_stakeholderrole", "stakeholder_id"),
}
STEP = 10_000_000

BUILD = """
DROP TABLE IF EXISTS study_keys;
CREATE TABLE study_keys AS
SELECT p.id AS practice_id, p.status = 'published' AS published,
       p.country, p.city, p.programme_id, extract(year FROM p.start_date)::int AS year,
       ARRAY(
         SELECT 10000000 + theme_id FROM practices_practice_themes WHERE practice_id = p.id
         UNION ALL SELECT 20000000 + gcmobjective_id FROM practices_practice_objectives
           WHERE practice_id = p.id
         UNION ALL SELECT 30000000 + guidingprinciple_id FROM practices_practice_principles
           WHERE practice_id = p.id
         UNION ALL SELECT 40000000 + targetgroup_id FROM practices_practice_target_groups
           WHERE practice_id = p.id
         UNION ALL SELECT 50000000 + interventionarea_id FROM practices_practice_areas
           WHERE practice_id = p.id
         UNION ALL SELECT 60000000 + cooperationlevel_id
           FROM practices_practice_cooperation_levels WHERE practice_id = p.id
         UNION ALL SELECT DISTINCT 70000000 + stakeholder_id FROM practices_stakeholderrole
           WHERE practice_id = p.id
         UNION ALL SELECT DISTINCT 80000000 + array_position(ARRAY['municipality', 'ngo',
             'migrant_collective', 'media', 'public_institution', 'international', 'academia',
             'other']::text[], s.kind::text)
           FROM practices_stakeholderrole r
           JOIN stakeholders_stakeholder s ON s.id = r.stakeholder_id
           WHERE r.practice_id = p.id
         UNION ALL SELECT 90000000 + ascii(substr(p.country, 1, 1)) * 256
           + ascii(substr(p.country, 2, 1))
         UNION ALL SELECT 100000000 + p.programme_id WHERE p.programme_id IS NOT NULL
         UNION ALL SELECT 110000000 + extract(year FROM p.start_date)::int
           WHERE p.start_date IS NOT NULL
       )::int[] AS keys
FROM practices_practice p;
ALTER TABLE study_keys ADD PRIMARY KEY (practice_id);
CREATE INDEX study_keys_gin ON study_keys USING gin (keys) WHERE published;
CREATE INDEX study_keys_city ON study_keys (city) WHERE published;
"""


def connect():
    url = urlparse(os.environ["DATABASE_URL"])
    return psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, dbname=url.path[1:]
    )


def timed(cursor, statements: list[tuple[str, tuple]]) -> float:
    began = time.perf_counter()
    for sql, params in statements:
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - began) * 1000


def measure(cursor, statements) -> tuple[float, float]:
    timed(cursor, statements)  # warm the buffers: the target is about application caches
    times = sorted(timed(cursor, statements) for _ in range(RUNS))
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


# -- designs: each returns the list of (sql, params) one page needs ---------------------------

PUBLISHED = "p.status = 'published'"


def naive_filters(filters: dict, skip: str = "") -> tuple[str, list]:
    """WHERE clauses on practices_practice p for the active filters (EXISTS per link)."""
    clauses, params = [PUBLISHED], []
    for dim, value in filters.items():
        if dim == skip:
            continue
        if dim == "country":
            clauses.append("p.country = %s")
        elif dim == "city":
            clauses.append("p.city = %s")
        else:
            _, table, column = DIMS[dim]
            clauses.append(
                f"EXISTS (SELECT 1 FROM {table} l WHERE l.practice_id = p.id AND l.{column} = %s)"
            )
        params.append(value)
    return " AND ".join(clauses), params


def design_naive(filters: dict) -> list:
    """Today's way: one GROUP BY per facet over the link table, joined to the selection."""
    statements = []
    for dim, (_, table, column) in DIMS.items():
        where, params = naive_filters(filters, skip=dim)
        statements.append(
            (
                f"SELECT l.{column}, count(*) FROM {table} l JOIN practices_practice p "
                f"ON p.id = l.practice_id WHERE {where} GROUP BY 1",
                tuple(params),
            )
        )
    where, params = naive_filters(filters)
    statements.append(
        (
            "SELECT s.kind, count(DISTINCT r.practice_id) FROM practices_stakeholderrole r "
            "JOIN stakeholders_stakeholder s ON s.id = r.stakeholder_id "
            f"JOIN practices_practice p ON p.id = r.practice_id WHERE {where} GROUP BY 1",
            params,
        )
    )
    for column in ("country", "city", "programme_id", "extract(year FROM p.start_date)"):
        dim = {"country": "country", "city": "city"}.get(column, "")
        where, params = naive_filters(filters, skip=dim)
        statements.append(
            (
                f"SELECT {column}, count(*) FROM practices_practice p WHERE {where} GROUP BY 1",
                params,
            )
        )
    return statements


def key_of(dim: str, value) -> int:
    if dim == "country":
        return 9 * STEP + ord(value[0]) * 256 + ord(value[1])
    return DIMS[dim][0] * STEP + value


def keys_filters(filters: dict, skip: str = "") -> tuple[str, list]:
    clauses, params = ["s.published"], []
    keys = [key_of(d, v) for d, v in filters.items() if d != skip and d != "city"]
    if keys:
        clauses.append("s.keys @> %s::int[]")
        params.append(keys)
    if "city" in filters and skip != "city":
        clauses.append("s.city = %s")
        params.append(filters["city"])
    return " AND ".join(clauses), params


def design_keys(filters: dict, table: str = "study_keys") -> list:
    """(a)/(b): one pass that unnests the keys of the selection, plus one pass per active
    filter dimension restricted to that dimension's keys ("counts under the other filters");
    cities (free text) are counted with a plain GROUP BY in the same selection."""
    where, params = keys_filters(filters)
    statements = [
        (f"SELECT k, count(*) FROM {table} s, unnest(s.keys) k WHERE {where} GROUP BY k", params),
        (f"SELECT s.city, count(*) FROM {table} s WHERE {where} GROUP BY 1", params),
    ]
    for dim in filters:
        where, params = keys_filters(filters, skip=dim)
        if dim == "city":
            statements.append(
                (f"SELECT s.city, count(*) FROM {table} s WHERE {where} GROUP BY 1", params)
            )
            continue
        low = 9 * STEP if dim == "country" else DIMS[dim][0] * STEP
        statements.append(
            (
                f"SELECT k, count(*) FROM {table} s, unnest(s.keys) k WHERE {where} "
                f"AND k >= %s AND k < %s GROUP BY k",
                [*params, low, low + STEP],
            )
        )
    return statements


def design_keys_one_query(filters: dict) -> list:
    """(a'): every facet, "other filters" included, in one scan with FILTER clauses."""
    if not filters:
        return design_keys(filters)[:2]
    selects, params = [], []
    all_where, all_params = keys_filters(filters)
    selects.append(f"count(*) FILTER (WHERE {all_where.replace('s.published AND ', '')})")
    params += all_params
    ors = []
    for dim in filters:
        where, p = keys_filters(filters, skip=dim)
        where = where.replace("s.published AND ", "").replace("s.published", "TRUE")
        low = 9 * STEP if dim == "country" else DIMS[dim][0] * STEP
        selects.append(f"count(*) FILTER (WHERE k >= {low} AND k < {low + STEP} AND {where})")
        params += p
        ors.append((where, p))
    union_where = " OR ".join(f"({w})" for w, _ in ors)
    union_params = [x for _, p in ors for x in p]
    sql = (
        f"SELECT k, {', '.join(selects)} FROM study_keys s, unnest(s.keys) k "
        f"WHERE s.published AND ({union_where}) GROUP BY k"
    )
    where, p = keys_filters(filters)
    return [
        (sql, params + union_params),
        (f"SELECT s.city, count(*) FROM study_keys s WHERE {where} GROUP BY 1", p),
    ]


def design_counts_table(filters: dict) -> list:
    """(c): unfiltered counts read from a maintained table; filtered ones as (b)."""
    if not filters:
        return [("SELECT key, n FROM study_counts", ())]
    return design_keys(filters)


def build_extra(cursor) -> None:
    cursor.execute(
        "DROP TABLE IF EXISTS study_counts; CREATE TABLE study_counts AS "
        "SELECT k AS key, count(*) AS n FROM study_keys s, unnest(s.keys) k WHERE s.published "
        "GROUP BY k UNION ALL SELECT -1, count(*) FROM study_keys WHERE published;"
        # (a) on the wide practice table itself, to see what a narrow table buys.
        "ALTER TABLE practices_practice ADD COLUMN IF NOT EXISTS study_keys int[];"
        "UPDATE practices_practice p SET study_keys = s.keys FROM study_keys s "
        "WHERE s.practice_id = p.id;"
        "CREATE INDEX IF NOT EXISTS study_practice_gin ON practices_practice USING gin "
        "(study_keys) WHERE status = 'published';"
    )
    cursor.execute("VACUUM ANALYZE practices_practice")


def design_keys_on_practice(filters: dict) -> list:
    statements = []
    for sql, params in design_keys(filters):
        sql = sql.replace("study_keys s", "practices_practice s")
        sql = sql.replace("s.keys", "s.study_keys").replace("s.published", PUBLISHED[2:])
        statements.append((sql.replace("status =", "s.status ="), params))
    return statements


def cleanup(cursor) -> None:
    cursor.execute(
        "DROP TABLE IF EXISTS study_keys; DROP TABLE IF EXISTS study_counts;"
        "DROP INDEX IF EXISTS study_practice_gin;"
        "ALTER TABLE practices_practice DROP COLUMN IF EXISTS study_keys;"
    )


def pick_filters(cursor) -> dict[str, dict]:
    def top(table: str, column: str, rank: int = 0) -> int:
        cursor.execute(
            f"SELECT {column} FROM {table} GROUP BY 1 ORDER BY count(*) DESC OFFSET %s LIMIT 1",
            (rank,),
        )
        return cursor.fetchone()[0]

    theme = top("practices_practice_themes", "theme_id")
    rare_theme = top("practices_practice_themes", "theme_id", 9)
    group = top("practices_practice_target_groups", "targetgroup_id")
    objective = top("practices_practice_objectives", "gcmobjective_id", 3)
    return {
        "none": {},
        "popular theme": {"theme": theme},
        "rare theme": {"theme": rare_theme},
        "country MA": {"country": "MA"},
        "theme+country+group": {"theme": theme, "country": "MA", "target_group": group},
        "5 filters": {
            "theme": theme,
            "country": "ES",
            "target_group": group,
            "objective": objective,
            "level": top("practices_practice_cooperation_levels", "cooperationlevel_id"),
        },
    }


def main() -> None:
    connection = connect()
    connection.autocommit = True
    cursor = connection.cursor()
    if "--keep" not in sys.argv:
        began = time.perf_counter()
        cursor.execute(BUILD)
        cursor.execute("VACUUM ANALYZE study_keys")
        print(f"built study_keys in {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        build_extra(cursor)
        print(f"built study_counts and practice.study_keys in {time.perf_counter() - began:.1f} s")
    designs = {
        "naive: 12 GROUP BYs": design_naive,
        "(a) keys on practice": design_keys_on_practice,
        "(b) narrow keys table": design_keys,
        "(b') one query, FILTER": design_keys_one_query,
        "(c) counts + (b)": design_counts_table,
    }
    selected = [d for d in designs if not os.environ.get("ONLY") or os.environ["ONLY"] in d]
    combos = pick_filters(cursor)
    for jit in ("on", "off"):
        cursor.execute(f"SET jit = {jit}")
        print(f"\njit={jit}; median / p95 ms of all facet queries of one page ({RUNS} runs)")
        print(f"{'filters':<22}" + "".join(f"{d:>26}" for d in selected))
        for label, filters in combos.items():
            cells = []
            for name in selected:
                statements = designs[name](filters)
                median, p95 = measure(cursor, statements)
                cells.append(f"{median:>8.0f} / {p95:<5.0f} ({len(statements):>2} q)")
            print(f"{label:<22}" + "".join(f"{c:>26}" for c in cells), flush=True)
    if "--keep" not in sys.argv and "--no-cleanup" not in sys.argv:
        cleanup(cursor)


if __name__ == "__main__":
    main()
