"""The portal's emails: one function per email, subject and text in templates/emails/.

Recipients keep no language preference, so an email to an organisation is written in
the language of the record it is about (a practice's `language`), and one to
coordinators in the site's default language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import override as translation_language

from publishing.access import coordinators
from publishing.record_types import record_type_of
from stakeholders.models import Stakeholder


def _send(template: str, recipients: list[str], language: str, context: dict) -> int:
    if not recipients:
        return 0
    with translation.override(language):
        context = {**context, "SITE_NAME": settings.SITE_NAME}
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    return send_mail(" ".join(subject.split()), body, None, recipients)


def coordinator_emails() -> list[str]:
    users = coordinators().filter(is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def member_emails(organisation: Stakeholder) -> list[str]:
    users = get_user_model().objects.filter(memberships__stakeholder=organisation, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _language_of(item) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(item, "language", "")
    return language if language in codes else settings.LANGUAGE_CODE


def _link(request: HttpRequest, language: str, name: str, /, **kwargs) -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def send_submitted(request: HttpRequest, item) -> int:
    """To coordinators: an organisation submitted a practice or an event for review."""
    language = settings.LANGUAGE_CODE
    url = _link(request, language, "review:detail", kind=record_type_of(item).slug, slug=item.slug)
    context = {"item": item, "url": url, "by": request.user}
    return _send("submitted", coordinator_emails(), language, context)


def send_approved(request: HttpRequest, item) -> int:
    """To the organisation's members: their practice or event is published."""
    language = _language_of(item)
    with translation.override(language):
        url = request.build_absolute_uri(item.get_absolute_url())
    return _send("approved", member_emails(item.organisation), language, {"item": item, "url": url})


def send_changes_requested(request: HttpRequest, item) -> int:
    """To the organisation's members: a coordinator asks for changes, with the comment."""
    language = _language_of(item)
    url = _link(request, language, "workspace:edit", kind=record_type_of(item).slug, slug=item.slug)
    context = {"item": item, "url": url, "comment": item.review_comment}
    return _send("changes_requested", member_emails(item.organisation), language, context)


def send_published_edited(request: HttpRequest, item) -> int:
    """To coordinators: a published practice or event was edited and stays published."""
    language = settings.LANGUAGE_CODE
    url = _link(
        request, language, "workspace:history", kind=record_type_of(item).slug, slug=item.slug
    )
    context = {"item": item, "url": url, "by": request.user}
    return _send("published_edited", coordinator_emails(), language, context)


def send_translation_submitted(request: HttpRequest, translation) -> int:
    """To coordinators: a partner wrote or changed a translation of a practice."""
    language = settings.LANGUAGE_CODE
    url = _link(
        request,
        language,
        "review:translation",
        slug=translation.practice.slug,
        language=translation.language,
    )
    with translation_language(language):
        language_name = translation.get_language_display()
    context = {
        "item": translation.practice,
        "language_name": language_name,
        "url": url,
        "by": request.user,
    }
    return _send("translation_submitted", coordinator_emails(), language, context)


def send_invitation(request: HttpRequest, user, organisation: Stakeholder) -> int:
    """To an invited partner: a link to choose their password (no password by email)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    url = _link(
        request,
        language,
        "password_reset_confirm",
        uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    context = {"user": user, "organisation": organisation, "url": url, "by": request.user}
    return _send("invitation", [user.email], language, context)
