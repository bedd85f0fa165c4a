"""Public event pages and calendars: only published events, anywhere."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.calendar import build_calendar
from events.forms import RegistrationForm
from events.models import Event
from practices.languages import localise
from practices.models import Practice
from stakeholders.models import Stakeholder

CALENDAR_CACHE_SECONDS = 24 * 3600


def _by_series(events) -> list[dict]:
    """Events grouped by their series, in the order the first event of each appears."""
    groups: dict[int | None, dict] = {}
    for event in events:
        group = groups.setdefault(event.series_id, {"series": event.series, "events": []})
        group["events"].append(event)
    return list(groups.values())


def event_list(request: HttpRequest) -> HttpResponse:
    published = Event.objects.published().select_related("series")
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": _by_series(published.upcoming()),
            "past": _by_series(published.past()),
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render_event(request, slug)


def render_event(
    request: HttpRequest, slug: str, registration_form=None, status: int = 200
) -> HttpResponse:
    """The published event's page; with the registration form as sent when it was refused."""
    event = get_object_or_404(
        Event.objects.published()
        .select_related("series")
        .prefetch_related(
            Prefetch("organisers", queryset=Stakeholder.objects.order_by("name")),
            Prefetch("practices", queryset=Practice.objects.published().order_by("title")),
            "participant_counts",
        ),
        slug=slug,
    )
    localise(event.practices.all(), get_language())
    context = {"event": event, "registration_form": registration_form or RegistrationForm()}
    return render(request, "events/event_detail.html", context, status=status)


def _calendar_body(request: HttpRequest, events, name: str) -> bytes:
    return build_calendar(
        events, lambda event: request.build_absolute_uri(event.get_absolute_url()), name
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published().for_calendar()
    name = _("Events of the Nador partners' portal")
    # Calendar applications poll this feed, and icalendar takes seconds for thousands of
    # events: the body is kept in the shared cache under a key made of what it shows. Every
    # save of an event moves its updated_at and publishing, archiving or the window moving
    # on change the count, so a changed calendar gets a new key: nothing stale is served,
    # whichever process or server answers.
    state = events.aggregate(count=Count("pk"), changed=Max("updated_at"))
    version = f"{get_language()}|{request.scheme}|{request.get_host()}|{state}"
    key = "calendar-ics:" + hashlib.sha256(version.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _calendar_body(request, events, name)
        cache.set(key, body, CALENDAR_CACHE_SECONDS)
    return _ics_response(body, "nador-events.ics")


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return _ics_response(_calendar_body(request, [event], event.title), f"{event.slug}.ics")
