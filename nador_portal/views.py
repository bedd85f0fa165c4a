"""Views of the whole project: the health check, the icon, the sign-in lockout page and
unlocking."""

import logging
from datetime import date

from axes.models import AccessAttempt
from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from nador_portal.signin import sign_in_address_limit
from publishing.access import coordinator_required

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.error("health check failed: database unavailable", exc_info=True)
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to (a feed reader, an opened
    PDF): send them to the static icon, which carries a hashed name and a long cache."""
    return redirect(static("img/favicon.ico"))


@never_cache
def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page django-axes shows to a locked-out sign-in (AXES_LOCKOUT_CALLABLE), also for an
    address over its limit across user names (nador_portal/signin.py)."""
    if getattr(request, "locked_out_address", False):
        limit = sign_in_address_limit()
        context = {"address_limit": limit.limit, "retry_minutes": limit.retry_after_minutes()}
        response = render(request, "registration/locked_out.html", context, status=429)
        response["Retry-After"] = str(limit.retry_after())
        return response
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class UnlockForm(forms.Form):
    username = forms.CharField(max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)


def current_lockouts():
    """Username and address pairs locked out now by django-axes."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def locked_sign_ins(request: HttpRequest) -> HttpResponse:
    """Coordinators see the locked sign-ins and unlock one before its 15 minutes are over."""
    if request.method == "POST":
        form = UnlockForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["username"]
            reset(username=username, ip=form.cleaned_data["ip_address"] or None)
            logger.info("sign-in unlocked", extra={"unlocked": username, "by": request.user.pk})
            messages.success(request, _("%(username)s can sign in again.") % {"username": username})
            return redirect("locked_sign_ins")
        messages.error(request, _("This sign-in could not be unlocked: the form was not valid."))
    return render(request, "nador_portal/locked_sign_ins.html", {"lockouts": current_lockouts()})


# When the statement was last reviewed: change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 12, 5)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "statement_date": ACCESSIBILITY_STATEMENT_DATE,
    }
    return render(request, "nador_portal/accessibility.html", context)
