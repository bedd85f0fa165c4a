"""An alert's filters: those of the practice list (search/filters.py PracticeFilter), read
from the list's URL, checked by the FilterSet and kept as a canonical query string."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from practices.feeds import filter_labels
from practices.models import Practice
from search import dimensions
from search.filters import PracticeFilter, without_blank_values

SEARCH = "q"


def list_filters(params: QueryDict) -> QueryDict:
    """The filters among a list's parameters: the dimensions and the search, without the
    page, the sort or anything else."""
    kept = QueryDict(mutable=True)
    cleaned = without_blank_values(params)
    for name in [*dimensions.names(), SEARCH]:
        if cleaned.getlist(name):
            kept.setlist(name, cleaned.getlist(name))
    return kept


def filterset_of(params: QueryDict, queryset=None) -> PracticeFilter:
    return PracticeFilter(
        params, queryset=Practice.objects.published() if queryset is None else queryset
    )


def saved_filters(filterset: PracticeFilter) -> str:
    """The valid filters of a FilterSet as a query string, the same for the same list
    whatever the order of its parameters or the case of a search."""
    query = QueryDict(mutable=True)
    for name, values in filterset.active().items():
        dimension = dimensions.get(name)
        query.setlist(name, sorted({dimension.key_of(value) for value in values}))
    if text := filterset.search_text():
        query[SEARCH] = text
    return query.urlencode()


def labels_of(saved: str) -> list[str]:
    """The filters of an alert in words (in the active language), as the list's chips say
    them: "Health", "Morocco", "“water”"."""
    return filter_labels(filterset_of(QueryDict(saved)))


def chips(params: QueryDict, filterset: PracticeFilter, path: str) -> list[dict]:
    """One chip per filter value, as on the list (templates/includes/_filter_chips.html),
    each a link to `path` without it. A value the FilterSet refused is shown as it was
    written, so that it can be removed."""
    labels = {}
    if filterset.is_valid():
        for name, values in filterset.active().items():
            dimension = dimensions.get(name)
            choices = dimension.choice_labels()
            for value in values:
                labels[(name, dimension.key_of(value))] = dimension.value_label(value, choices)
    found = []
    if text := filterset.search_text():
        found.append({"title": _("Search"), "label": text, "url": _without(params, path, SEARCH)})
    for dimension in dimensions.DIMENSIONS:
        for value in params.getlist(dimension.name):
            found.append(
                {
                    "title": dimension.label,
                    "label": labels.get((dimension.name, value), value),
                    "url": _without(params, path, dimension.name, value),
                }
            )
    return found


def _without(params: QueryDict, path: str, name: str, value: str | None = None) -> str:
    query = params.copy()
    values = query.getlist(name)
    query.setlist(name, [] if value is None else [v for v in values if v != value])
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path
