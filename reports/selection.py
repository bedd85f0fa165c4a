"""What the coordinators' dashboard and exports hold, read from the request's parameters.

Practices: the public list's filters (search.filters.PracticeFilter, the same parameters,
so that a download carries exactly the filters of the page it was made from), plus a
status and a period their project overlaps. Events: a period, series, kinds and statuses.
Stakeholders: kinds. A value that is unknown or malformed selects nothing, never everything.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import QueryDict

from events.models import Event, EventSeries
from practices.models import Practice
from publishing.workflow import Status
from search.filters import PracticeFilter
from stakeholders.models import Stakeholder, StakeholderKind


def values_of(params: QueryDict | dict, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    return [value.strip() for value in values if value and value.strip()]


def selected_practices(params) -> QuerySet:
    """Practices of every status: the public list's filters, a status and a period."""
    practices = PracticeFilter(params, queryset=Practice.objects.all()).qs
    return in_period(params, with_status(params, practices), "start_date", "end_date")


def selection(kind: str, params) -> QuerySet:
    """What a coordinator's export of `kind` contains: the dashboard's selection."""
    if kind == "practices":
        return selected_practices(params)
    if kind == "events":
        return selected_events(params)
    return selected_stakeholders(params)


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


def selected_events(params) -> QuerySet:
    """Events overlapping the period, of the chosen series, kinds and statuses."""
    events = Event.objects.all()
    queryset = with_status(params, in_period(params, events, "starts_at", "ends_at"))
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


def selected_stakeholders(params) -> QuerySet:
    stakeholders = Stakeholder.objects.all()
    if values := values_of(params, "kind"):
        if not set(values) <= set(StakeholderKind.values):
            return stakeholders.none()
        return stakeholders.filter(kind__in=values)
    return stakeholders
