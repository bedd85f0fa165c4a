"""Public events: upcoming and past grouped by series, event pages, iCalendar files."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from events.models import EventSeries
from tests.test_public_statuses import make_event

CASABLANCA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def events(asticude):
    week = EventSeries.objects.create(name="Migration Week", slug="migration-week", year=2026)
    upcoming = make_event(asticude, "Coming debate", days=5)
    upcoming.series = week
    upcoming.save()
    loose = make_event(asticude, "Coming concert", days=8)
    past = make_event(asticude, "Old training", days=-40)
    past.series = week
    past.save()
    return {"upcoming": upcoming, "loose": loose, "past": past, "series": week}


def test_the_event_list_separates_upcoming_and_past_grouped_by_series(client, events):
    response = client.get("/en/events/")
    upcoming = [
        (group["series"] and group["series"].name, [e.title for e in group["events"]])
        for group in response.context["upcoming"]
    ]
    assert upcoming == [("Migration Week", ["Coming debate"]), (None, ["Coming concert"])]
    past = [[e.title for e in group["events"]] for group in response.context["past"]]
    assert past == [["Old training"]]
    assert response.content.decode().count("<h1") == 1


def test_an_event_page_shows_its_time_place_and_organisers(client, events):
    response = client.get("/en/events/coming-debate/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Coming debate" in content and "Nador" in content and "ASTICUDE" in content
    assert "/en/events/coming-debate.ics" in content


def test_the_calendar_parses_back_with_time_zones(client, events):
    response = client.get("/en/events/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    found = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {"Coming debate", "Coming concert", "Old training"}
    start = found["Coming debate"].decoded("dtstart")
    assert start == events["upcoming"].starts_at.replace(microsecond=0)
    assert found["Coming debate"]["dtstart"].params["TZID"] == "Africa/Casablanca"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Africa/Casablanca"]
    assert str(found["Coming debate"]["url"]).endswith("/en/events/coming-debate/")


def test_one_event_calendar_holds_that_event_at_its_local_time(client, asticude):
    event = make_event(asticude, "Evening debate")
    event.starts_at = datetime(2030, 12, 18, 17, tzinfo=CASABLANCA)
    event.ends_at = event.starts_at + timedelta(hours=3)
    event.save()
    calendar = Calendar.from_ical(client.get("/en/events/evening-debate.ics").content)
    (component,) = calendar.walk("VEVENT")
    assert component.to_ical().decode().count("DTSTART;TZID=Africa/Casablanca:20301218T170000")
    assert component.decoded("dtend") - component.decoded("dtstart") == timedelta(hours=3)


def test_unknown_events_are_not_found(client, db):
    assert client.get("/en/events/nothing/").status_code == 404
    assert client.get("/en/events/nothing.ics").status_code == 404


def test_the_home_page_shows_upcoming_events_only(client, events):
    content = client.get("/en/").content.decode()
    assert "Coming debate" in content and "Old training" not in content
    assert timezone.now()  # the list is computed against the current time


def test_event_pages_keep_a_constant_number_of_queries(
    client, events, asticude, django_assert_max_num_queries
):
    for number in range(12):
        make_event(asticude, f"Extra event {number}", days=number - 6)
    # The archive's count and page, the count and page of the events to come.
    with django_assert_max_num_queries(4):
        assert client.get("/en/events/").status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get("/en/events/coming-debate/").status_code == 200
    # Built: the events, their stored texts and the texts written; then the texts alone.
    with django_assert_max_num_queries(3):
        assert client.get("/en/events/calendar.ics").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/en/events/calendar.ics").status_code == 200


def test_the_calendar_leaves_out_events_over_a_year_old(client, asticude, settings):
    settings.CALENDAR_PAST_DAYS = 365
    make_event(asticude, "Fair of last year", days=-300)
    make_event(asticude, "Ancient fair", days=-400)
    calendar = Calendar.from_ical(client.get("/en/events/calendar.ics").content)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert titles == {"Fair of last year"}


def test_each_event_of_the_calendar_is_built_once_then_read_from_its_stored_text(
    client, events, monkeypatch
):
    from events import calendar

    built = []
    real = calendar._component
    monkeypatch.setattr(calendar, "_component", lambda *a: built.append(1) or real(*a))
    first = client.get("/en/events/calendar.ics").content
    second = client.get("/en/events/calendar.ics").content
    assert first == second
    assert len(built) == 3


def test_the_cached_calendar_follows_every_change_of_its_events(client, events, coordinator):
    client.get("/en/events/calendar.ics")
    debate = events["upcoming"]
    debate.title = "Renamed debate"
    debate.save()
    summaries = {
        str(e["summary"])
        for e in Calendar.from_ical(client.get("/en/events/calendar.ics").content).walk("VEVENT")
    }
    assert "Renamed debate" in summaries and "Coming debate" not in summaries
    events["loose"].archive(by=coordinator)
    summaries = {
        str(e["summary"])
        for e in Calendar.from_ical(client.get("/en/events/calendar.ics").content).walk("VEVENT")
    }
    assert summaries == {"Renamed debate", "Old training"}


def test_each_language_gets_its_own_calendar(client, events):
    english = client.get("/en/events/calendar.ics").content
    french = client.get("/fr/events/calendar.ics").content
    assert b"/fr/events/coming-debate/" in french
    assert b"/fr/events/" not in english


def test_the_events_to_come_are_shown_a_page_at_a_time_soonest_first(client, asticude, monkeypatch):
    monkeypatch.setattr("events.views.UPCOMING_PER_PAGE", 2)
    for days in (30, 10, 20):
        make_event(asticude, f"In {days} days", days=days)
    make_event(asticude, "Long ago", days=-40)

    def upcoming(query: str = "") -> list[str]:
        response = client.get(f"/en/events/{query}")
        assert response.status_code == 200
        return [e.title for group in response.context["upcoming"] for e in group["events"]]

    assert upcoming() == ["In 10 days", "In 20 days"]
    assert upcoming("?upcoming=2") == ["In 30 days"]
    assert upcoming("?upcoming=nonsense") == ["In 10 days", "In 20 days"]
    content = client.get("/en/events/").content.decode()
    assert 'href="?upcoming=2"' in content
    assert 'aria-label="Pages of upcoming events"' in content
    assert "Long ago" in content  # the archive's first page is under the events to come
