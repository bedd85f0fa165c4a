"""The programme in numbers: the public figures of published work, for everyone.

The practices are those of the public list's filters (search/filters.py PracticeFilter,
the same parameters), counted by search/counts.py facet_rows(): the one seam that counts
published practices, with the bitmap index on PostgreSQL. A dimension's facet counts each
value under the OTHER active filters; for a dimension with no active filter that is
exactly the selection, and for one with active values the chosen values are exactly the
selection too: the others (what OR-ing them would add) are left out. Events and
participants are those of published events (reports/dashboard.py, the coordinators'
tables); indicators those of the selected practices, in bands of the target reached.
Nothing unpublished is ever read: a draft is in no count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, ParticipantCount
from practices.models import Indicator, Practice
from reports.dashboard import Bar, Table, _bars
from search import counts, dimensions
from search.facet_options import FacetOption
from search.filters import PracticeFilter

CHARTED = [
    ("theme", gettext_lazy("Published practices by theme")),
    ("objective", gettext_lazy("Published practices by GCM objective")),
    ("country", gettext_lazy("Published practices by country")),
    ("year", gettext_lazy("Published practices active each year")),
]
CHART_ROWS = 12  # bars drawn; the table beside a chart lists every value
CHART_WIDTH = 400
ROW_HEIGHT = 40
COUNT_SPACE = 56  # room for the figure after the longest bar
LABEL_CHARACTERS = 52


def toggled(params: QueryDict, name: str, value: str) -> str:
    """The query of the page with `value` of filter `name` added or removed."""
    query = params.copy()
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return f"?{query.urlencode()}"


def _without(params: QueryDict, name: str) -> str:
    query = params.copy()
    query.pop(name, None)
    return f"?{query.urlencode()}"


def _chart_table(name: str, title, rows: list[tuple], chosen: set[str], params) -> Table:
    dimension = dimensions.get(name)
    choices = dimension.choice_labels()
    options = [
        FacetOption(key, dimension.option_label(key, label, choices), count, value in chosen)
        for value, count, key, label in rows
        if (value in chosen if chosen else count)
    ]
    options.sort(key=dimension.sort_key(choices))
    if name == "year":
        options.reverse()  # a chart over time reads oldest first
    bars = _bars((option.label, option.count) for option in options)
    for bar, option in zip(bars, options, strict=True):
        bar.url = toggled(params, name, option.value)
        bar.selected = option.selected
    return Table(str(title), bars, "practices", unit=_("practices"))


def _chips(filterset: PracticeFilter, params: QueryDict) -> list[dict]:
    """One removable chip per active filter, as on the public list."""
    chips = []
    if text := filterset.search_text():
        chips.append({"title": _("Search"), "label": text, "url": _without(params, "q")})
    for name, values in filterset.active().items():
        dimension = dimensions.get(name)
        choices = dimension.choice_labels()
        for value in values:
            key = dimension.key_of(value)
            chips.append(
                {
                    "title": dimension.label,
                    "label": dimension.value_label(value, choices),
                    "url": toggled(params, name, key),
                }
            )
    return chips


def practice_figures(params: QueryDict) -> dict:
    filterset = PracticeFilter(params, queryset=Practice.objects.published())
    if not filterset.is_valid():
        return {"filterset": filterset, "practice_count": 0, "practice_tables": [], "chips": []}
    active = filterset.active()
    index = {
        name: [dimensions.get(name).index_value(value) for value in values]
        for name, values in active.items()
    }
    grouped: dict[str, list[tuple]] = defaultdict(list)
    total = 0
    for name, value, count, key, title in counts.facet_rows(index, filterset.search_text()):
        if name == counts.TOTAL:
            total = count
        else:
            grouped[name].append((str(value), count, key, title))
    tables = [
        _chart_table(name, title, grouped[name], set(index.get(name, [])), params)
        for name, title in CHARTED
    ]
    return {
        "filterset": filterset,
        "practice_count": total,
        "practice_tables": tables,
        "chips": _chips(filterset, params),
    }


@dataclass
class IndicatorBands:
    table: Table
    with_target: int
    reached: int


def indicator_bands(practices) -> IndicatorBands:
    """Indicators of these practices in bands of the share of their target reached, in one
    query. An indicator without a target (or a target of zero) has no share."""
    has_target = Q(target__gt=0)
    measured = has_target & Q(achieved__isnull=False)
    found = Indicator.objects.filter(practice__in=practices.values("pk")).aggregate(
        reached=Count("pk", filter=measured & Q(achieved__gte=F("target"))),
        half=Count(
            "pk", filter=measured & Q(achieved__lt=F("target"), achieved__gte=F("target") / 2)
        ),
        under=Count("pk", filter=measured & Q(achieved__lt=F("target") / 2)),
        waiting=Count("pk", filter=has_target & Q(achieved__isnull=True)),
        no_target=Count("pk", filter=~has_target),
    )
    pairs = [
        (_("Target reached"), found["reached"]),
        (_("Half of the target or more"), found["half"]),
        (_("Less than half of the target"), found["under"]),
        (_("Target set, nothing reported yet"), found["waiting"]),
        (_("No target set"), found["no_target"]),
    ]
    if not any(count for _label, count in pairs):
        pairs = []  # "nothing to count yet" rather than five empty bars
    table = Table(_("Indicators by share of their target reached"), _bars(pairs), "practices")
    table.unit = _("indicators")
    with_target = found["reached"] + found["half"] + found["under"] + found["waiting"]
    return IndicatorBands(table, with_target, found["reached"])


def _ranked(totals: dict) -> list[Bar]:
    return _bars(sorted(totals.items(), key=lambda pair: (-pair[1], str(pair[0]))))


def event_figures() -> dict:
    """Published events by series, and their participants by series and by category, in
    two grouped queries: the dashboard's tables (reports/dashboard.py event_tables) ask
    one query per table, which at tens of thousands of events is most of this page. Both
    start from the published events, which the index event_status_series answers alone
    (status, series and id: no visit to the events' rows), and the second joins their
    participant counts to that once."""
    events = Event.objects.published()
    no_series = _("No series")
    per_series = events.values("series", "series__name").annotate(count=Count("pk")).order_by()
    names = {row["series"]: row["series__name"] or no_series for row in per_series}
    # Added, not set: a series may be named as the events without one are ("No series").
    events_by_series: dict[str, int] = defaultdict(int)
    for row in per_series:
        events_by_series[names[row["series"]]] += row["count"]
    # By the series' id, named from the first query (every series with a published event):
    # joining the series' names to 50,000 participant counts took a third of this one.
    grouped = (
        events.values("series", "participant_counts__category")
        .annotate(total=Sum("participant_counts__count"))
        .order_by()
    )
    categories = dict(ParticipantCount.Category.choices)
    by_series: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    for row in grouped:
        category = row["participant_counts__category"]
        if category is None:
            continue  # an event with no participant count, joined to none
        by_series[names[row["series"]]] += row["total"] or 0
        by_category[str(categories.get(category, category))] += row["total"] or 0
    participants = _("participants")
    return {
        "event_count": sum(events_by_series.values()),
        "participant_count": sum(by_series.values()),
        "event_tables": [
            Table(
                _("Published events by series"), _ranked(events_by_series), "events", _("events")
            ),
            Table(_("Participants by series"), _ranked(by_series), "events", participants),
            Table(_("Participants by category"), _ranked(by_category), "events", participants),
        ],
    }


def programme_numbers(params: QueryDict) -> dict:
    figures = practice_figures(params)
    figures["indicators"] = indicator_bands(figures["filterset"].qs)
    return figures | event_figures()


@dataclass
class ChartRow:
    label: str
    count: int
    label_x: int
    label_y: int
    bar_x: int
    bar_y: int
    bar_width: int
    count_x: int
    count_y: int


def chart_rows(table: Table, rtl: bool) -> tuple[list[ChartRow], int]:
    """The geometry of a horizontal bar chart of `table`'s first CHART_ROWS rows, bars
    growing from the reading side, and the chart's height. Drawn by the server: the page
    needs no script, and the SVG's presentation attributes are no inline style (CSP)."""
    rows = []
    longest = CHART_WIDTH - COUNT_SPACE
    for number, bar in enumerate(table.rows[:CHART_ROWS]):
        top = number * ROW_HEIGHT
        width = max(round(longest * bar.share / 100), 1 if bar.count else 0)
        label = (
            bar.label
            if len(bar.label) <= LABEL_CHARACTERS
            else bar.label[: LABEL_CHARACTERS - 1] + "…"
        )
        rows.append(
            ChartRow(
                label=label,
                count=bar.count,
                label_x=CHART_WIDTH if rtl else 0,
                label_y=top + 14,
                bar_x=CHART_WIDTH - width if rtl else 0,
                bar_y=top + 20,
                bar_width=width,
                count_x=CHART_WIDTH - width - 6 if rtl else width + 6,
                count_y=top + 32,
            )
        )
    return rows, max(len(rows), 1) * ROW_HEIGHT
