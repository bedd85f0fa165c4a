"""Public event pages and calendars: only published events, anywhere."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.calendar import build_calendar, feed
from events.forms import RegistrationForm
from events.models import Event, EventSeries
from practices.languages import localise
from practices.models import Practice
from stakeholders.models import Stakeholder

PAST_PER_PAGE = 30
UPCOMING_PER_PAGE = 40


def _by_series(events) -> list[dict]:
    """Events grouped by their series, in the order the first event of each appears."""
    groups: dict[int | None, dict] = {}
    for event in events:
        group = groups.setdefault(event.series_id, {"series": event.series, "events": []})
        group["events"].append(event)
    return list(groups.values())


def event_list(request: HttpRequest) -> HttpResponse:
    """The events to come, soonest first, then the past ones, newest first: the archive the
    calendar feeds point to (they hold only the recent past). Each a page at a time
    (`?upcoming=` and `?page=`): a busy programme plans hundreds of events ahead."""
    published = Event.objects.published().select_related("series")
    past = Paginator(published.past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "past": _by_series(past.object_list),
        "page": past,
        "page_range": past.paginator.get_elided_page_range(past.number, on_ends=1),
        "page_prefix": "?",
        "past_days": settings.CALENDAR_PAST_DAYS,
        "upcoming": None,
    }
    # Every page of the archive would repeat them: its first page only.
    if past.number == 1:
        upcoming = Paginator(published.upcoming(), UPCOMING_PER_PAGE).get_page(
            request.GET.get("upcoming")
        )
        context |= {
            "upcoming": _by_series(upcoming.object_list),
            "upcoming_page": upcoming,
            "upcoming_range": upcoming.paginator.get_elided_page_range(upcoming.number, on_ends=1),
        }
    return render(request, "events/event_list.html", context)


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


def _calendar_body(request: HttpRequest, events, name: str, *archive) -> bytes:
    return build_calendar(
        events, lambda event: request.build_absolute_uri(event.get_absolute_url()), name, *archive
    )


def _archive(request: HttpRequest) -> tuple[str, str]:
    """A feed's description, saying what it holds and where the older events are, and the
    address of that archive (the events list) for the feed's URL property."""
    url = request.build_absolute_uri(reverse("events:list"))
    description = _(
        "Upcoming events and those of the last %(days)s days. Older events: %(url)s"
    ) % {"days": settings.CALENDAR_PAST_DAYS, "url": url}
    return description, url


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def calendar_ics(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published().for_calendar()
    name = _("Events of the Nador partners' portal")
    return _ics_response(_feed(request, events, name), "nador-events.ics")


@require_safe
def series_calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The calendar of one series of events (a Migration Week), as bounded as the whole."""
    series = get_object_or_404(EventSeries, slug=slug)
    events = Event.objects.published().for_calendar().filter(series=series)
    return _ics_response(_feed(request, events, series.name), f"{series.slug}.ics")


def _feed(request: HttpRequest, events, name: str) -> bytes:
    # A feed may store texts it built: GET and HEAD only, like any page that writes nothing
    # a visitor asked for.
    # Calendar applications poll the feeds, and icalendar takes a while for hundreds of
    # events: each event's VEVENT is stored once built (EventCalendarText), and a feed is one
    # query joining them. A whole feed kept in the cache cost more to write (half a megabyte
    # into the database cache) than this costs to read, so none is kept.
    origin = request.build_absolute_uri("/").removesuffix("/")
    return feed(events, origin, name, *_archive(request))


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return _ics_response(_calendar_body(request, [event], event.title), f"{event.slug}.ics")
