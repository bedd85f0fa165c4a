"""How many published practices: one function per question, and the one place that chooses
how to count. The bitmap index (search/bitmap_index.py) answers on PostgreSQL once it is
built; plain GROUP BY queries answer elsewhere (SQLite) and before that. Callers never
write a fallback of their own; tests hold both ways equal. The counts of a selection are
kept in the cache under the content's version (nador_portal/page_cache.py): at 300,000
practices they are most of a list page's time, and they change only with the content.
"""

from __future__ import annotations

import hashlib
import json
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from nador_portal import page_cache
from practices.models import Practice
from search import bitmap_index, dimensions
from search.fulltext import search_condition

TOTAL = "total"


def facet_rows(active: dict[str, list[str]], search: str = "") -> list[tuple]:
    """(dimension, value, count, key, title) of every option with practices, each counted
    under the other active filters, and (TOTAL, "", n, "", "") the number of matches.
    `active`: {dimension: values as the counts hold them (primary keys, codes, years)};
    `search`: full-text words."""
    unknown = set(active) - set(dimensions.names())
    if unknown:
        raise ValueError(f"Unknown dimensions: {sorted(unknown)}")
    active = {name: [str(value) for value in values] for name, values in active.items() if values}
    seconds = settings.FACET_CACHE_SECONDS
    key = _cache_key(active, search) if seconds > 0 else None
    rows = cache.get(key) if key else None
    if rows is None:
        rows = bitmap_index.facet_rows(active, search)
        rows = rows if rows is not None else rows_from_tables(active, search)
        if key:
            cache.set(key, rows, seconds)
    return rows


def _cache_key(active: dict[str, list[str]], search: str) -> str:
    """The counts of one selection, in the page's language (the options' names), under
    the content's version: any write a public page can show moves it."""
    selection = json.dumps([sorted((n, sorted(v)) for n, v in active.items()), search])
    digest = hashlib.sha256(selection.encode()).hexdigest()[:32]
    return f"facets:{page_cache.version()}:{get_language()}:{digest}"


def facet_counts(active: dict[str, list[str]], search: str = "") -> dict[str, dict[str, int]]:
    """{dimension: {value: count}} of facet_rows, with {TOTAL: {"": n}}."""
    found: dict[str, dict[str, int]] = {name: {} for name in dimensions.names()}
    for dimension, value, count, _key, _title in facet_rows(active, search):
        found.setdefault(dimension, {})[value] = count
    return found


def practices_per_value(name: str, values: list[str] | None = None) -> dict[str, int]:
    """{value: published practices} of one dimension, e.g. the practices of each theme, or
    of some of its values only (the stakeholders of a page of the directory)."""
    found = bitmap_index.value_counts(name, values)
    if found is None:
        rows = dimensions.get(name).counted(Practice.objects.published())
        found = {value: count for _dimension, value, count, _key, _title in rows}
        if values is not None:
            found = {value: found[value] for value in values if value in found}
    return found


def sharing_any(values: dict[str, list]):
    """A condition for .filter(): published practices having one of these values, e.g.
    {"theme": [3], "objective": [5, 7]} (related practices)."""
    condition = bitmap_index.having_any(values)
    if condition is not None:
        return condition
    conditions = [dimensions.get(name).condition(keys) for name, keys in values.items()]
    return reduce(or_, conditions, Q(pk__in=[]))


def walk_condition(active: dict[str, list[str]], search: str, matches: int):
    """A condition for .filter() selecting the same published practices as these filters
    and words, cheaper to test row by row in a long walk (a deep page), or None."""
    return bitmap_index.walk_condition(active, search, matches)


def rows_from_tables(active: dict[str, list[str]], search: str = "") -> list[tuple]:
    """facet_rows from the tables: one UNION ALL of a GROUP BY per dimension, two queries
    per year-like dimension and one for the total. Fine for the few thousand practices a
    SQLite database holds; at scale PostgreSQL counts with the bitmaps."""
    conditions = {name: dimensions.get(name).condition(values) for name, values in active.items()}
    if search:
        conditions["q"] = search_condition(search)

    def selected(skip: str = "") -> QuerySet:
        others = [condition for name, condition in conditions.items() if name != skip]
        ids = Practice.objects.published().filter(*others).values("pk")
        return Practice.objects.filter(pk__in=ids)

    parts, years = [], []
    for dimension in dimensions.DIMENSIONS:
        if dimension.derives_options:
            years += [
                (dimension.name, year, count, year, year)
                for year, count in dimension.counts(selected(dimension.name)).items()
                if count
            ]
        else:
            parts.append(dimension.counted(selected(dimension.name)))
    rows = list(parts[0].union(*parts[1:], all=True)) if parts else []
    rows = _within_limits(rows, active)
    return [*rows, *years, (TOTAL, "", selected().count(), "", "")]


def _within_limits(rows: list[tuple], active: dict[str, list[str]]) -> list[tuple]:
    """Of a dimension with a limit, the values with most published practices overall and
    the selected ones (what the bitmap index keeps by its rank)."""
    for dimension in dimensions.DIMENSIONS:
        values = {row[1] for row in rows if row[0] == dimension.name}
        if dimension.limit is None or len(values) <= dimension.limit:
            continue
        overall = (
            dimension.counted(Practice.objects.published())
            .order_by("-f_count", "f_value")
            .values_list("f_value", flat=True)[: dimension.limit]
        )
        keep = set(overall) | set(active.get(dimension.name, []))
        rows = [row for row in rows if row[0] != dimension.name or row[1] in keep]
    return rows
