"""Public event pages and calendars: only published events, anywhere."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from events.calendar import build_calendar
from events.models import Event
from practices.models import Practice
from stakeholders.models import Stakeholder


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
    return render(request, "events/event_detail.html", {"event": event})


def _ics(request: HttpRequest, events, name: str, filename: str) -> HttpResponse:
    body = build_calendar(
        events, lambda event: request.build_absolute_uri(event.get_absolute_url()), name
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published().for_calendar()
    return _ics(request, events, _("Events of the Nador partners' portal"), "nador-events.ics")


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return _ics(request, [event], event.title, f"{event.slug}.ics")
