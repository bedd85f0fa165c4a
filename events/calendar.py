"""iCalendar (RFC 5545) export of published events, with their time zone (TZID and a
VTIMEZONE), so that calendar applications show them at the right local time.

Two ways to the same bytes: build_calendar() has icalendar build the whole calendar (one
event's .ics, and the reference), and feed() joins each event's VEVENT as stored in
EventCalendarText, building (with icalendar, through the same _component()) only those not
stored yet or stale. tests/events/test_calendar_texts.py holds them equal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from importlib.metadata import version
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import FilteredRelation, Q
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.translation import get_language, override
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, EventCalendarText

PRODUCT_ID = "-//Nador partners' portal//Events//EN"
#: Where a stored URL line takes the request's scheme and host.
ORIGIN = "{origin}"
#: Raise it whenever _component() writes an event differently: every stored text goes stale.
TEXT_FORMAT = 1


def build_calendar(
    events: Iterable[Event], absolute_url, name: str, description: str = "", archive: str = ""
) -> bytes:
    """The events as an .ics file; ``absolute_url(event)`` gives each event's page. A feed
    says what it holds in its `description` (X-WR-CALDESC, and DESCRIPTION of RFC 7986)
    and gives the page of the older events, `archive`, as its URL."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = _calendar(name, description, archive)
    for event in events:
        calendar.add_component(_component(event, zone, absolute_url(event)))
    calendar.add_missing_timezones()
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


def feed(events, origin: str, name: str, description: str = "", archive: str = "") -> bytes:
    """What build_calendar() makes of `events` (a queryset, in its order) with each event's
    page on `origin` (scheme and host), in the active language, from the stored VEVENTs."""
    parts = _stored_parts(events, get_language())
    head = [fold(line) for line in _calendar(name, description, archive).content_lines() if line]
    body = [b"\r\n".join(head[:-1]), b"\r\n"]
    if parts:
        body.append(_vtimezone(settings.TIME_ZONE))
    for before_url, url_line, after_url in parts:
        url = fold(url_line.replace(ORIGIN, origin, 1))
        body += [before_url.encode(), url, b"\r\n", after_url.encode()]
    body += [head[-1], b"\r\n"]
    return b"".join(body)


def text_recipe() -> str:
    """What a stored VEVENT depends on besides its event and language: the code that writes
    it, the time zone, the site's script prefix (in the URL) and the libraries that write the
    lines and name the countries."""
    return f"{TEXT_FORMAT}|{settings.TIME_ZONE}|{get_script_prefix()}|{_versions()}"


def store_texts(events: Iterable[Event], language: str) -> dict[int, tuple[str, str, str]]:
    """Build and store the VEVENTs of `events` in `language`; return them by event."""
    zone, recipe = ZoneInfo(settings.TIME_ZONE), text_recipe()
    with override(language):  # the event's URL and its country's name
        texts = [_text(event, zone, language, recipe) for event in events]
    EventCalendarText.objects.bulk_create(
        texts,
        update_conflicts=True,
        unique_fields=["event", "language"],
        update_fields=["stamp", "recipe", "before_url", "url_line", "after_url"],
    )
    return {text.event_id: (text.before_url, text.url_line, text.after_url) for text in texts}


def _stored_parts(events, language: str) -> list[tuple[str, str, str]]:
    """Each event's stored VEVENT; those missing or stale are built and stored first."""
    current = Q(calendar_texts__language=language)
    rows = list(
        events.annotate(text=FilteredRelation("calendar_texts", condition=current)).values_list(
            "pk",
            "updated_at",
            "text__stamp",
            "text__recipe",
            "text__before_url",
            "text__url_line",
            "text__after_url",
        )
    )
    recipe = text_recipe()
    stale = [row[0] for row in rows if row[2] != row[1] or row[3] != recipe]
    built = store_texts(Event.objects.filter(pk__in=stale), language) if stale else {}
    return [built[row[0]] if row[0] in built else row[4:] for row in rows]


def _text(event: Event, zone: ZoneInfo, language: str, recipe: str) -> EventCalendarText:
    lines = [
        line
        for line in _component(event, zone, ORIGIN + event.get_absolute_url()).content_lines()
        if line
    ]
    at = next(number for number, line in enumerate(lines) if line.startswith("URL:"))
    return EventCalendarText(
        event=event,
        language=language,
        stamp=event.updated_at,
        recipe=recipe,
        before_url=_folded(lines[:at]),
        url_line=lines[at],
        after_url=_folded(lines[at + 1 :]),
    )


def _folded(lines: list[str]) -> str:
    return b"".join(fold(line) + b"\r\n" for line in lines).decode()


def _calendar(name: str, description: str, archive: str) -> Calendar:
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
    return calendar


@cache
def _vtimezone(name: str) -> bytes:
    """What add_missing_timezones() adds to a calendar of events in the zone (nothing for
    UTC): it depends on the zone alone (a fixed span, 1970 to 2038), so it is made once."""
    calendar = Calendar()
    event = CalendarEvent()
    event.add("dtstart", datetime(2000, 1, 1, tzinfo=ZoneInfo(name)))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    lines = [line for zone in calendar.timezones for line in zone.content_lines() if line]
    return b"".join(fold(line) + b"\r\n" for line in lines)


@cache
def _versions() -> str:
    return f"icalendar {version('icalendar')}, django-countries {version('django-countries')}"


def fold(line: str, limit: int = 75) -> bytes:
    """A content line folded as icalendar folds it (lines of at most 74 bytes, a multi-byte
    character never cut, a backslash or caret never left at the end of a line), encoded.

    What Calendar.to_ical() does, but a slice of bytes at a time rather than a character at
    a time: its folding was a third of a cold calendar's time. tests/events hold them equal."""
    data = line.encode()
    if len(data) < limit:
        return data
    parts, start, size = [], 0, len(data)
    while size - start >= limit:
        end = start + limit - 1
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1  # an escape stays with what it escapes
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _component(event: Event, zone: ZoneInfo, url: str) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", f"event-{event.pk}@nador-portal")
    # A calendar without METHOD (a published feed, RFC 5545 3.8.7.2): DTSTAMP is when the
    # event's information was last revised, not when the file was written.
    component.add("dtstamp", event.updated_at or timezone.now())
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
