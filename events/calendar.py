"""iCalendar (RFC 5545) export of published events, with their time zone (TZID and a
VTIMEZONE), so that calendar applications show them at the right local time."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event

PRODUCT_ID = "-//Nador partners' portal//Events//EN"


def build_calendar(
    events: Iterable[Event], absolute_url, name: str, description: str = "", archive: str = ""
) -> bytes:
    """The events as an .ics file; ``absolute_url(event)`` gives each event's page. A feed
    says what it holds in its `description` (X-WR-CALDESC, and DESCRIPTION of RFC 7986)
    and gives the page of the older events, `archive`, as its URL."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if description:
        calendar.add("x-wr-caldesc", description)
        calendar.add("description", description)
    if archive:
        calendar.add("url", archive)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_component(event, zone, stamp, absolute_url(event)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _component(event: Event, zone: ZoneInfo, stamp, url: str) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", f"event-{event.pk}@nador-portal")
    component.add("dtstamp", stamp)
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", event.title)
    component.add("url", url)
    if event.description:
        component.add("description", event.description)
    place = ", ".join(part for part in (event.venue, event.city, str(event.country.name)) if part)
    if place:
        component.add("location", place)
    return component
