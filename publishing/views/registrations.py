"""Who registered for an event, for its organisers and the coordinators: the list and its
download as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from events.models import Registration
from publishing.access import can_edit, get_event_registrations_for_user
from reports.exports import download

EXPORT_FORMATS = ("csv", "xlsx")


@require_safe
@login_required
def registration_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_event_registrations_for_user(request, slug)
    registrations = event.registrations.all()
    context = {
        "event": event,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
        "can_edit": can_edit(request.user, event),
        "formats": EXPORT_FORMATS,
    }
    return render(request, "workspace/registrations.html", context)


@require_safe
@login_required
def registration_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    event = get_event_registrations_for_user(request, slug)
    headers = [
        _("Name"),
        _("E-mail"),
        _("Organisation"),
        _("Access needs"),
        _("Status"),
        _("Registered at"),
    ]
    rows = (
        [
            registration.name,
            registration.email,
            registration.organisation,
            registration.access_needs,
            registration.get_status_display(),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for registration in event.registrations.all()
    )
    name = f"registrations_{event.slug}_{timezone.localdate().isoformat()}.{fmt}"
    return download(headers, rows, fmt, name, sheet_title=_("Registrations"))
