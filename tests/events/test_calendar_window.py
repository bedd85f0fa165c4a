"""The calendar feeds hold the upcoming events and a recent window (CALENDAR_PAST_DAYS),
one feed for all events and one per series, each pointing to the events list, whose past
events go page by page."""

import pytest
from icalendar import Calendar

from events.models import EventSeries
from publishing.workflow import Status
from tests.test_public_statuses import make_event


def summaries(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def week(asticude):
    series = EventSeries.objects.create(name="Migration Week", slug="migration-week", year=2026)
    for title, days in (("Week debate", 5), ("Week opening", -10), ("Week of old", -200)):
        event = make_event(asticude, title, days=days)
        event.series = series
        event.save()
    return series


def test_the_calendar_holds_upcoming_and_recent_events_not_old_ones(client, asticude):
    make_event(asticude, "Coming fair", days=12)
    make_event(asticude, "Recent fair", days=-30)
    make_event(asticude, "Old fair", days=-120)
    assert summaries(client.get("/en/events/calendar.ics")) == {"Coming fair", "Recent fair"}


def test_the_recent_window_is_a_setting(client, asticude, settings):
    settings.CALENDAR_PAST_DAYS = 7
    make_event(asticude, "Coming fair", days=12)
    make_event(asticude, "Recent fair", days=-30)
    assert summaries(client.get("/en/events/calendar.ics")) == {"Coming fair"}


def test_a_series_calendar_holds_only_the_recent_and_upcoming_events_of_its_series(
    client, asticude, week
):
    make_event(asticude, "Loose concert", days=3)
    found = summaries(client.get("/en/events/series/migration-week.ics"))
    assert found == {"Week debate", "Week opening"}
    assert "Loose concert" in summaries(client.get("/en/events/calendar.ics"))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.ARCHIVED])
def test_an_unpublished_event_is_in_no_calendar(client, asticude, week, status):
    hidden = make_event(asticude, "Secret meeting", status=status, days=2)
    hidden.series = week
    hidden.save()
    assert "Secret meeting" not in summaries(client.get("/en/events/calendar.ics"))
    assert "Secret meeting" not in summaries(client.get("/en/events/series/migration-week.ics"))


def test_the_calendars_say_where_the_older_events_are(client, week):
    for path in ("/fr/events/calendar.ics", "/fr/events/series/migration-week.ics"):
        calendar = Calendar.from_ical(client.get(path).content)
        assert str(calendar["url"]) == "http://testserver/fr/events/"
        assert "http://testserver/fr/events/" in str(calendar["x-wr-caldesc"])
        assert "90" in str(calendar["x-wr-caldesc"])


def test_a_series_calendar_is_named_after_its_series(client, week):
    calendar = Calendar.from_ical(client.get("/en/events/series/migration-week.ics").content)
    assert str(calendar["x-wr-calname"]) == "Migration Week"


def test_an_unknown_series_has_no_calendar(client, db):
    assert client.get("/en/events/series/no-such-week.ics").status_code == 404


def test_a_series_calendar_is_linked_from_the_events_list_and_its_events(client, week):
    link = 'href="/en/events/series/migration-week.ics"'
    assert link in client.get("/en/events/").content.decode()
    assert link in client.get("/en/events/week-debate/").content.decode()


def test_the_events_list_keeps_every_past_event_page_by_page(
    client, asticude, django_assert_max_num_queries
):
    make_event(asticude, "Coming fair", days=3)
    for number in range(35):
        make_event(asticude, f"Past fair {number}", days=-1 - number * 20)
    with django_assert_max_num_queries(4):  # each list's count and page
        first = client.get("/en/events/")
    past = [event.title for group in first.context["past"] for event in group["events"]]
    assert past == [f"Past fair {number}" for number in range(30)]
    assert first.context["upcoming"] and 'href="?page=2"' in first.content.decode()
    second = client.get("/en/events/?page=2")
    past = [event.title for group in second.context["past"] for event in group["events"]]
    assert past == [f"Past fair {number}" for number in range(30, 35)]
    assert second.context["upcoming"] is None
    assert "Coming fair" not in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "²"])
def test_a_malformed_or_far_page_of_events_is_still_a_page(client, asticude, page):
    make_event(asticude, "Past fair", days=-3)
    response = client.get("/en/events/", {"page": page})
    assert response.status_code == 200
    assert "Past fair" in response.content.decode()
