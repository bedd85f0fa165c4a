"""The e-mails of event registrations, each in the language of the page the person registered
on, with the event as an iCalendar file and the link that cancels the registration."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from events.calendar import build_calendar
from events.models import Registration


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _send(request: HttpRequest, template: str, registration: Registration) -> int:
    event = registration.event
    with translation.override(registration.language):
        event_url = _absolute(request, event.get_absolute_url())
        token = registration.cancel_token
        cancel_path = reverse("events:cancel_registration", kwargs={"token": token})
        context = {
            "registration": registration,
            "event": event,
            "event_url": event_url,
            "cancel_url": _absolute(request, cancel_path),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string(f"emails/registration_{template}_subject.txt", context)
        body = render_to_string(f"emails/registration_{template}_body.txt", context)
        calendar = build_calendar([event], lambda _event: event_url, event.title)
    message = EmailMessage(" ".join(subject.split()), body, None, [registration.email])
    message.attach(f"{event.slug}.ics", calendar, "text/calendar; charset=utf-8")
    return message.send()


def send_registered(request: HttpRequest, registration: Registration) -> int:
    """To the person who registered: a place, or a place on the waiting list."""
    return _send(request, "registered", registration)


def send_promoted(request: HttpRequest, registration: Registration) -> int:
    """To the first on the waiting list: someone cancelled and the place is theirs."""
    return _send(request, "promoted", registration)
