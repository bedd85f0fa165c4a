"""The second factor: who must give one, their devices, and the middleware that asks for it.

After the password, a coordinator or a superuser (when TWO_FACTOR_REQUIRED, the default with
DEBUG off) gives a 6-digit code from an authenticator app (django-otp's TOTPDevice) or one
of ten one-time recovery codes (a StaticDevice). django-otp's OTPMiddleware reads from the
session which device verified it, so a verification lasts as long as the session and no
longer; SecondFactorMiddleware sends every other request of an unverified session to that
step, the admin's included. A partner who turned it on is asked the same way: signing in
marks their session as waiting for a code.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from publishing.access import can_reset_second_factor, is_coordinator

RECOVERY_CODES = 10
# A user with a device signed in with a password only: their session waits for a code.
PENDING_SESSION_KEY = "two_factor_pending"
# The secret shown while setting up, kept here (not in the database) until a code confirms it.
SETUP_KEY_SESSION_KEY = "two_factor_setup_key"
# Recovery codes just made, shown once by the next page and then forgotten.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"

# What an unverified session may still reach: the step itself, signing out, the language.
OPEN_VIEWS = {"two_factor", "two_factor_setup", "logout", "admin:logout", "set_language"}
OPEN_VIEWS |= {"healthz", "favicon", "robots"}


# -- rules ----------------------------------------------------------------------------------


def is_required_for(user) -> bool:
    """Coordinators and superusers must give a second factor (unless the demo turns it off)."""
    return settings.TWO_FACTOR_REQUIRED and is_coordinator(user)


def totp_device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def users_with_second_factor():
    users = get_user_model().objects.filter(totpdevice__confirmed=True).distinct()
    return users.order_by("username")


def needs_verification(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(PENDING_SESSION_KEY)) or is_required_for(user)


@receiver(user_logged_in, dispatch_uid="two_factor_pending")
def _ask_for_a_code_after_the_password(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and has_second_factor(user):
        request.session[PENDING_SESSION_KEY] = True


class SecondFactorMiddleware:
    """After OTPMiddleware: an unverified session that owes a code gets only the 2FA step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name in OPEN_VIEWS or not needs_verification(request):
            return None
        # After the code, back to the page asked for; a form's target is no page to land on.
        if request.method not in ("GET", "HEAD"):
            return redirect("two_factor")
        return redirect_to_login(request.get_full_path(), reverse("two_factor"))


# -- devices --------------------------------------------------------------------------------


def new_secret() -> str:
    """A TOTP secret (hex, as TOTPDevice.key keeps it): 20 random bytes, as RFC 4226 advises."""
    return random_hex(20)


def secret_for_people(key: str) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(user, key: str, label: str) -> str:
    """The otpauth:// address of the secret as an inline SVG QR code (no script, no style)."""
    url = TOTPDevice(user=user, key=key).config_url
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, svgclass="qr-code")
    attributes = f'role="img" aria-label="{escape(label)}" '
    return mark_safe(svg.replace("<svg ", f"<svg {attributes}", 1))  # noqa: S308


def matching_time_step(key: str, code: str) -> int | None:
    """The time step a setting-up code belongs to (now, or one step either side), if any."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()  # one clock reading, so that t() is the step that matched
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def make_recovery_codes(user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [_random_recovery_code() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _random_recovery_code() -> str:
    # 10 random bytes (80 bits): the longest a StaticToken keeps is 16 base32 characters.
    return b32encode(unhexlify(random_hex(10))).decode().lower()


def turn_on(user, key: str, time_step: int) -> tuple[TOTPDevice, list[str]]:
    """The confirmed app (the code just given cannot be given again) and its recovery codes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=key, confirmed=True, last_t=time_step
        )
        codes = make_recovery_codes(user)
    return device, codes


def turn_off(user) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def show_codes_once(request: HttpRequest, codes: list[str]) -> None:
    request.session[NEW_CODES_SESSION_KEY] = codes


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _plain(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


# -- forms ----------------------------------------------------------------------------------


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        widget = forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"})
        super().__init__(widget=widget, **kwargs)


class VerifyForm(forms.Form):
    """A code of the user's app, or one of their recovery codes (used up on success)."""

    code = CodeField(
        label=_("Code"),
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self) -> str:
        code = _plain(self.cleaned_data["code"])
        if code.isdigit():
            device = totp_device_of(self.user)
        else:
            device = StaticDevice.objects.devices_for_user(self.user, confirmed=True).first()
        if device is None:
            raise forms.ValidationError(_("This code is not right."), code="wrong")
        if not device.verify_is_allowed()[0]:
            raise forms.ValidationError(
                _("Too many wrong codes: wait a little, then try again."), code="throttled"
            )
        # django-otp locks the device row while checking, so a code counts once.
        self.device = django_otp.verify_token(self.user, device.persistent_id, code)
        if self.device is None:
            raise forms.ValidationError(_("This code is not right."), code="wrong")
        return code

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


class SetupForm(forms.Form):
    code = CodeField(
        label=_("Code shown by your app"),
        help_text=_("Six digits, to check that your app has the secret."),
    )

    def __init__(self, key: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.time_step = None

    def clean_code(self) -> str:
        code = _plain(self.cleaned_data["code"])
        self.time_step = matching_time_step(self.key, code)
        if self.time_step is None:
            raise forms.ValidationError(
                _("This code is not right: check that your device's clock is on time."),
                code="wrong",
            )
        return code


class ResetForm(forms.Form):
    """A coordinator takes away a user's second factor (a lost phone): they set it up again."""

    username = forms.CharField(max_length=150)

    def __init__(self, by, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not has_second_factor(user):
            raise forms.ValidationError(_("This user has no second factor."), code="none")
        if not can_reset_second_factor(self.by, user):
            raise forms.ValidationError(
                _("Only a superuser can reset a superuser's second factor."), code="superuser"
            )
        self.user = user
        return username
