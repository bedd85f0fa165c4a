"""The second factor's pages: the step after the password, setting up an app, recovery codes,
turning it off (partners), and coordinators resetting someone's (a lost phone)."""

from __future__ import annotations

import logging

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from publishing import two_factor
from publishing.access import coordinator_required

logger = logging.getLogger(__name__)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return reverse(name) + (f"?{urlencode({'next': target})}" if target else "")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: a code of the app, or a recovery code."""
    if not two_factor.needs_verification(request):
        return redirect(_next_url(request))
    if not two_factor.has_second_factor(request.user):
        return redirect(_with_next("two_factor_setup", request))
    form = two_factor.VerifyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        request.session.cycle_key()  # a new session id for the higher privilege
        request.session.pop(two_factor.PENDING_SESSION_KEY, None)
        if form.used_recovery_code:
            left = two_factor.recovery_codes_left(request.user)
            logger.info("recovery code used", extra={"user": request.user.pk, "left": left})
            messages.warning(
                request,
                _("You used a recovery code; %(left)s left. Make new ones in Second factor.")
                % {"left": left},
            )
        return redirect(_next_url(request))
    if form.is_bound:
        logger.info("second factor refused", extra={"user": request.user.pk})
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_verify.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a new one, replacing the old): its secret as a QR code
    and as text, then a first code."""
    if two_factor.has_second_factor(request.user) and not request.user.is_verified():
        # Replacing an app takes a code of the old one, or a recovery code, first.
        return redirect(_with_next("two_factor", request))
    key = request.session.setdefault(two_factor.SETUP_KEY_SESSION_KEY, two_factor.new_secret())
    form = two_factor.SetupForm(key, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, codes = two_factor.turn_on(request.user, key, form.time_step)
        django_otp.login(request, device)
        request.session.cycle_key()
        request.session.pop(two_factor.SETUP_KEY_SESSION_KEY, None)
        request.session.pop(two_factor.PENDING_SESSION_KEY, None)
        two_factor.show_codes_once(request, codes)
        logger.info("second factor set up", extra={"user": request.user.pk})
        messages.success(request, _("Your second factor is on."))
        return redirect(_with_next("two_factor_recovery_codes", request))
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "secret": two_factor.secret_for_people(key),
        "qr_code": two_factor.qr_code_svg(request.user, key, _("QR code of the secret")),
        "required": two_factor.is_required_for(request.user),
    }
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """POST makes ten new codes; the next GET shows them, once."""
    if not two_factor.has_second_factor(request.user):
        return redirect("two_factor_setup")
    if request.method == "POST":
        two_factor.show_codes_once(request, two_factor.make_recovery_codes(request.user))
        logger.info("recovery codes renewed", extra={"user": request.user.pk})
        return redirect("two_factor_recovery_codes")
    codes = request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor_manage")
    context = {"codes": [two_factor.grouped(c) for c in codes], "next": _next_url(request)}
    return render(request, "registration/two_factor_recovery_codes.html", context)


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    """Whether the second factor is on, and what the user can do about it."""
    user = request.user
    context = {
        "enabled": two_factor.has_second_factor(user),
        "required": two_factor.is_required_for(user),
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "registration/two_factor_manage.html", context)


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """Partners may turn it off again; coordinators may not, it is asked of them."""
    if two_factor.is_required_for(request.user):
        messages.error(request, _("Coordinators must keep a second factor."))
    elif two_factor.has_second_factor(request.user):
        two_factor.turn_off(request.user)
        logger.info("second factor turned off", extra={"user": request.user.pk})
        messages.success(request, _("Your second factor is off."))
    return redirect("two_factor_manage")


@coordinator_required
@require_http_methods(["GET", "HEAD", "POST"])
def reset(request: HttpRequest) -> HttpResponse:
    """Coordinators take away the second factor of someone who lost theirs."""
    form = two_factor.ResetForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_factor.turn_off(form.user)
        logger.info("second factor reset", extra={"reset": form.user.pk, "by": request.user.pk})
        messages.success(
            request,
            _("%(username)s no longer has a second factor: they set one up again.")
            % {"username": form.user.get_username()},
        )
        return redirect("two_factor_reset")
    if form.is_bound:
        why = " ".join(form.errors.get("username", []))
        messages.error(request, _("This second factor was not reset: %(why)s") % {"why": why})
    context = {"users": two_factor.users_with_second_factor()}
    status = 400 if form.is_bound else 200
    return render(request, "registration/two_factor_reset.html", context, status=status)
