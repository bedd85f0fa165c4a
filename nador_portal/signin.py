"""Limits on guessing passwords, beside django-axes' lockout of a (user name, address) pair.

- Failed sign-ins from one address are counted across user names: an attacker trying one
  password on many accounts ("spraying") is stopped after SIGN_IN_ADDRESS_LIMIT an hour, while
  the owners of those accounts can still sign in from their own connections.
- Password-reset requests are counted per address and per e-mail address (no flood of mails to a
  victim), wrong current passwords on the password-change form per account (a stolen session
  cannot be used to guess the password).
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from nador_portal.client import client_ip
from nador_portal.throttle import Limit

HOUR = 60 * 60


def sign_in_address_limit() -> Limit:
    return Limit("sign-in-address", settings.SIGN_IN_ADDRESS_LIMIT, HOUR)


def reset_address_limit() -> Limit:
    return Limit("reset-address", settings.PASSWORD_RESET_LIMIT, HOUR)


def reset_email_limit() -> Limit:
    return Limit("reset-email", settings.PASSWORD_RESET_LIMIT, HOUR)


def password_change_limit() -> Limit:
    return Limit(
        "password-change",
        settings.AXES_FAILURE_LIMIT,
        int(settings.AXES_COOLOFF_TIME.total_seconds()),
    )


class AddressLimitBackend:
    """First of AUTHENTICATION_BACKENDS: refuses any sign-in, before a password is checked,
    from an address over its limit of failures. It only refuses: without get_user() it is never
    the backend a session is recorded with."""

    def authenticate(self, request, **credentials):
        if request is not None and sign_in_address_limit().exceeded(client_ip(request)):
            # AxesMiddleware answers a request marked so with the lockout page
            # (AXES_LOCKOUT_CALLABLE), which says which limit was reached.
            request.axes_locked_out = True
            request.locked_out_address = True
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="nador_portal.signin.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None and not getattr(request, "locked_out_address", False):
        sign_in_address_limit().hit(client_ip(request))


# When the session began, for its absolute lifetime (nador_portal/middleware.py).
SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in, dispatch_uid="nador_portal.signin.note_sign_in")
def note_sign_in(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = int(time.time())
