"""The selection of practices a request asks for, with the parameters of the public list.

Every export and the dashboard take their practices from `filtered_practices`, so that a
download carries exactly the filters of the page it was made from. Meant to be replaced by
the public list's FilterSet (practices/filters.py) once that is merged: same parameters,
same meaning. A repeated parameter means OR, different parameters mean AND; values are
slugs (objectives by number, countries by code); an unknown value selects nothing.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django_countries import countries

from events.models import Event, EventSeries
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Programme,
    TargetGroup,
    Theme,
)
from practices.workflow import Status
from stakeholders.models import Stakeholder, StakeholderKind

# parameter -> (lookup on Practice, model and field holding the accepted values)
RELATED_FILTERS = {
    "theme": ("themes__in", Theme, "slug"),
    "objective": ("objectives__in", GcmObjective, "number"),
    "principle": ("principles__in", GuidingPrinciple, "slug"),
    "target_group": ("target_groups__in", TargetGroup, "slug"),
    "area": ("areas__in", InterventionArea, "slug"),
    "programme": ("programme__in", Programme, "slug"),
    "stakeholder": ("stakeholders__in", Stakeholder, "slug"),
    "level": ("cooperation_levels__in", CooperationLevel, "code"),
}
PRACTICE_PARAMETERS = (
    "q",
    "theme",
    "objective",
    "principle",
    "target_group",
    "area",
    "country",
    "city",
    "stakeholder_kind",
    "stakeholder",
    "programme",
    "level",
    "year",
)


class UnknownValue(Exception):
    """A parameter names nothing that exists: the selection is empty."""


def values_of(params: QueryDict | dict, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    return [value.strip() for value in values if value and value.strip()]


def _related(name: str, values: list[str]) -> Q:
    lookup, model, field = RELATED_FILTERS[name]
    if field == "number" and not all(value.isdigit() for value in values):
        raise UnknownValue(name)
    found = list(model.objects.filter(**{f"{field}__in": values}))
    if len({str(getattr(obj, field)) for obj in found}) < len(set(values)):
        raise UnknownValue(name)
    return Q(**{lookup: found})


def _choices(name: str, values: list[str], allowed, lookup: str) -> Q:
    if not set(values) <= set(allowed):
        raise UnknownValue(name)
    return Q(**{lookup: values})


def _year(values: list[str]) -> Q:
    """A practice belongs to the years its project runs through."""
    if not all(value.isdigit() and 1900 <= int(value) <= 2200 for value in values):
        raise UnknownValue("year")
    condition = Q()
    for value in values:
        year = int(value)
        condition |= Q(start_date__year__lte=year) & (
            Q(end_date__isnull=True) | Q(end_date__year__gte=year)
        )
    return condition


def practice_conditions(params) -> list[Q]:
    conditions = []
    for name in RELATED_FILTERS:
        if values := values_of(params, name):
            conditions.append(_related(name, values))
    if values := [value.upper() for value in values_of(params, "country")]:
        conditions.append(_choices("country", values, dict(countries), "country__in"))
    if values := values_of(params, "city"):
        condition = Q()
        for city in values:
            condition |= Q(city__iexact=city)
        conditions.append(condition)
    if values := values_of(params, "stakeholder_kind"):
        conditions.append(
            _choices("stakeholder_kind", values, StakeholderKind.values, "stakeholders__kind__in")
        )
    if values := values_of(params, "year"):
        conditions.append(_year(values))
    if text := " ".join(values_of(params, "q")):
        conditions.append(
            Q(title__icontains=text) | Q(summary__icontains=text) | Q(city__icontains=text)
        )
    return conditions


def filtered_practices(params, base_qs: QuerySet) -> QuerySet:
    """The practices of `base_qs` that the public list's parameters select."""
    try:
        conditions = practice_conditions(params)
    except UnknownValue:
        return base_qs.none()
    if not conditions:
        return base_qs
    # Filters across many-to-many relations repeat rows: select the ids, then the rows.
    ids = base_qs.model.objects.filter(*conditions).values("pk")
    return base_qs.filter(pk__in=ids)


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
