"""The selection of practices a request asks for, with the parameters of the public list.

Every export and the dashboard take their practices from `filtered_practices`, which is the
public list's FilterSet (practices/filters.py), so that a download carries exactly the
filters of the page it was made from.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import QueryDict

from events.models import Event, EventSeries
from practices.filters import PracticeFilter
from practices.workflow import Status
from stakeholders.models import StakeholderKind


def values_of(params: QueryDict | dict, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    return [value.strip() for value in values if value and value.strip()]


def select_practices(params, base_qs: QuerySet) -> tuple[PracticeFilter, QuerySet]:
    """The public list's FilterSet over `base_qs` and what it selects: nothing when a value
    is unknown or malformed, never the unfiltered list. The list page, its feed and every
    export read their practices here, so a download carries exactly the page's filters."""
    filterset = PracticeFilter(params, queryset=base_qs)
    if not filterset.is_valid():
        return filterset, base_qs.none()
    return filterset, filterset.qs


def filtered_practices(params, base_qs: QuerySet) -> QuerySet:
    return select_practices(params, base_qs)[1]


def with_status(params, queryset: QuerySet) -> QuerySet:
    """The coordinators' extra filter: status=draft&status=submitted ..."""
    values = values_of(params, "status")
    if not values:
        return queryset
    if not set(values) <= set(Status.values):
        return queryset.none()
    return queryset.filter(status__in=values)


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def in_period(params, queryset: QuerySet, start: str, end: str) -> QuerySet:
    """Records whose [start, end] overlaps the period ?from=...&to=... (ISO dates).
    Records without a start date count in every period: nothing says they are outside."""
    period_from = parse_date(params.get("from"))
    period_to = parse_date(params.get("to"))
    if period_to:
        queryset = queryset.filter(
            Q(**{f"{start}__isnull": True}) | Q(**{_on_or(start, "lte"): period_to})
        )
    if period_from:
        queryset = queryset.filter(
            Q(**{f"{end}__isnull": True}) | Q(**{_on_or(end, "gte"): period_from})
        )
    return queryset


def _on_or(field: str, comparison: str) -> str:
    """Compare a date with a date field, or with the (local) date of a datetime field."""
    return f"{field}__date__{comparison}" if field.endswith("_at") else f"{field}__{comparison}"


def filtered_events(params, base_qs: QuerySet) -> QuerySet:
    queryset = with_status(params, in_period(params, base_qs, "starts_at", "ends_at"))
    if values := values_of(params, "series"):
        found = EventSeries.objects.filter(slug__in=values)
        if found.count() < len(set(values)):
            return queryset.none()
        queryset = queryset.filter(series__in=found)
    if values := values_of(params, "kind"):
        if not set(values) <= set(Event.Kind.values):
            return queryset.none()
        queryset = queryset.filter(kind__in=values)
    return queryset


def filtered_stakeholders(params, base_qs: QuerySet) -> QuerySet:
    if values := values_of(params, "kind"):
        if not set(values) <= set(StakeholderKind.values):
            return base_qs.none()
        return base_qs.filter(kind__in=values)
    return base_qs
