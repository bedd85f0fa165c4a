"""The calendar feeds join each event's VEVENT as stored (EventCalendarText), building only
those missing or stale: the bytes are build_calendar()'s, icalendar's whole calendar, in
every language and on every host, and an edit of an event is in the next feed."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from icalendar import Calendar

from events import calendar
from events.calendar import build_calendar, feed
from events.models import Event, EventCalendarText, EventSeries
from tests.test_public_statuses import make_event

LANGUAGES = ["en", "fr", "ar", "es"]
# Characters that icalendar escapes (, ; \ and new lines), folds around (multi-byte
# characters, long words) or leaves alone; the lengths put folds at every place.
ALPHABET = 'ab ,;:\\"\nNé€عب中\u00a0^'
ORIGINS = ["http://testserver", "https://" + "long-host-name." * 4 + "example.org:8443"]


def odd_text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(low, high)))


@pytest.fixture
def odd_events(asticude):
    """Published events whose texts have everything icalendar escapes or folds."""
    rng = random.Random(17)
    series = EventSeries.objects.create(name="Semaine, migration; 2026", slug="semaine")
    for number in range(12):
        event = make_event(asticude, f"Odd event {number}", days=rng.randint(-60, 60))
        event.title = odd_text(rng, 1, 120) or "x"
        event.description = odd_text(rng, 0, 400)
        event.venue = odd_text(rng, 0, 40)
        event.city = odd_text(rng, 0, 30)
        event.country = rng.choice(["MA", "ES", "SN", "CI"])
        event.series = series if number % 2 else None
        event.save()
    return series


def reference(events, origin: str, *header) -> bytes:
    """What icalendar makes of the whole calendar, each event built anew."""
    return build_calendar(list(events), lambda event: origin + event.get_absolute_url(), *header)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("origin", ORIGINS)
def test_a_feed_from_stored_texts_is_the_calendar_icalendar_builds(odd_events, language, origin):
    events = Event.objects.published().for_calendar()
    header = ("Événements, «Nador»; portal", "Upcoming; and recent, events", origin + "/ev/")
    with translation.override(language):
        assert feed(events, origin, *header) == reference(events, origin, *header)
        assert feed(events, origin, *header) == reference(events, origin, *header)  # stored
    assert EventCalendarText.objects.filter(language=language).count() == events.count()


def test_an_empty_feed_is_the_calendar_icalendar_builds(db):
    events = Event.objects.published().for_calendar()
    assert feed(events, ORIGINS[0], "Events") == reference(events, ORIGINS[0], "Events")
    assert b"VTIMEZONE" not in feed(events, ORIGINS[0], "Events")


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/New_York"])
def test_a_feed_in_another_time_zone_is_the_calendar_icalendar_builds(odd_events, settings, zone):
    settings.TIME_ZONE = zone
    events = Event.objects.published().for_calendar()
    assert feed(events, ORIGINS[0], "Events") == reference(events, ORIGINS[0], "Events")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_feeds_pages_are_the_reference_calendars(client, odd_events, language):
    with translation.override(language):
        events = Event.objects.published().for_calendar()
        whole = reference(events, "http://testserver", *feed_header(client, language))
        series = reference(
            events.filter(series=odd_events),
            "http://testserver",
            *feed_header(client, language, odd_events),
        )
    assert client.get(f"/{language}/events/calendar.ics").content == whole
    assert client.get(f"/{language}/events/series/semaine.ics").content == series


def feed_header(client, language: str, series=None) -> tuple[str, str, str]:
    """The name, description and archive the page's calendar carries, read back."""
    path = f"/{language}/events/series/{series.slug}.ics" if series else None
    parsed = Calendar.from_ical(client.get(path or f"/{language}/events/calendar.ics").content)
    return str(parsed["x-wr-calname"]), str(parsed["x-wr-caldesc"]), str(parsed["url"])


def test_each_host_gets_its_own_absolute_addresses_from_the_same_stored_texts(
    client, asticude, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.org"]
    make_event(asticude, "Coming fair", days=4)
    here = client.get("/en/events/calendar.ics").content
    there = client.get("/en/events/calendar.ics", HTTP_HOST="portal.example.org").content
    assert b"URL:http://testserver/en/events/coming-fair/" in here
    assert b"URL:http://portal.example.org/en/events/coming-fair/" in there
    assert EventCalendarText.objects.count() == 1


def test_each_language_stores_its_own_text_with_its_country_names_and_addresses(client, asticude):
    make_event(asticude, "Coming fair", days=4)
    french = client.get("/fr/events/calendar.ics").content.decode()
    english = client.get("/en/events/calendar.ics").content.decode()
    assert "LOCATION:Nador\\, Maroc" in french and "/fr/events/coming-fair/" in french
    assert "LOCATION:Nador\\, Morocco" in english and "/en/events/coming-fair/" in english
    languages = EventCalendarText.objects.values_list("language", flat=True)
    assert sorted(languages) == ["en", "fr"]


def summaries(client) -> set[str]:
    content = client.get("/en/events/calendar.ics").content
    return {str(event["summary"]) for event in Calendar.from_ical(content).walk("VEVENT")}


def test_an_edited_event_is_in_the_next_feed_and_its_stored_text_follows(client, asticude):
    fair = make_event(asticude, "Coming fair", days=4)
    assert summaries(client) == {"Coming fair"}
    fair.title = "Renamed fair"
    fair.country = "ES"
    fair.save()
    content = client.get("/en/events/calendar.ics").content.decode()
    assert "SUMMARY:Renamed fair" in content and "Nador\\, Spain" in content
    assert "Coming fair" not in content
    stored = EventCalendarText.objects.get(event=fair, language="en")
    assert stored.stamp == Event.objects.get(pk=fair.pk).updated_at
    assert "SUMMARY:Renamed fair" in stored.before_url


def test_an_event_changed_without_save_is_rebuilt_once_its_update_time_moves(client, asticude):
    fair = make_event(asticude, "Coming fair", days=4)
    summaries(client)
    Event.objects.filter(pk=fair.pk).update(title="Loaded fair", updated_at=timezone.now())
    assert summaries(client) == {"Loaded fair"}


def test_a_stored_text_of_an_older_format_is_rebuilt(client, asticude, monkeypatch):
    make_event(asticude, "Coming fair", days=4)
    summaries(client)
    EventCalendarText.objects.update(before_url="BEGIN:VEVENT\r\nSUMMARY:Stale\r\n")
    monkeypatch.setattr(calendar, "TEXT_FORMAT", calendar.TEXT_FORMAT + 1)
    assert summaries(client) == {"Coming fair"}
    assert EventCalendarText.objects.get().recipe == calendar.text_recipe()


def test_a_stored_text_made_for_another_time_zone_is_rebuilt(client, asticude, settings):
    make_event(asticude, "Coming fair", days=4)
    summaries(client)
    settings.TIME_ZONE = "Asia/Kolkata"
    content = client.get("/en/events/calendar.ics").content.decode()
    assert "TZID=Asia/Kolkata" in content and "Africa/Casablanca" not in content


def test_dtstamp_is_when_the_event_was_last_revised(client, asticude):
    fair = make_event(asticude, "Coming fair", days=4)
    fair.refresh_from_db()
    content = Calendar.from_ical(client.get("/en/events/calendar.ics").content)
    (event,) = content.walk("VEVENT")
    assert event["dtstamp"].dt == fair.updated_at.replace(microsecond=0)


def test_an_unpublished_or_deleted_event_leaves_the_feed(client, asticude, coordinator):
    fair = make_event(asticude, "Coming fair", days=4)
    gone = make_event(asticude, "Gone fair", days=5)
    assert summaries(client) == {"Coming fair", "Gone fair"}
    fair.archive(by=coordinator)
    gone.delete()
    assert summaries(client) == set()
    assert not EventCalendarText.objects.filter(event=gone.pk).exists()


def test_a_stored_feed_is_one_query_whatever_its_length(client, asticude):
    for number in range(30):
        make_event(asticude, f"Fair {number}", days=number - 20)
    client.get("/en/events/calendar.ics")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/events/calendar.ics").status_code == 200
    assert len(queries) == 1


def test_only_the_missing_texts_are_built(client, asticude, monkeypatch):
    for number in range(5):
        make_event(asticude, f"Fair {number}", days=number + 1)
    client.get("/en/events/calendar.ics")
    Event.objects.filter(title="Fair 2").update(updated_at=timezone.now() + timedelta(seconds=1))
    built = []
    real = calendar._component
    monkeypatch.setattr(calendar, "_component", lambda *a: built.append(a[0].title) or real(*a))
    client.get("/en/events/calendar.ics")
    assert built == ["Fair 2"]


@pytest.mark.parametrize("path", ["/en/events/calendar.ics", "/en/events/series/semaine.ics"])
def test_a_feed_answers_get_and_head_and_refuses_a_post_storing_nothing(client, odd_events, path):
    assert client.post(path).status_code == 405
    assert not EventCalendarText.objects.exists()
    assert client.head(path).status_code == 200
    assert client.get(path).status_code == 200
