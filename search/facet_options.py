"""Facet counts of the public practice list.

``compute_facets(params)`` is the whole interface: for every filter of the list, its
options with the number of published practices each would give, counted under all the
OTHER active filters (so that choosing a second theme shows what OR-ing it would add).
Options counted zero are left out unless selected.

On PostgreSQL, once the facet index is built (search/bitmap_index.py: one bitmap per
facet value), one query counts every facet, the total and, with a search, the matching
practices, whatever the data size (docs/performance/design.md). Elsewhere, and before the index
is built, one UNION ALL query counts every many-to-many and column facet (each part groups
a through table or a column, restricted by a subquery of practice ids), and two queries
count the years. Labels come with the counts (joined) or from Python (countries, choices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, F, Max, Min, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from practices.models import CooperationLevel, Practice, StakeholderRole
from search import bitmap_index
from search.filters import FILTER_NAMES, PracticeFilter, active_in
from stakeholders.models import StakeholderKind

FACET_TITLES = {
    "theme": _("Theme"),
    "objective": _("GCM objective"),
    "principle": _("Guiding principle"),
    "target_group": _("Target group"),
    "area": _("Area of intervention"),
    "country": _("Country"),
    "city": _("City"),
    "stakeholder_kind": _("Kind of stakeholder"),
    "stakeholder": _("Stakeholder"),
    "programme": _("Programme"),
    "level": _("Cooperation level"),
    "year": _("Active in year"),
}


OPTION_LIMIT = 50  # options shown per facet, besides the selected ones


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""  # filled by the view: the list with this option toggled


M2M_FIELDS = {
    "theme": "themes",
    "objective": "objectives",
    "principle": "principles",
    "target_group": "target_groups",
    "area": "areas",
    "level": "cooperation_levels",
}


def _m2m_part(bases: dict, facet: str, value: str, label: str):
    model = Practice._meta.get_field(M2M_FIELDS[facet]).remote_field.through
    return _part(model.objects.filter(practice_id__in=bases[facet]), facet, value, label)


def _part(queryset, facet: str, value: str, label: str, distinct: bool = False):
    """One branch of the union: (facet, value, label, count) rows, all as text."""
    return (
        queryset.annotate(
            f_facet=Value(facet, output_field=CharField()),
            f_value=Cast(F(value), output_field=CharField()),
            f_label=Cast(F(label), output_field=CharField()),
        )
        .values("f_facet", "f_value", "f_label")
        .annotate(f_count=Count("practice_id" if distinct else "pk", distinct=distinct))
        .order_by()
    )


def _parts(bases: dict):
    practices = Practice.objects.all
    roles = StakeholderRole.objects.filter
    return [
        _m2m_part(bases, "theme", "theme__slug", "theme__name"),
        _m2m_part(bases, "objective", "gcmobjective__number", "gcmobjective__short_title"),
        _m2m_part(bases, "principle", "guidingprinciple__slug", "guidingprinciple__title"),
        _m2m_part(bases, "target_group", "targetgroup__slug", "targetgroup__name"),
        _m2m_part(bases, "area", "interventionarea__slug", "interventionarea__name"),
        _m2m_part(bases, "level", "cooperationlevel__code", "cooperationlevel__code"),
        _part(
            roles(practice_id__in=bases["stakeholder"]),
            "stakeholder",
            "stakeholder__slug",
            "stakeholder__name",
            distinct=True,
        ),
        _part(
            roles(practice_id__in=bases["stakeholder_kind"]),
            "stakeholder_kind",
            "stakeholder__kind",
            "stakeholder__kind",
            distinct=True,
        ),
        _column_part(practices().filter(pk__in=bases["country"]), "country", "country"),
        _column_part(practices().filter(pk__in=bases["city"]).exclude(city=""), "city", "city"),
        _column_part(
            practices().filter(pk__in=bases["programme"], programme__isnull=False),
            "programme",
            "programme__slug",
            "programme__name",
        ),
    ]


def _column_part(queryset, facet: str, value: str, label: str | None = None):
    return (
        queryset.annotate(
            f_facet=Value(facet, output_field=CharField()),
            f_value=Cast(F(value), output_field=CharField()),
            f_label=Cast(F(label or value), output_field=CharField()),
        )
        .values("f_facet", "f_value", "f_label")
        .annotate(f_count=Count("pk"))
        .order_by()
    )


def _python_label(facet: str, value: str, label: str) -> str:
    if facet == "country":
        return str(countries.name(value)) or value
    if facet == "stakeholder_kind":
        return str(StakeholderKind(value).label) if value in StakeholderKind.values else value
    if facet == "level":
        return str(CooperationLevel.Code(value).label)
    if facet == "objective":
        return f"{value}. {label}"
    return label


def _years(base) -> list[tuple[int, int]]:
    this_year = date.today().year
    bounds = (
        Practice.objects.published()
        .filter(start_date__isnull=False)
        .aggregate(first=Min("start_date__year"), last=Max("end_date__year"))
    )
    if bounds["first"] is None:
        return []
    first, last = bounds["first"], max(bounds["last"] or this_year, this_year)
    years = range(first, last + 1)
    counts = Practice.objects.filter(pk__in=base).aggregate(
        **{f"y{year}": Count("pk", filter=active_in(year)) for year in years}
    )
    return [(year, counts[f"y{year}"]) for year in years]


def _selected(filterset: PracticeFilter) -> dict[str, dict[str, str]]:
    """The selected values of each filter with their labels, to show them even at zero."""
    selected: dict[str, dict[str, str]] = {}
    for name, values in filterset.active().items():
        labels = {}
        for value in values:
            key = str(getattr(value, "slug", None) or getattr(value, "number", value))
            labels[key] = _python_label(name, key, str(getattr(value, "short_title", value)))
        selected[name] = labels
    return selected


def compute_facets(params, filterset: PracticeFilter | None = None) -> dict[str, list]:
    """{facet name: [FacetOption]} for the list filtered by ``params`` (a QueryDict).

    Pass the list's ``filterset`` to reuse its validation. An invalid filter gives no
    facets: the list is empty then, with a message."""
    return facets_and_total(params, filterset)[0]


def facets_and_total(
    params, filterset: PracticeFilter | None = None
) -> tuple[dict[str, list], int | None]:
    """The facets and, when the facet index counted them, the number of matching
    practices (None otherwise: the caller counts)."""
    filterset = filterset or PracticeFilter(params, queryset=Practice.objects.published())
    if not filterset.is_valid():
        return {}, None
    selected = _selected(filterset)
    rows = bitmap_index.facet_rows(_index_filters(filterset), search=filterset.search_text())
    if rows is None:
        found = _options_from_tables(filterset, selected)
        total = None
    else:
        found, total = _options_from_rows(rows, selected)
    for name, labels in selected.items():
        present = {option.value for option in found[name]}
        for option in found[name]:
            option.selected = option.value in labels
        found[name] += [
            FacetOption(value, label, 0, True)
            for value, label in labels.items()
            if value not in present
        ]
    for name in found:
        found[name] = _most_used(found[name])
        found[name].sort(key=_sort_key(name))
    return found, total


def _most_used(options: list[FacetOption]) -> list[FacetOption]:
    """The OPTION_LIMIT options with most practices, and the selected ones: at scale a
    facet can have hundreds of values (cities, stakeholders) that nobody reads through
    and that would cost more to render than the whole query (docs/performance/design.md)."""
    if len(options) <= OPTION_LIMIT:
        return options
    ranked = sorted(options, key=lambda option: (-option.count, option.label.casefold()))
    kept = {id(option) for option in ranked[:OPTION_LIMIT]}
    return [option for option in options if id(option) in kept or option.selected]


def _index_filters(filterset: PracticeFilter) -> dict[str, list[str]]:
    """The active filters as the facet index keys them: ids for model instances."""
    return {
        name: [str(getattr(value, "pk", value)) for value in values]
        for name, values in filterset.active().items()
    }


def _options_from_rows(rows, selected: dict) -> tuple[dict[str, list], int]:
    found: dict[str, list[FacetOption]] = {name: [] for name in FILTER_NAMES}
    total = 0
    for name, _value, count, key, label in rows:
        if name == "total":
            total = count
        elif name in found:
            label = _python_label(name, key, label)
            found[name].append(FacetOption(key, label, count, key in selected.get(name, {})))
    return found, total


def _options_from_tables(filterset: PracticeFilter, selected: dict) -> dict[str, list]:
    """The counts from the tables (SQLite, or before the facet index is built): one UNION
    ALL query for every facet but the years, two for the years."""
    published = Practice.objects.published()
    bases = {
        name: published.filter(*filterset.conditions(excluding=name)).values("pk")
        for name in FILTER_NAMES
    }
    parts = _parts(bases)
    rows = parts[0].union(*parts[1:], all=True)
    found: dict[str, list[FacetOption]] = {name: [] for name in FILTER_NAMES}
    for row in rows:
        name, value = row["f_facet"], row["f_value"]
        label = _python_label(name, value, row["f_label"])
        is_selected = value in selected.get(name, {})
        found[name].append(FacetOption(value, label, row["f_count"], is_selected))
    for year, count in _years(bases["year"]):
        if count or str(year) in selected.get("year", {}):
            found["year"].append(FacetOption(str(year), str(year), count, False))
    return found


def _sort_key(name: str):
    if name == "objective":
        return lambda option: int(option.value)
    if name == "year":
        return lambda option: -int(option.value)
    if name == "level":
        order = list(CooperationLevel.Code.values)
        return lambda option: order.index(option.value) if option.value in order else 99
    return lambda option: (-option.count, option.label.casefold())
