"""Design (d) of docs/performance/design.md: one bitmap of published practice ids per facet value,
stored in PostgreSQL as `bit varying`, counted with bit_count(bits & selection).

    DATABASE_URL=... python perf/studies/facet_study.py --no-cleanup   # builds study_keys
    DATABASE_URL=... python perf/studies/facet_bitmap_study.py

Builds `study_bits` from `study_keys` (dropped at the end with --cleanup).
"""

from __future__ import annotations

# Identifiers in the SQL are constants of this script; values go in as parameters.
# ruff: noqa: S608
import os
import sys
import time
from collections import defaultdict

from facet_study import STEP, connect, measure, pick_filters

RUNS = int(os.environ.get("RUNS", "15"))
CITY = 12  # cities are free text: their bitmaps are keyed by (12, name)


def build(cursor) -> int:
    cursor.execute("SELECT practice_id, keys, city FROM study_keys WHERE published")
    rows = cursor.fetchall()
    size = (max(r[0] for r in rows) // 64 + 1) * 8  # bytes, whole 64-bit words
    bitmaps: dict[tuple[int, str], bytearray] = defaultdict(lambda: bytearray(size))
    for practice_id, keys, city in rows:
        byte, mask = practice_id >> 3, 0x80 >> (practice_id & 7)
        for key in keys:
            bitmaps[(key // STEP, str(key % STEP))][byte] |= mask
        bitmaps[(CITY, city)][byte] |= mask
        bitmaps[(0, "")][byte] |= mask  # every published practice
    storage = os.environ.get("STORAGE", "EXTENDED")
    cursor.execute(
        "DROP TABLE IF EXISTS study_bits; CREATE TABLE study_bits ("
        "dimension smallint, value text, bits bit varying, rank int, "
        "PRIMARY KEY (dimension, value));"
        f"ALTER TABLE study_bits ALTER bits SET STORAGE {storage}"
    )
    # rank: the value's place in its dimension by number of practices (1 = most).
    ranked = sorted(bitmaps.items(), key=lambda item: -sum(map(int.bit_count, item[1])))
    places: dict[int, int] = defaultdict(int)
    values = []
    for (dimension, value), bits in ranked:
        places[dimension] += 1
        values.append((dimension, value, "x" + bytes(bits).hex(), places[dimension]))
    for start in range(0, len(values), 200):
        args = ",".join(
            cursor.mogrify("(%s, %s, %s::bit varying, %s)", row).decode()
            for row in values[start : start + 200]
        )
        cursor.execute(f"INSERT INTO study_bits VALUES {args}")
    cursor.execute("ALTER TABLE study_bits SET (autovacuum_enabled = off)")
    cursor.execute("VACUUM ANALYZE study_bits")
    return len(values)


def dimension_of(dim: str) -> int:
    return {
        "theme": 1,
        "objective": 2,
        "principle": 3,
        "target_group": 4,
        "area": 5,
        "level": 6,
        "stakeholder": 7,
        "country": 9,
        "city": CITY,
    }[dim]


def value_of(dim: str, value) -> str:
    if dim == "country":
        return str(ord(value[0]) * 256 + ord(value[1]))
    return str(value)


def design_bitmaps(filters: dict, stakeholders: bool | int = True) -> list:
    """One query: the selection of each active dimension is the OR of its values' bitmaps;
    every facet value is counted under the AND of the other dimensions' selections."""
    active = [(dimension_of(d), [value_of(d, v)]) for d, v in filters.items()]
    selections, params = ["(SELECT bits FROM study_bits WHERE dimension = 0) AS s0"], []
    for dimension, values in active:
        selections.append(
            f"(SELECT bit_or(bits) FROM study_bits WHERE dimension = {dimension} "
            f"AND value = ANY(%s)) AS s{dimension}"
        )
        params.append(values)

    def conjunction(skip: int | None) -> str:
        return " & ".join(["f.s0"] + [f"f.s{d}" for d, _ in active if d != skip])

    # Each selection is computed once; per facet value only one AND and one bit_count.
    combined = [f"{conjunction(None)} AS everything"]
    combined += [f"{conjunction(d)} AS x{d}" for d, _ in active]
    cases = " ".join(f"WHEN {d} THEN g.x{d}" for d, _ in active)
    selection = f"CASE b.dimension {cases} ELSE g.everything END" if cases else "g.everything"
    where = "b.dimension > 0"
    if stakeholders is not True:
        where += f" AND (b.dimension <> 7 OR b.rank <= {stakeholders or 0})"
    sql = (
        f"WITH f AS MATERIALIZED (SELECT {', '.join(selections)}), "
        f"g AS MATERIALIZED (SELECT {', '.join(combined)} FROM f) "
        f"SELECT b.dimension, b.value, bit_count(b.bits & {selection}) FROM study_bits b, g "
        f"WHERE {where}"
    )
    return [(sql, params)]


def main() -> None:
    connection = connect()
    connection.autocommit = True
    cursor = connection.cursor()
    began = time.perf_counter()
    count = build(cursor)
    print(f"built {count} bitmaps in {time.perf_counter() - began:.1f} s")
    cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('study_bits'))")
    print("size", cursor.fetchone()[0])
    combos = pick_filters(cursor)
    print(f"median / p95 ms ({RUNS} runs), one query per page")
    print(
        f"{'filters':<22}{'all 5000 stakeholders':>24}{'top 50 stakeholders':>24}"
        f"{'no stakeholders':>24}"
    )
    for label, filters in combos.items():
        cells = []
        for stakeholders in (True, 50, False):
            median, p95 = measure(cursor, design_bitmaps(filters, stakeholders))
            cells.append(f"{median:>8.1f} / {p95:<6.1f}")
        print(f"{label:<22}" + "".join(f"{c:>24}" for c in cells), flush=True)
    sql, params = design_bitmaps(combos["theme+country+group"])[0]
    cursor.execute(sql, params)
    counts = {(d, v): n for d, v, n in cursor.fetchall()}
    filters = combos["theme+country+group"]
    cursor.execute(
        "SELECT count(*) FROM study_keys WHERE published AND keys @> %s::int[]",
        ([STEP + filters["theme"], 4 * STEP + filters["target_group"], 9 * STEP + 77 * 256 + 65],),
    )
    expected = cursor.fetchone()[0]
    found = counts[(1, str(filters["theme"]))]
    print(f"check: theme count under the two other filters {found}, by SQL {expected}")
    if "--cleanup" in sys.argv:
        cursor.execute("DROP TABLE study_bits")


if __name__ == "__main__":
    main()
