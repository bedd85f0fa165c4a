"""The facet options of the public practice list.

For every dimension (search/dimensions.py), its options with the number of published
practices each would give, counted under all the OTHER active filters (so that choosing a
second theme shows what OR-ing it would add); options counted zero are left out unless
selected. The counts come from search/counts.py, whichever way it counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from practices.models import Practice
from search import counts, dimensions
from search.filters import PracticeFilter

OPTION_LIMIT = 50  # options shown per facet, besides the selected ones


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""  # filled by the view: the list with this option toggled


def compute_facets(params, filterset: PracticeFilter | None = None) -> dict[str, list]:
    """{dimension: [FacetOption]} for the list filtered by ``params`` (a QueryDict).

    Pass the list's ``filterset`` to reuse its validation. An invalid filter gives no
    facets: the list is empty then, with a message."""
    return facets_and_total(params, filterset)[0]


def facets_and_total(
    params, filterset: PracticeFilter | None = None
) -> tuple[dict[str, list], int | None]:
    """The facets and the number of matching practices (None when a filter is invalid)."""
    filterset = filterset or PracticeFilter(params, queryset=Practice.objects.published())
    if not filterset.is_valid():
        return {}, None
    active = filterset.active()
    rows = counts.facet_rows(filterset.indexed(), search=filterset.search_text())
    by_name = {d.name: d for d in dimensions.DIMENSIONS}  # hundreds of rows to label
    choices = {name: d.choice_labels() for name, d in by_name.items()}
    found: dict[str, list[FacetOption]] = {name: [] for name in choices}
    total = 0
    for name, _value, count, key, title in rows:
        if name == counts.TOTAL:
            total = count
        elif name in found:
            label = by_name[name].option_label(key, title, choices[name])
            found[name].append(FacetOption(key, label, count, False))
    for name, values in active.items():
        _mark_selected(dimensions.get(name), values, found[name], choices[name])
    for name in found:
        found[name] = _most_used(found[name])
        found[name].sort(key=dimensions.get(name).sort_key(choices[name]))
    return found, total


def _mark_selected(dimension, values: list, options: list[FacetOption], choices: dict) -> None:
    """Mark the selected options, and add those no practice has (shown with zero)."""
    shown = {option.value: option for option in options}
    for value in values:
        key = dimension.key_of(value)
        if key in shown:
            shown[key].selected = True
            continue
        options.append(FacetOption(key, dimension.value_label(value, choices), 0, True))


def _most_used(options: list[FacetOption]) -> list[FacetOption]:
    """The OPTION_LIMIT options with most practices, and the selected ones: at scale a
    facet can have hundreds of values (cities, stakeholders) that nobody reads through
    and that would cost more to render than the whole query."""
    if len(options) <= OPTION_LIMIT:
        return options
    ranked = sorted(options, key=lambda option: (-option.count, option.label.casefold()))
    kept = {id(option) for option in ranked[:OPTION_LIMIT]}
    return [option for option in options if id(option) in kept or option.selected]
