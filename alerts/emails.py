"""The alerts' mails: the confirmation of a request and the digest, one function each, their
subject and text (and the digest's HTML) in templates/alerts/emails/."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation

from alerts.models import Subscription
from alerts.tokens import make_token


def absolute(path: str) -> str:
    """An address of the portal for a mail sent with no request (by cron)."""
    return settings.SITE_URL + path


def link(subscription: Subscription, purpose: str) -> str:
    """The path of a signed link of this subscription, in its language."""
    with translation.override(subscription.language):
        return reverse(f"alerts:{purpose}", kwargs={"token": make_token(subscription, purpose)})


def _text(template: str, context: dict) -> str:
    """A plain-text part: nothing escaped (the reader would see &lt;), for a text/plain part."""
    return get_template(template).template.render(Context(context, autoescape=False))


def _subject(template: str, context: dict) -> str:
    return " ".join(_text(template, context).split())


def send_confirmation(request: HttpRequest, subscription: Subscription, labels: list[str]) -> int:
    """To the address given: the link that confirms the alert. Nothing else is sent to it
    before that link is followed."""
    url = request.build_absolute_uri(link(subscription, "confirm"))
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "subscription": subscription,
        "labels": labels,
        "url": url,
        "days": settings.ALERTS_CONFIRM_DAYS,
    }
    with translation.override(subscription.language):
        subject = _subject("alerts/emails/confirm_subject.txt", context)
        body = _text("alerts/emails/confirm_body.txt", context)
    return send_mail(subject, body, None, [subscription.email])


def digest_message(subscription: Subscription, context: dict) -> EmailMultiAlternatives:
    """The digest of one subscription, in the active language (the subscription's). The
    headers of RFC 8058: a mail client offers its own "Unsubscribe" button, which POSTs
    `List-Unsubscribe=One-Click` to the signed link."""
    unsubscribe_url = absolute(link(subscription, "unsubscribe"))
    context = {
        **context,
        "SITE_NAME": settings.SITE_NAME,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe_url,
        "manage_url": absolute(link(subscription, "manage")),
    }
    message = EmailMultiAlternatives(
        subject=_subject("alerts/emails/digest_subject.txt", context),
        body=_text("alerts/emails/digest_body.txt", context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("alerts/emails/digest_body.html", context), "text/html"
    )
    return message
