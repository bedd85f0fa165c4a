"""The numbers page's event figures (reports/numbers.py event_figures): published events by
series and their participants by series and by category, exact whatever the data, in two
queries; the coordinators' dashboard counts the same published events the same way."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from events.models import Event, EventSeries, ParticipantCount
from publishing.workflow import Status
from reports.dashboard import event_tables
from reports.numbers import event_figures
from tests.test_public_statuses import make_event

pytestmark = pytest.mark.django_db

CATEGORIES = [choice.value for choice in ParticipantCount.Category]


@pytest.fixture
def programme(asticude):
    """Events of every status, in three series or none, with 0 to 4 participant counts."""
    rng = random.Random(5)
    series = [
        EventSeries.objects.create(name=f"Week {year}", slug=f"week-{year}", year=year)
        for year in (2019, 2022, 2026)
    ]
    statuses = [Status.PUBLISHED] * 3 + [Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED]
    for number in range(40):
        event = make_event(
            asticude, f"Event {number}", status=rng.choice(statuses), days=rng.randint(-900, 90)
        )
        event.series = rng.choice([None, *series])
        event.save()
        for category in rng.sample(CATEGORIES, rng.randint(0, 4)):
            count = rng.choice([0, 1, rng.randint(2, 500)])
            ParticipantCount.objects.create(event=event, category=category, count=count)


def rows(table) -> dict[str, int]:
    return {bar.label: bar.count for bar in table.rows}


def test_the_event_figures_are_the_hand_counts_of_published_events(programme):
    events = Counter()
    by_series, by_category = defaultdict(int), defaultdict(int)
    labels = dict(ParticipantCount.Category.choices)
    for event in Event.objects.published().select_related("series"):
        name = event.series.name if event.series else "No series"
        events[name] += 1
        for count in event.participant_counts.all():
            by_series[name] += count.count
            by_category[str(labels[count.category])] += count.count
    figures = event_figures()
    tables = {table.title: rows(table) for table in figures["event_tables"]}
    assert tables["Published events by series"] == dict(events)
    assert tables["Participants by series"] == dict(by_series)
    assert tables["Participants by category"] == dict(by_category)
    assert figures["event_count"] == sum(events.values())
    assert figures["participant_count"] == sum(by_category.values()) > 0


def test_the_numbers_and_the_dashboard_count_the_published_events_alike(programme):
    with translation.override("en"):
        numbers = {table.title: rows(table) for table in event_figures()["event_tables"]}
        dashboard = {table.title: rows(table) for table in event_tables(Event.objects.published())}
    assert numbers["Published events by series"] == dashboard["Events by series"]
    assert numbers["Participants by series"] == dashboard["Participants by series"]
    assert numbers["Participants by category"] == dashboard["Participants by category"]


def test_events_without_participant_counts_are_counted_but_add_no_participants(asticude):
    make_event(asticude, "Quiet fair")
    figures = event_figures()
    assert figures["event_count"] == 1 and figures["participant_count"] == 0
    tables = {table.title: rows(table) for table in figures["event_tables"]}
    assert tables["Participants by series"] == {} and tables["Participants by category"] == {}


def test_the_event_figures_take_two_queries_whatever_the_number_of_events(programme):
    with CaptureQueriesContext(connection) as queries:
        event_figures()
    assert len(queries) == 2


def test_a_series_named_like_the_events_without_one_adds_to_them(asticude):
    named = EventSeries.objects.create(name="No series", slug="no-series", year=2026)
    loose = make_event(asticude, "Loose fair")
    in_series = make_event(asticude, "Fair in the series")
    in_series.series = named
    in_series.save()
    ParticipantCount.objects.create(event=loose, category=CATEGORIES[0], count=3)
    ParticipantCount.objects.create(event=in_series, category=CATEGORIES[0], count=4)
    with translation.override("en"):
        tables = {table.title: rows(table) for table in event_figures()["event_tables"]}
    assert tables["Published events by series"] == {"No series": 2}
    assert tables["Participants by series"] == {"No series": 7}
