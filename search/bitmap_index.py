"""Facet counts of published practices from one bitmap per facet value (design (d) of
docs/performance/design.md).

On PostgreSQL the table `practices_facet_bitmap` holds, for every facet value (a theme, a
country, a city...), a `bit varying` whose bit n is set when practice n is published and has
that value; dimension "" holds every published practice. The counts of every facet, each
under the *other* active filters, and the total number of results come from one query:
    bit_count(bits & selection)
where a selection is the AND over active dimensions of the OR of their selected values.
At 100,000 practices that is about 35 ms, whatever the filters (see the measurements).

The table is derived data, not a cache: `refresh_practices(ids)` rewrites the bits of the
given practices in the caller's transaction (call it wherever a practice's status, taxonomy
links, roles, country, city, programme or start date change) and `refresh_all()` rebuilds it.
Writers are serialised by a transaction-level advisory lock, so several processes or servers
never interleave. Elsewhere (SQLite) the same counts come from plain GROUP BY queries.
"""

# Table and column names in the SQL below are constants of this module, never input.
# ruff: noqa: S608
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q

from practices.models import Practice, Status

TABLE = "practices_facet_bitmap"
EVERYTHING = ""  # the dimension of the bitmap of all published practices
LOCK_ID = 0x6E61646F72  # "nador": pg_advisory_xact_lock key of the facet index writers
GROWTH = 65_536  # bits added at once when a practice id outgrows the bitmaps

# The many-to-many dimensions: link table, its column, and the Practice field for the ORM.
LINKS = {
    "theme": ("practices_practice_themes", "theme_id", "themes"),
    "objective": ("practices_practice_objectives", "gcmobjective_id", "objectives"),
    "principle": ("practices_practice_principles", "guidingprinciple_id", "principles"),
    "target_group": ("practices_practice_target_groups", "targetgroup_id", "target_groups"),
    "area": ("practices_practice_areas", "interventionarea_id", "areas"),
    "level": ("practices_practice_cooperation_levels", "cooperationlevel_id", "cooperation_levels"),
    "stakeholder": ("practices_stakeholderrole", "stakeholder_id", "stakeholders"),
}
COLUMNS = {"country": "country", "city": "city", "programme": "programme_id"}
DIMENSIONS = [*LINKS, "stakeholder_kind", *COLUMNS, "year"]
STAKEHOLDER_LIMIT = 50  # the stakeholder facet shows the most active ones and those selected


def is_indexed() -> bool:
    return connection.vendor == "postgresql"


# -- reading -------------------------------------------------------------------------------


def facet_counts(
    filters: dict[str, Iterable[str]],
    stakeholder_limit: int = STAKEHOLDER_LIMIT,
    search: str = "",
) -> dict[str, dict[str, int]]:
    """{dimension: {value: count}} for every dimension, each counted under the filters of
    the other dimensions, plus {"total": {"": n}} the number of matching practices.
    Values are strings (ids as text, country codes, city names, years). Within a dimension
    several values mean "any of them"; dimensions combine with AND. A year means "active
    that year" (search/filters.py active_in). `search` (full-text words) restricts
    every count; it needs the bitmaps (PostgreSQL)."""
    rows = facet_rows(filters, stakeholder_limit, search)
    if rows is None:
        return _counts_from_tables(_active(filters), stakeholder_limit)
    counts: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
    for dimension, value, count, _key, _label in rows:
        counts.setdefault(dimension, {})[value] = count
    return counts


def value_counts(dimension: str) -> dict[str, int] | None:
    """{value: published practices} of one dimension without filters, e.g. the practices
    of each theme for the home page: the bitmaps hold published practices only, so this
    is one bit_count per value. None when the bitmaps cannot answer."""
    if not is_indexed():
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value, bit_count(bits) FROM {TABLE} WHERE dimension IN (%s, '')",
            [dimension],
        )
        rows = cursor.fetchall()
    if not any(value == "" for value, _count in rows):
        return None  # not built yet
    return {value: count for value, count in rows if value}


def having_any(values: dict[str, list[str]]):
    """A condition (RawSQL, true or false) on practices: published and having one of
    these facet values, e.g. {"theme": ["3"], "objective": ["5", "7"]}, tested per row
    against the OR of their bitmaps (one get_bit). None when the bitmaps cannot answer.
    For an index scan that stops after a few rows (related practices) this replaces
    EXISTS subqueries that PostgreSQL hashes in full (37,000 links of a theme: 100 ms)."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    if not is_indexed():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} WHERE dimension = ''")
        if cursor.fetchone() is None:
            return None
    wanted = " OR ".join("(dimension = %s AND value = ANY(%s))" for _ in values) or "FALSE"
    params: list = []
    for dimension, keys in values.items():
        params += [dimension, [str(key) for key in keys]]
    bits = f"(SELECT bit_or(bits) FROM {TABLE} WHERE {wanted})"
    # CASE: get_bit fails beyond the bitmap's length (ids newer than the index).
    sql = (
        f"CASE WHEN practices_practice.id < COALESCE(length({bits}), 0) "
        f"THEN get_bit({bits}, practices_practice.id::int) = 1 ELSE FALSE END"
    )
    # The SQL is built from this module's constants; the values are parameters.
    return RawSQL(sql, params * 2, output_field=BooleanField())  # noqa: S611


def _active(filters: dict[str, Iterable[str]]) -> dict[str, list[str]]:
    active = {d: sorted({str(v) for v in values}) for d, values in filters.items() if values}
    unknown = set(active) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"Unknown facet dimensions: {sorted(unknown)}")
    return active


def facet_rows(
    filters: dict[str, Iterable[str]],
    stakeholder_limit: int = STAKEHOLDER_LIMIT,
    search: str = "",
) -> list[tuple[str, str, int, str, str]] | None:
    """The counts as rows (dimension, value, count, public key, label) from the bitmaps,
    in one query; the public key is the slug (number, code) of a taxonomy value, the value
    itself otherwise. None when the bitmaps cannot answer (not PostgreSQL, or not built
    yet: right after the migration, before refresh_all): count from the tables then."""
    active = _active(filters)
    if not is_indexed():
        return None
    rows = _rows_from_bitmaps(active, stakeholder_limit, search)
    return rows if any(row[0] == "total" for row in rows) else None


LABELS_SQL = """
    SELECT 'theme' AS dimension, id::text AS value, slug AS key, name AS label
        FROM practices_theme
    UNION ALL SELECT 'objective', id::text, number::text, short_title FROM practices_gcmobjective
    UNION ALL SELECT 'principle', id::text, slug, title FROM practices_guidingprinciple
    UNION ALL SELECT 'target_group', id::text, slug, name FROM practices_targetgroup
    UNION ALL SELECT 'area', id::text, slug, name FROM practices_interventionarea
    UNION ALL SELECT 'level', id::text, code, code FROM practices_cooperationlevel
    UNION ALL SELECT 'programme', id::text, slug, name FROM practices_programme
    UNION ALL SELECT 'stakeholder', id::text, slug, name FROM stakeholders_stakeholder
"""

# The bitmap of the practices matching a full-text search, as long as the others: built
# from the GIN index by the SQL function practice_search_bits (migration 0007). No status
# condition: the bitmap is ANDed with that of the published practices.
SEARCH_BITS_SQL = (
    "SELECT practice_search_bits(websearch_to_tsquery('nador_search', %s), length(f0.bits)) "
    "AS bits FROM f0"
)


def _year_selection(values: list[str]) -> tuple[str, list]:
    """Active in any of these years: closed ranges covering one of them, or open-ended
    practices started by the latest of them that is not in the future."""
    this_year = date.today().year
    past = [int(v) for v in values if v.isdigit() and int(v) <= this_year]
    latest_open = f"{max(past):04d}" if past else None
    sql = (
        f"(SELECT COALESCE(bit_or(bits), f0.bits & ~f0.bits) FROM {TABLE} "
        f"WHERE (dimension = 'year' AND value = ANY(%s)) "
        f"OR (dimension = 'year_open' AND value <= %s))"
    )
    return sql, [values, latest_open]


def _year_rows(selection: str) -> str:
    """One row per year from the first start to this year (or the last closed end), its
    count under `selection` (the other filters)."""
    return (
        f"SELECT 'year', y::text, bit_count((COALESCE((SELECT bits FROM {TABLE} "
        f"WHERE dimension = 'year' AND value = lpad(y::text, 4, '0')), g.zero) | "
        f"CASE WHEN y <= %s THEN COALESCE((SELECT bit_or(bits) FROM {TABLE} "
        f"WHERE dimension = 'year_open' AND value <= lpad(y::text, 4, '0')), g.zero) "
        f"ELSE g.zero END) & {selection}), y::text, y::text "
        f"FROM g, generate_series((SELECT min(value)::int FROM {TABLE} "
        f"WHERE dimension IN ('year', 'year_open')), GREATEST(%s, (SELECT max(value)::int "
        f"FROM {TABLE} WHERE dimension = 'year'))) y"
    )


def _rows_from_bitmaps(active: dict[str, list[str]], stakeholder_limit: int, search: str):
    names = list(active)
    base = "f0.bits"
    params: list = []
    prefix = f"WITH f0 AS MATERIALIZED (SELECT bits FROM {TABLE} WHERE dimension = ''), "
    if search:
        prefix += f"q AS MATERIALIZED ({SEARCH_BITS_SQL}), "
        params.append(search)
        base = "f0.bits & (SELECT bits FROM q)"
    selections = [f"{base} AS s", "f0.bits & ~f0.bits AS zero"]
    for n, dimension in enumerate(names):
        if dimension == "year":
            sql, values = _year_selection(active[dimension])
            selections.append(f"{sql} AS s{n}")
            params += values
            continue
        # No row for a value means no practice has it: an empty selection, not "no filter".
        selections.append(
            f"(SELECT COALESCE(bit_or(bits), f0.bits & ~f0.bits) FROM {TABLE} "
            f"WHERE dimension = %s AND value = ANY(%s)) AS s{n}"
        )
        params += [dimension, active[dimension]]

    def conjunction(skip: int | None = None) -> str:
        return " & ".join(["f.s"] + [f"f.s{n}" for n in range(len(names)) if n != skip])

    combined = ["f.zero", f"{conjunction()} AS everything"]
    combined += [f"{conjunction(n)} AS x{n}" for n in range(len(names))]
    cases = " ".join(f"WHEN %s THEN g.x{n}" for n in range(len(names)))
    selection = f"CASE b.dimension {cases} ELSE g.everything END" if names else "g.everything"
    year_selection = f"g.x{names.index('year')}" if "year" in names else "g.everything"
    this_year = date.today().year
    sql = (
        f"{prefix}"
        f"f AS MATERIALIZED (SELECT {', '.join(selections)} FROM f0), "
        f"g AS MATERIALIZED (SELECT {', '.join(combined)} FROM f), "
        f"labels AS ({LABELS_SQL}), "
        f"c AS (SELECT b.dimension, b.value, bit_count(b.bits & {selection}) AS n "
        f"FROM {TABLE} b, g WHERE b.dimension NOT IN ('', 'year', 'year_open') "
        f"AND (b.dimension <> 'stakeholder' OR b.rank <= %s OR b.value = ANY(%s))) "
        f"SELECT c.dimension, c.value, c.n, COALESCE(l.key, c.value), "
        f"COALESCE(l.label, c.value) FROM c LEFT JOIN labels l "
        f"ON l.dimension = c.dimension AND l.value = c.value WHERE c.n > 0 "
        f"UNION ALL {_year_rows(year_selection)} "
        f"UNION ALL SELECT 'total', '', bit_count(g.everything), '', '' FROM g"
    )
    params += names + [stakeholder_limit, active.get("stakeholder", [])]
    params += [this_year, this_year]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row for row in cursor.fetchall() if row[2] or row[0] == "total"]


def _filter_q(dimension: str, values: list[str]) -> Q:
    if dimension in LINKS:
        path = LINKS[dimension][2]
        return Q(**{f"{path}__id__in": [int(v) for v in values]})
    if dimension == "stakeholder_kind":
        return Q(stakeholders__kind__in=values)
    if dimension == "year":
        from search.filters import active_in

        combined = Q()
        for year in values:
            combined |= active_in(int(year))
        return combined
    if dimension == "programme":
        return Q(programme_id__in=[int(v) for v in values])
    return Q(**{f"{dimension}__in": values})


def _selection(active: dict[str, list[str]], skip: str = ""):
    practices = Practice.objects.filter(status=Status.PUBLISHED)
    for dimension, values in active.items():
        if dimension != skip:
            ids = Practice.objects.filter(_filter_q(dimension, values)).values("id")
            practices = practices.filter(id__in=ids)
    return practices


def _counts_from_tables(active: dict[str, list[str]], stakeholder_limit: int) -> dict:
    """The fallback: one GROUP BY per dimension. Fine for the few thousand practices a
    SQLite database holds; PostgreSQL uses the bitmaps."""
    counts: dict[str, dict[str, int]] = {}
    for dimension in DIMENSIONS:
        if dimension == "year":
            counts[dimension] = _year_counts(_selection(active, skip=dimension))
            continue
        pairs = _values(dimension, _selection(active, skip=dimension))
        rows = pairs.values_list("value").annotate(n=Count("id", distinct=True))
        counts[dimension] = {str(value): n for value, n in rows if value not in (None, "")}
    if len(counts["stakeholder"]) > stakeholder_limit:
        counts["stakeholder"] = _top(counts["stakeholder"], stakeholder_limit, active)
    counts["total"] = {"": _selection(active).count()}
    return counts


def _year_counts(practices) -> dict[str, int]:
    from search.filters import active_in

    bounds = practices.aggregate(first=Min("start_date__year"), last=Max("end_date__year"))
    if bounds["first"] is None:
        return {}
    last = max(bounds["last"] or 0, date.today().year)
    years = range(bounds["first"], last + 1)
    found = practices.aggregate(**{f"y{y}": Count("pk", filter=active_in(y)) for y in years})
    return {str(y): found[f"y{y}"] for y in years if found[f"y{y}"]}


def _values(dimension: str, practices):
    """The practices annotated with `value`, one row per (practice, value)."""
    from django.db.models import F

    if dimension in LINKS:
        expression = F(f"{LINKS[dimension][2]}__id")
    elif dimension == "stakeholder_kind":
        expression = F("stakeholders__kind")
    else:
        expression = F(COLUMNS[dimension])
    return practices.annotate(value=expression).order_by()


def _top(counts: dict[str, int], limit: int, active: dict[str, list[str]]) -> dict[str, int]:
    """The stakeholders with most published practices overall, plus the selected ones."""
    overall = (
        Practice.objects.filter(status=Status.PUBLISHED)
        .values_list("stakeholders__id")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "stakeholders__id")[:limit]
    )
    keep = {str(pk) for pk, _ in overall} | set(active.get("stakeholder", []))
    return {value: n for value, n in counts.items() if value in keep}


# -- writing -------------------------------------------------------------------------------

PAIRS_SQL = " UNION ALL ".join(
    [
        f"SELECT l.practice_id, '{dimension}', l.{column}::text FROM {table} l "
        f"JOIN practices_practice p ON p.id = l.practice_id WHERE %(where)s"
        for dimension, (table, column, _) in LINKS.items()
        if dimension != "stakeholder"
    ]
    + [
        "SELECT DISTINCT r.practice_id, 'stakeholder', r.stakeholder_id::text "
        "FROM practices_stakeholderrole r JOIN practices_practice p ON p.id = r.practice_id "
        "WHERE %(where)s",
        "SELECT DISTINCT r.practice_id, 'stakeholder_kind', s.kind "
        "FROM practices_stakeholderrole r JOIN practices_practice p ON p.id = r.practice_id "
        "JOIN stakeholders_stakeholder s ON s.id = r.stakeholder_id WHERE %(where)s",
        "SELECT p.id, 'country', p.country FROM practices_practice p WHERE %(where)s",
        "SELECT p.id, 'city', p.city FROM practices_practice p WHERE %(where)s AND p.city <> ''",
        "SELECT p.id, 'programme', p.programme_id::text FROM practices_practice p "
        "WHERE %(where)s AND p.programme_id IS NOT NULL",
        # Active in year (search/filters.py active_in): every year of a closed range,
        # and the start year of an open-ended one (it runs to today, whatever the year).
        "SELECT p.id, 'year', lpad(y::text, 4, '0') FROM practices_practice p, "
        "generate_series(extract(year FROM p.start_date)::int, "
        "extract(year FROM p.end_date)::int) y "
        "WHERE %(where)s AND p.start_date IS NOT NULL AND p.end_date IS NOT NULL",
        "SELECT p.id, 'year_open', lpad(extract(year FROM p.start_date)::int::text, 4, '0') "
        "FROM practices_practice p "
        "WHERE %(where)s AND p.start_date IS NOT NULL AND p.end_date IS NULL",
        "SELECT p.id, '', '' FROM practices_practice p WHERE %(where)s",
    ]
)


def _pairs(where: str, params: list) -> list[tuple[int, str, str]]:
    sql = PAIRS_SQL.replace("%(where)s", f"p.status = 'published' AND {where}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params * PAIRS_SQL.count("%(where)s"))
        return cursor.fetchall()


def refresh_all() -> int:
    """Rebuild every bitmap from the practices (a few seconds at 100,000); return how many
    facet values there are. Used after bulk loads and as a safety net."""
    if not is_indexed():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM practices_practice")
        size = _capacity(cursor.fetchone()[0]) // 8
        bitmaps: dict[tuple[str, str], bytearray] = defaultdict(lambda: bytearray(size))
        bitmaps[(EVERYTHING, "")] = bytearray(size)
        for practice_id, dimension, value in _pairs("TRUE", []):
            bitmaps[(dimension, value)][practice_id >> 3] |= 0x80 >> (practice_id & 7)
        cursor.execute(f"DELETE FROM {TABLE}")
        rows = [(d, v, "x" + bytes(bits).hex()) for (d, v), bits in bitmaps.items()]
        _execute_pages(
            cursor,
            f"INSERT INTO {TABLE} (dimension, value, bits, rank) VALUES {{values}}",
            "(%s, %s, %s::bit varying, 0)",
            rows,
        )
        _rank(cursor)
    return len(rows) - 1


def _capacity(max_id: int) -> int:
    return (max_id // GROWTH + 1) * GROWTH


def _rank(cursor) -> None:
    """Order the values of each dimension by practices: the stakeholder facet shows the
    first ones. Only which values are shown depends on it, never a count."""
    cursor.execute(
        f"UPDATE {TABLE} t SET rank = r.rank FROM (SELECT dimension, value, row_number() "
        f"OVER (PARTITION BY dimension ORDER BY bit_count(bits) DESC, value) AS rank "
        f"FROM {TABLE}) r WHERE t.dimension = r.dimension AND t.value = r.value"
    )


def refresh_practices(ids: Iterable[int]) -> None:
    """Bring the bits of these practices up to date, in the caller's transaction: cleared
    everywhere, then set for the values of those that are published. A few statements
    whatever the number of practices: one AND with a mask over the bitmaps that hold one
    of them, then an OR for each facet value they have, 200 values a statement."""
    ids = sorted(set(ids))
    if not ids or not is_indexed():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        cursor.execute(f"SELECT length(bits) FROM {TABLE} WHERE dimension = ''")
        row = cursor.fetchone()
        if row is None:  # never built: the readers use the fallback until refresh_all()
            return
        length = row[0]
        if ids[-1] >= length:
            extra = _capacity(ids[-1]) - length
            cursor.execute(
                f"UPDATE {TABLE} SET bits = bits || repeat('0', %s)::bit varying", [extra]
            )
            length += extra
        chosen = bytearray(length // 8)
        for practice_id in ids:
            chosen[practice_id >> 3] |= 0x80 >> (practice_id & 7)
        # Only the bytes from the first to the last id are read and sent: for new practices
        # a few hundred bytes of each 16 kB bitmap. Positions of substring() count from 1.
        first, last = ids[0] >> 3, ids[-1] >> 3
        start, size = first * 8 + 1, (last - first + 1) * 8
        part = f"substring(bits from {start} for {size})"
        mask = "x" + bytes(chosen[first : last + 1]).hex()
        cursor.execute(
            f"UPDATE {TABLE} SET bits = overlay(bits placing {part} & ~%s::bit varying "
            f"from {start} for {size}) WHERE bit_count({part} & %s::bit varying) > 0",
            [mask, mask],
        )
        bitmaps: dict[tuple[str, str], bytearray] = defaultdict(lambda: bytearray(length // 8))
        for practice_id, dimension, value in _pairs("p.id = ANY(%s)", [ids]):
            bitmaps[(dimension, value)][practice_id >> 3] |= 0x80 >> (practice_id & 7)
        cursor.execute(f"SELECT dimension, value FROM {TABLE}")
        missing = set(bitmaps) - set(cursor.fetchall())
        _execute_pages(
            cursor,
            f"INSERT INTO {TABLE} (dimension, value, bits, rank) VALUES {{values}}",
            "(%s, %s, repeat('0', %s)::bit varying, 2147483647)",
            [(dimension, value, length) for dimension, value in missing],
        )
        _execute_pages(
            cursor,
            f"UPDATE {TABLE} t SET bits = overlay(t.bits placing {part} | v.more "
            f"from {start} for {size}) FROM (VALUES {{values}}) AS v (dimension, value, more) "
            f"WHERE t.dimension = v.dimension AND t.value = v.value",
            "(%s, %s, %s::bit varying)",
            [(d, v, "x" + bytes(bits[first : last + 1]).hex()) for (d, v), bits in bitmaps.items()],
        )


def _execute_pages(cursor, statement: str, template: str, rows: list, page: int = 200) -> None:
    """`statement` once per `page` rows, its {values} the rows in `template`, a few
    statements instead of one per row."""
    for begin in range(0, len(rows), page):
        values = ",".join(
            cursor.mogrify(template, row).decode() for row in rows[begin : begin + page]
        )
        cursor.execute(statement.format(values=values))
