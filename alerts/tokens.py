"""The signed links of the alerts' mails: confirm, unsubscribe, manage.

A token is the subscription's random key signed for one purpose (a salt each): a link to
unsubscribe cannot confirm, nor open the list of someone's alerts. A confirmation link
expires after ALERTS_CONFIRM_DAYS; the others last as long as the subscription. A forged or
altered token is refused before any query.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from alerts.models import Subscription

PURPOSES = ("confirm", "unsubscribe", "manage")


def _signer(purpose: str) -> signing.Signer:
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown purpose {purpose!r}")
    salt = f"alerts.{purpose}"
    return signing.TimestampSigner(salt=salt) if purpose == "confirm" else signing.Signer(salt=salt)


def make_token(subscription: Subscription, purpose: str) -> str:
    return _signer(purpose).sign(subscription.key)


def subscription_for(token: str, purpose: str) -> Subscription | None:
    """The subscription a token was made for, or None when it is forged, expired or gone."""
    signer = _signer(purpose)
    try:
        if isinstance(signer, signing.TimestampSigner):
            key = signer.unsign(token, max_age=settings.ALERTS_CONFIRM_DAYS * 24 * 60 * 60)
        else:
            key = signer.unsign(token)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(key=key).first()
