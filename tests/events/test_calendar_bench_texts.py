"""The bench data store the VEVENTs of the events in the calendar feeds' window, in every
language, so that a timed feed reads them as production does once each event was served."""

import pytest

from events.calendar import build_calendar, feed
from events.models import Event, EventCalendarText
from perf import benchdata

pytestmark = pytest.mark.django_db


def test_the_bench_data_store_the_texts_of_the_events_of_the_feeds_in_four_languages():
    benchdata.generate(200, seed=3, report=lambda line: None)
    shown = Event.objects.published().for_calendar()
    assert shown.exists()
    stored = EventCalendarText.objects.all()
    assert stored.count() == 4 * shown.count()
    assert set(stored.values_list("language", flat=True)) == {"en", "fr", "ar", "es"}
    built = build_calendar(list(shown), lambda event: "http://x" + event.get_absolute_url(), "B")
    assert feed(shown, "http://x", "B") == built


def test_clearing_the_bench_data_deletes_their_stored_texts():
    benchdata.generate(200, report=lambda line: None)
    benchdata.clear()
    assert not EventCalendarText.objects.exists()
