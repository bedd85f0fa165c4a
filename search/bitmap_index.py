"""Facet counts of published practices from one bitmap per facet value, on PostgreSQL
(the design, and the alternatives measured: docs/performance/design.md).

The table `practices_facet_bitmap` (migration practices 0005) holds, for every value of
every dimension (search/dimensions.py: a theme, a country, a city...), a `bit varying`
whose bit n is set when practice n is published and has that value; dimension "" holds
every published practice. The counts of every option, each under the *other* active
filters, and the number of results come from one query, bit_count(bits & selection),
where a selection is the AND over active dimensions of the OR of their chosen values.

The table is derived data, not a cache: `refresh_practices(ids)` rewrites the bits of the
given practices in the caller's transaction (search/index.py calls it after every change
of a practice, its links, roles or status) and `refresh_all()` rebuilds it. Writers are
serialised by a transaction-level advisory lock, so several processes or servers never
interleave. Readers answer None when the index cannot answer (not PostgreSQL, or not
built yet): search/counts.py then counts from the tables.
"""

# Table and column names in the SQL below are constants of this module or come from the
# models' _meta; every value is a query parameter.
# ruff: noqa: S608
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, Q, Value
from django.db.models.expressions import RawSQL

from practices.models import Practice
from publishing.workflow import Status
from search import dimensions, word_bits

TABLE = "practices_facet_bitmap"
EVERYTHING = ""  # the dimension of the bitmap of all published practices
LOCK_ID = 0x6E61646F72  # "nador": pg_advisory_xact_lock key of the index's writers
# Bits added at once when a practice id outgrows the bitmaps. Small, because every count
# reads whole bitmaps: 4,096 keeps one of 10,000 practices at 1.5 kB, inline and not
# compressed by PostgreSQL; 65,536 made it 8 kB (TOASTed), three times slower to count.
# A growth rewrites every bitmap once per 4,096 new practices (refresh_all() resizes).
GROWTH = 4_096
#: refresh_many() rebuilds instead of making more calls than this: a call rewrites every
#: bitmap holding one of its practices, so its cost grows with the bitmaps' length as a
#: rebuild's does (at 100,000 practices a call of 5,000 took 16.5 s, a rebuild 96 s).
REBUILD_AFTER_CALLS = 6
# refresh_all() streams the pairs (practice, value) in chunks of PAIRS_CHUNK rows and writes
# statements of at most PAGE_BYTES of bitmaps: its memory stays flat whatever the practices.
PAIRS_CHUNK = 20_000
PAGE_BYTES = 4_000_000
# A deep page is found by walking an order's index and testing each row's bit when at least
# one published practice in WALK_DENSITY matches: the walk then passes at most that many
# rows per row kept, and never more than half the index (search/paging.py).
WALK_DENSITY = 50


def is_indexed() -> bool:
    return connection.vendor == "postgresql"


# -- reading -------------------------------------------------------------------------------


def facet_rows(active: dict[str, list[str]], search: str = "") -> list[tuple] | None:
    """Rows (dimension, value, count, key, title) of every option with practices under
    the other active filters, and ("total", "", n, "", "") the number of matches; None
    when the index cannot answer. `active`: {dimension: [values]} as the index holds them
    (primary keys, codes, years); `search`: full-text words restricting every count."""
    if not is_indexed():
        return None
    rows = _rows(active, search)
    return rows if any(row[0] == "total" for row in rows) else None


def value_counts(dimension: str, values: list[str] | None = None) -> dict[str, int] | None:
    """{value: published practices} of one dimension without filters (the practices of
    each theme), or of some of its `values` only: one bit_count per value. None when the
    index cannot answer."""
    if not is_indexed():
        return None
    some = "" if values is None else " AND (value = '' OR value = ANY(%s))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value, bit_count(bits) FROM {TABLE} WHERE dimension IN (%s, %s){some}",
            [dimension, EVERYTHING] + ([] if values is None else [list(values)]),
        )
        rows = cursor.fetchall()
    if not any(value == "" for value, _count in rows):
        return None  # not built yet
    return {value: count for value, count in rows if value}


def having_any(values: dict[str, list]) -> RawSQL | None:
    """A condition on practices: published and having one of these values, e.g.
    {"theme": [3], "objective": [5, 7]}, tested per row against the OR of their bitmaps
    (one get_bit). None when the index cannot answer. For a scan that stops after a few
    rows (related practices) this replaces EXISTS subqueries that PostgreSQL would hash
    in full (every link of a theme)."""
    if not is_indexed():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} WHERE dimension = %s", [EVERYTHING])
        if cursor.fetchone() is None:
            return None
    wanted = " OR ".join("(dimension = %s AND value = ANY(%s))" for _ in values) or "FALSE"
    params: list = []
    for dimension, keys in values.items():
        params += [dimension, [str(key) for key in keys]]
    bits = f"(SELECT bit_or(bits) FROM {TABLE} WHERE {wanted})"
    practice_id = f"{Practice._meta.db_table}.{Practice._meta.pk.column}"
    # CASE: get_bit fails beyond the bitmap's length (ids newer than the index).
    sql = (
        f"CASE WHEN {practice_id} < COALESCE(length({bits}), 0) "
        f"THEN get_bit({bits}, {practice_id}::int) = 1 ELSE FALSE END"
    )
    return RawSQL(sql, params * 2, output_field=BooleanField())  # noqa: S611


def _labels_sql() -> tuple[str, list]:
    parts = [d.labels_sql(connection.ops.quote_name) for d in dimensions.DIMENSIONS]
    parts = [part for part in parts if part is not None]
    return " UNION ALL ".join(sql for sql, _params in parts), [p for _s, ps in parts for p in ps]


# The bitmap of the practices matching a full-text search, as long as the others: built
# from the GIN index by the SQL function practice_search_bits (migration search 0003),
# the words matched in every language as the list matches them (search/fulltext.py).
# No status condition: the bitmap is ANDed with that of the published practices.
# With the common words stored (search/word_bits.py), the query is read as a formula of
# its words instead.
SEARCH_BITS = "practice_search_bits(nador_query(%s), length(f0.bits))"


def _search_bits(search: str) -> tuple[list[str], str, list]:
    """(CTEs, expression, params) of the bitmap of the practices matching `search`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nador_query(%s)::text, EXISTS (SELECT 1 FROM {TABLE} WHERE dimension = %s)",
            [search, word_bits.LEXEMES],
        )
        query, stored = cursor.fetchone()
    try:
        formula = word_bits.parse(query) if stored else None
    except word_bits.Unsupported:
        formula = None
    if formula is None:
        return [], SEARCH_BITS, [search]
    return word_bits.bits_sql(formula, TABLE)


def _selection(active: dict[str, list[str]], search: str) -> tuple[str, str, list[str], list]:
    """(WITH clause ending in ", ", the bitmap of the published practices matching the
    words, the bitmap of each active dimension's values, params), to be read FROM f0."""
    params: list = []
    prefix = f"WITH f0 AS MATERIALIZED (SELECT bits FROM {TABLE} WHERE dimension = ''), "
    base = "f0.bits"
    if search:
        ctes, bits, search_params = _search_bits(search)
        prefix += "".join(f"{cte}, " for cte in ctes)
        prefix += f"q AS MATERIALIZED (SELECT {bits} AS bits FROM f0), "
        params += search_params
        base = "f0.bits & (SELECT bits FROM q)"
    selections = []
    for name, values in active.items():
        sql, values = dimensions.get(name).index_selection(TABLE, [str(v) for v in values])
        selections.append(sql)
        params += values
    return prefix, base, selections, params


def walk_condition(active: dict[str, list[str]], search: str, matches: int) -> RawSQL | None:
    """A condition on practices equal to the selection's (published, every filter, the
    words), tested with one get_bit per row: for a page deep in a long list, which walks an
    order's index past thousands of rows before it. None when the index cannot answer, or
    when the selection is too sparse for a walk to pay (the usual plan sorts its few
    rows): a walk passes about published / matches rows for each row it keeps."""
    if not is_indexed():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, length(bits) FROM {TABLE} WHERE dimension = %s", [EVERYTHING])
        found = cursor.fetchone()
    if found is None or matches * WALK_DENSITY < found[0]:
        return None
    prefix, base, selections, params = _selection(active, search)
    # The & makes a new value: get_bit on the stored bitmap itself would decompress it again
    # for every row (1.1 s instead of 45 ms for a deep page of a theme at 300,000).
    bits = " & ".join([base, *selections, "f0.bits"])
    practice_id = f"{Practice._meta.db_table}.{Practice._meta.pk.column}"
    sql = (
        f"CASE WHEN {practice_id} < %s THEN get_bit(({prefix.removesuffix(', ')} "
        f"SELECT {bits} FROM f0), {practice_id}::int) = 1 ELSE FALSE END"
    )
    return RawSQL(sql, [found[1], *params], output_field=BooleanField())  # noqa: S611


def _rows(active: dict[str, list[str]], search: str) -> list[tuple]:
    chosen = [dimensions.get(name) for name in active]
    prefix, base, dimension_bits, params = _selection(active, search)
    selections = [f"{base} AS s", "f0.bits & ~f0.bits AS zero"]
    selections += [f"{sql} AS s{n}" for n, sql in enumerate(dimension_bits)]

    def conjunction(skip: int | None = None) -> str:
        return " & ".join(["f.s"] + [f"f.s{n}" for n in range(len(chosen)) if n != skip])

    combined = ["f.zero", f"{conjunction()} AS everything"]
    combined += [f"{conjunction(n)} AS x{n}" for n in range(len(chosen))]

    def under_the_others(name: str) -> str:
        """The selection a dimension's options are counted under: the other filters."""
        positions = [n for n, d in enumerate(chosen) if d.name == name]
        return f"g.x{positions[0]}" if positions else "g.everything"

    cases = " ".join(f"WHEN %s THEN g.x{n}" for n in range(len(chosen)))
    selection = f"CASE b.dimension {cases} ELSE g.everything END" if chosen else "g.everything"
    # Without filters or words a value's count is its bitmap's own, kept beside it: no
    # bitmap is read.
    count = f"bit_count(b.bits & {selection})" if chosen or search else "b.n"
    case_params = [d.name for d in chosen]  # the CASE's names, once per part of `c`
    # Dimensions whose options are not their stored values (years) add their own rows.
    own_rows, own_params = [], []
    # The dimensions counted value by value, named: the index then reads their rows only,
    # not the far more numerous words and phrases beside them (a scan of the whole table
    # was most of a 10k page's counting).
    counted: list[str] = []
    for dimension in dimensions.DIMENSIONS:
        rows = dimension.index_rows(TABLE, under_the_others(dimension.name))
        if rows is not None:
            own_rows.append(f"UNION ALL {rows[0]}")
            own_params += rows[1]
        else:
            counted += dimension.stored()
    # A dimension with a limit (cities, organisations) is read apart, its first values by
    # rank and the chosen ones: in one condition with the others, each of its hundreds of
    # rows beyond the limit was read to be dropped (0.4 ms of a 10k list).
    counted_rows = f"SELECT b.dimension, b.value, {count} AS n FROM {TABLE} b, g WHERE "
    limited = [d for d in dimensions.DIMENSIONS if d.limit is not None and d.name in counted]
    c_parts = [f"{counted_rows}b.dimension = ANY(%s)"]
    params += [*case_params, [name for name in counted if name not in {d.name for d in limited}]]
    for dimension in limited:
        c_parts.append(f"{counted_rows}b.dimension = %s AND (b.rank <= %s OR b.value = ANY(%s))")
        chosen_values = [str(v) for v in active.get(dimension.name, [])]
        params += [*case_params, dimension.name, dimension.limit, chosen_values]
    labels, label_params = _labels_sql()
    params += label_params
    sql = (
        f"{prefix}"
        f"f AS MATERIALIZED (SELECT {', '.join(selections)} FROM f0), "
        f"g AS MATERIALIZED (SELECT {', '.join(combined)} FROM f), "
        # MATERIALIZED: each bit_count once; inlined into the join, it was computed twice
        # (for `n > 0` and for the output), half the time of the query at 10k practices.
        f"c AS MATERIALIZED ({' UNION ALL '.join(c_parts)}), "
        f"labels (dimension, value, key, label) AS ({labels}) "
        f"SELECT c.dimension, c.value, c.n, COALESCE(l.key, c.value), "
        f"COALESCE(l.label, c.value) FROM c LEFT JOIN labels l "
        f"ON l.dimension = c.dimension AND l.value = c.value WHERE c.n > 0 "
        f"{' '.join(own_rows)} "
        f"UNION ALL SELECT 'total', '', bit_count(g.everything), '', '' FROM g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + own_params)
        return [row for row in cursor.fetchall() if row[2] or row[0] == "total"]


# -- writing -------------------------------------------------------------------------------


def _stored_pairs(practices):
    """(practice id, dimension, value) of every value of these published practices as
    stored, in one query: a UNION ALL of each dimension's pairs (search/dimensions.py)."""
    parts = [query for d in dimensions.DIMENSIONS for query in d.pair_queries(practices)]
    everything = practices.annotate(
        f_dimension=_literal(EVERYTHING), f_value=_literal("")
    ).values_list("pk", "f_dimension", "f_value")
    return everything.order_by().union(*parts, all=True)


def _expanders() -> dict:
    """The dimensions whose stored values are expanded into options (a span into years)."""
    return {d.name: d for d in dimensions.DIMENSIONS if d.derives_options}


def _pairs(practices) -> Iterator[tuple[int, str, str]]:
    """(practice id, dimension, value) of every value of these published practices, read
    PAIRS_CHUNK at a time: 10,000 practices have some 300,000 of them."""
    expanders = _expanders()
    for practice_id, dimension, value in _stored_pairs(practices).iterator(PAIRS_CHUNK):
        if dimension in expanders:
            yield from expanders[dimension].expand(practice_id, value)
        else:
            yield practice_id, dimension, value


def _bitmaps(practices, size: int) -> Iterator[tuple[str, str, bytearray]]:
    """(dimension, value, bitmap of `size` bytes) of each value of these practices, bit n
    set when practice n has the value, one bitmap at a time: the pairs come sorted by
    value through a server-side cursor. Memory then does not grow with the values times
    the practices (at 1,000,000 practices: 20 million pairs, and 5,000 organisations'
    bitmaps were 625 MB). The few options of the dimensions that derive them (years,
    languages) are kept until the end."""
    expanders = _expanders()
    derived: dict[tuple[str, str], bytearray] = defaultdict(lambda: bytearray(size))
    pairs = _stored_pairs(practices).order_by("f_dimension", "f_value")
    key, bits = None, bytearray()
    for practice_id, dimension, value in pairs.iterator(chunk_size=PAIRS_CHUNK):
        if dimension in expanders:
            for _id, option_dimension, option in expanders[dimension].expand(practice_id, value):
                _set(derived[(option_dimension, option)], practice_id)
            continue
        if (dimension, value) != key:
            if key is not None:
                yield *key, bits
            key, bits = (dimension, value), bytearray(size)
        bits[practice_id >> 3] |= 0x80 >> (practice_id & 7)
    if key is not None:
        yield *key, bits
    for (dimension, value), bits in derived.items():
        yield dimension, value, bits


def _set(bits: bytearray, practice_id: int) -> None:
    bits[practice_id >> 3] |= 0x80 >> (practice_id & 7)


def _ids_by_value(practices) -> dict[tuple[str, str], list[int]]:
    """The ids of these practices per (dimension, value): a bitmap each is made only
    when it is written (_hex_rows)."""
    ids: dict[tuple[str, str], list[int]] = defaultdict(list)
    for practice_id, dimension, value in _pairs(practices):
        ids[(dimension, value)].append(practice_id)
    return ids


def _literal(text: str) -> Value:
    return Value(text, output_field=CharField())


def _published(*conditions: Q):
    return Practice.objects.filter(*conditions, status=Status.PUBLISHED)


def refresh_all() -> int:
    """Rebuild every bitmap from the practices (after bulk loads); return how many
    facet values there are. Used after bulk loads and as a safety net."""
    if not is_indexed():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Practice._meta.db_table}")
        size = _capacity(cursor.fetchone()[0]) // 8
        cursor.execute(f"DELETE FROM {TABLE}")
        written = _write_bitmaps(cursor, _bitmaps(_published(), size), size)
        published = _published().count()
        word_bits.write_common_words(cursor, TABLE, EVERYTHING, published)
        word_bits.write_common_phrases(cursor, TABLE, size * 8, published)
        _rank(cursor)
    return written - 1


def _write_bitmaps(cursor, bitmaps: Iterator[tuple[str, str, bytearray]], size: int) -> int:
    """Insert the bitmaps, the one of every published practice even when there is none,
    a few statements of at most PAGE_BYTES of bits each; return how many were written."""
    written, everything = 0, False

    def rows():
        nonlocal written, everything
        for dimension, value, bits in bitmaps:
            written += 1
            everything = everything or (dimension, value) == (EVERYTHING, "")
            yield dimension, value, "x" + bits.hex()
        if not everything:
            written += 1
            yield EVERYTHING, "", "x" + bytes(size).hex()

    _execute_pages(
        cursor,
        f"INSERT INTO {TABLE} (dimension, value, bits, rank) VALUES {{values}}",
        "(%s, %s, %s::bit varying, 0)",
        rows(),
        page=max(1, min(200, PAGE_BYTES // max(size, 1))),
    )
    return written


def _capacity(max_id: int) -> int:
    return (max_id // GROWTH + 1) * GROWTH


def _rank(cursor) -> None:
    """Order the values of each dimension by practices: a facet with a limit shows the
    first ones. Only which values are shown depends on it, never a count."""
    cursor.execute(
        f"UPDATE {TABLE} t SET rank = r.rank, n = r.n FROM (SELECT dimension, value, "
        f"bit_count(bits) AS n, row_number() OVER (PARTITION BY dimension "
        f"ORDER BY bit_count(bits) DESC, value) AS rank "
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
        if row is None:  # never built: the readers count from the tables until refresh_all()
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
        # n follows the bits: minus those cleared here, plus those set below that were not
        # (every SET expression reads the row as it was).
        cursor.execute(
            f"UPDATE {TABLE} SET bits = overlay(bits placing {part} & ~%s::bit varying "
            f"from {start} for {size}), n = n - bit_count({part} & %s::bit varying) "
            f"WHERE bit_count({part} & %s::bit varying) > 0",
            [mask, mask, mask],
        )
        # The ids as one array, not an IN list of one parameter per id in each of the
        # union's parts (Django took seconds to compile 10,000 ids into 16 parts); only
        # the bytes from the first to the last id are built.
        chosen_ids = RawSQL("SELECT unnest(%s::bigint[])", [ids])
        published = _published(Q(pk__in=chosen_ids))
        values = _ids_by_value(published)
        cursor.execute(f"SELECT dimension, value FROM {TABLE}")
        missing = set(values) - set(cursor.fetchall())
        _execute_pages(
            cursor,
            f"INSERT INTO {TABLE} (dimension, value, bits, rank) VALUES {{values}}",
            "(%s, %s, repeat('0', %s)::bit varying, 2147483647)",
            [(dimension, value, length) for dimension, value in missing],
        )
        update = (
            f"UPDATE {TABLE} t SET bits = overlay(t.bits placing {part} | v.more "
            f"from {start} for {size}), n = t.n + bit_count(v.more & ~{part}) "
            f"FROM (VALUES {{values}}) AS v (dimension, value, more) "
            f"WHERE t.dimension = v.dimension AND t.value = v.value"
        )
        hex_row = "(%s, %s, %s::bit varying)"
        _execute_pages(cursor, update, hex_row, _hex_rows(values.items(), first, last - first + 1))
        # The stored common words and phrases these practices contain (search/word_bits.py),
        # always stored already, read a page at a time from a cursor on the server as they
        # are written: 1,000 practices hold some 360,000 of them.
        published_ids = list(published.values_list("pk", flat=True))
        for found in (word_bits.practices_by_word, word_bits.practices_by_phrase):
            rows = found(cursor, TABLE, published_ids)
            _execute_pages(cursor, update, hex_row, _hex_rows(rows, first, last - first + 1))


def refresh_many(ids: Iterable[int], chunk: int) -> None:
    """refresh_practices() `chunk` at a time, never more than the stored phrases are
    refreshed for (word_bits.MAX_PHRASE_REFRESH: none is dropped), or refresh_all() once
    when that would take more than REBUILD_AFTER_CALLS calls."""
    ids = sorted(set(ids))
    chunk = min(chunk, word_bits.MAX_PHRASE_REFRESH)
    if len(ids) > chunk * REBUILD_AFTER_CALLS:
        refresh_all()
        return
    for start in range(0, len(ids), chunk):
        refresh_practices(ids[start : start + chunk])


def _hex_rows(values: Iterable[tuple[tuple[str, str], list[int]]], first: int, size: int):
    """(dimension, value, bits in hex) of each ((dimension, value), ids)'s bitmap of `size`
    bytes from byte `first`, made as the pages are written: all at once, 10,000 practices
    spread over 100,000 ids make 5,000 bitmaps of 13 kB and their 26 kB of hex."""
    for (dimension, value), ids in values:
        bits = bytearray(size)
        for practice_id in ids:
            bits[(practice_id >> 3) - first] |= 0x80 >> (practice_id & 7)
        yield dimension, value, "x" + bits.hex()


def _execute_pages(cursor, statement: str, template: str, rows: Iterable, page: int = 200) -> None:
    """`statement` once per `page` rows, its {values} the rows in `template`, a few
    statements instead of one per row."""
    rows = iter(rows)
    while chunk := list(islice(rows, page)):
        values = ",".join(cursor.mogrify(template, row).decode() for row in chunk)
        cursor.execute(statement.format(values=values))
