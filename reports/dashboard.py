"""The aggregates of the coordinators' dashboard.

Practices are those of the selection (the public list's filters, a status, a period their
project overlaps; a practice without dates counts in every period). Events are those that
overlap the period and belong to the chosen series. Each breakdown is one grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django_countries import countries

from events.models import Event, EventSeries, ParticipantCount
from practices.models import Indicator, Practice, StakeholderRole
from practices.names import localised
from publishing.workflow import Status
from reports.selection import selected_events, selected_practices
from stakeholders.models import Stakeholder, StakeholderKind


@dataclass
class Bar:
    label: str
    count: int
    share: int = 0  # percent of the largest count of its table, for the bar's width


@dataclass
class Table:
    title: str
    rows: list[Bar]
    export: str  # the type of export that lists these records
    unit: str = field(default="")

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _bars(pairs) -> list[Bar]:
    bars = [Bar(str(label), int(count or 0)) for label, count in pairs]
    largest = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.share = round(100 * bar.count / largest) if largest else 0
    return bars


def _grouped(queryset: QuerySet, key: str, labels=None) -> list[Bar]:
    """Practices counted once per value of `key`; practices without a value are left out."""
    grouped = (
        queryset.exclude(**{f"{key}__isnull": True})
        .values(key)
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", key)
    )
    return _bars((labels(row[key]) if labels else row[key], row["count"]) for row in grouped)


def _by_category(queryset: QuerySet, path: str, field: str = "name") -> list[Bar]:
    """Practices counted once per category at `path` (themes...), labelled by its name in
    the page's language: the plain `themes__name` would read the untranslated column."""
    grouped = (
        queryset.exclude(**{f"{path}__isnull": True})
        .values(f"{path}__pk")
        .annotate(label=localised(f"{path}__{field}"), count=Count("pk", distinct=True))
        .order_by("-count", "label")
    )
    return _bars((row["label"], row["count"]) for row in grouped)


def practice_tables(practices: QuerySet) -> list[Table]:
    status_labels = dict(Status.choices)
    kinds = dict(StakeholderKind.choices)
    return [
        Table(
            _("Practices by status"), _grouped(practices, "status", status_labels.get), "practices"
        ),
        Table(_("Practices by theme"), _by_category(practices, "themes"), "practices"),
        Table(
            _("Practices by GCM objective"),
            _objectives(practices),
            "practices",
        ),
        Table(
            _("Practices by guiding principle"),
            _by_category(practices, "principles", "title"),
            "practices",
        ),
        Table(
            _("Practices by country"), _grouped(practices, "country", countries.name), "practices"
        ),
        Table(_("Practices by city"), _grouped(practices.exclude(city=""), "city"), "practices"),
        Table(
            _("Practices by target group"), _by_category(practices, "target_groups"), "practices"
        ),
        Table(
            _("Practices by area of intervention"), _by_category(practices, "areas"), "practices"
        ),
        Table(
            _("Practices by kind of stakeholder taking part"),
            _grouped(practices, "stakeholders__kind", kinds.get),
            "practices",
        ),
    ]


def _objectives(practices: QuerySet) -> list[Bar]:
    grouped = (
        practices.exclude(objectives__isnull=True)
        .values("objectives__number")
        .annotate(title=localised("objectives__short_title"), count=Count("pk", distinct=True))
        .order_by("objectives__number")
    )
    return _bars((f"{row['objectives__number']}. {row['title']}", row["count"]) for row in grouped)


def stakeholder_table(practices: QuerySet, events: QuerySet) -> Table:
    """Organisations with a role in a selected practice or organising a selected event."""
    taking_part = Stakeholder.objects.filter(
        Q(pk__in=StakeholderRole.objects.filter(practice__in=practices).values("stakeholder"))
        | Q(pk__in=events.values("organisers"))
    )
    kinds = dict(StakeholderKind.choices)
    grouped = taking_part.values("kind").annotate(count=Count("pk")).order_by("-count", "kind")
    return Table(
        _("Stakeholders taking part, by kind"),
        _bars((kinds.get(row["kind"], row["kind"]), row["count"]) for row in grouped),
        "stakeholders",
    )


def directory_table() -> Table:
    kinds = dict(StakeholderKind.choices)
    grouped = Stakeholder.objects.values("kind").annotate(count=Count("pk")).order_by("-count")
    return Table(
        _("Stakeholders in the directory, by kind"),
        _bars((kinds.get(row["kind"], row["kind"]), row["count"]) for row in grouped),
        "stakeholders",
    )


def event_tables(events: QuerySet) -> list[Table]:
    kinds = dict(Event.Kind.choices)
    categories = dict(ParticipantCount.Category.choices)
    counts = ParticipantCount.objects.filter(event__in=events)
    by_category = (
        counts.values("category").annotate(total=Sum("count")).order_by("-total", "category")
    )
    by_series = counts.values("event__series__name").annotate(total=Sum("count")).order_by("-total")
    events_by_series = events.values("series__name").annotate(count=Count("pk")).order_by("-count")
    no_series = _("No series")
    return [
        Table(_("Events by kind"), _grouped(events, "kind", kinds.get), "events"),
        Table(
            _("Events by series"),
            _bars((row["series__name"] or no_series, row["count"]) for row in events_by_series),
            "events",
        ),
        Table(
            _("Participants by category"),
            _bars((categories.get(row["category"]), row["total"]) for row in by_category),
            "events",
            unit=_("participants"),
        ),
        Table(
            _("Participants by series"),
            _bars((row["event__series__name"] or no_series, row["total"]) for row in by_series),
            "events",
            unit=_("participants"),
        ),
    ]


@dataclass
class IndicatorRow:
    practice: Practice
    label: str
    target: object
    achieved: object
    unit: str
    share: float | None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


def indicators(practices: QuerySet) -> list[IndicatorRow]:
    rows = Indicator.objects.filter(practice__in=practices).select_related("practice")
    return [
        IndicatorRow(row.practice, row.label, row.target, row.achieved, row.unit, row.share_reached)
        for row in rows.order_by("practice__title", "position", "pk")
    ]


def figures(params) -> dict:
    """Everything the dashboard shows for the selection of `params`."""
    practices = selected_practices(params)
    events = selected_events(params)
    return {
        "practice_count": practices.count(),
        "event_count": events.count(),
        "participant_count": ParticipantCount.objects.filter(event__in=events).aggregate(
            total=Sum("count")
        )["total"]
        or 0,
        "practice_tables": practice_tables(practices),
        "stakeholder_tables": [stakeholder_table(practices, events), directory_table()],
        "event_tables": event_tables(events),
        "indicators": indicators(practices),
        "series": EventSeries.objects.all(),
    }
