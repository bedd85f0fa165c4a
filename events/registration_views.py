"""Registering for a published event, and cancelling by the link of the confirmation e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import emails
from events.forms import RegistrationForm
from events.models import Event, Registration, RegistrationRefused
from events.views import render_event
from nador_portal.client import client_ip
from nador_portal.throttle import Limit
from publishing.workflow import Status

HOUR = 60 * 60


def registration_limit() -> Limit:
    return Limit("registration-address", settings.REGISTRATION_ADDRESS_LIMIT, HOUR)


@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    form = RegistrationForm(request.POST)
    limit = registration_limit()
    if limit.hit(client_ip(request)) > limit.limit:
        form.is_valid()  # the values typed are shown again, with the reason
        message = _(
            "Too many registrations from your connection: please try again in %(minutes)d minutes."
        )
        form.add_error(None, message % {"minutes": limit.retry_after_minutes()})
        response = render_event(request, slug, form, status=429)
        response["Retry-After"] = str(limit.retry_after())
        return response
    if not event.accepts_registrations():
        form.is_valid()
        form.add_error(None, _("Registration for this event is closed."))
        return render_event(request, slug, form, status=400)
    if not form.is_valid():
        return render_event(request, slug, form, status=400)
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        registration = Registration.objects.register(event, language=get_language(), **fields)
    except RegistrationRefused as refusal:
        form.add_error(None, refusal.message)
        return render_event(request, slug, form, status=400)
    emails.send_registered(request, registration)
    messages.success(request, _registered_message(registration))
    return redirect(f"{event.get_absolute_url()}#registration")


def _registered_message(registration: Registration) -> str:
    if registration.status == Registration.Status.WAITING:
        return _(
            "The event is full: you are on the waiting list. If a place frees up, it goes to "
            "the first person on the list and we will tell you by e-mail."
        )
    return _("You are registered. A confirmation is on its way to your e-mail address.")


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_registration(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a mail client opening the link must not cancel); POST cancels."""
    registrations = Registration.objects.select_related("event")
    registration = get_object_or_404(registrations, cancel_token=token)
    event = registration.event
    if request.method != "POST":
        return render(request, "events/registration_cancel.html", {"registration": registration})
    for promoted in registration.cancel():
        emails.send_promoted(request, promoted)
    messages.success(request, _("Your registration is cancelled."))
    if event.status == Status.PUBLISHED:
        return redirect(event.get_absolute_url())
    return redirect("events:list")
