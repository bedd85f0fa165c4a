"""The e-mail a visitor's message goes out as: to the lead organisation's contact address,
or to the coordinators when it has none, with the visitor's address as Reply-To (the only
place the organisation learns it)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from contact.models import ContactRequest
from practices.models import StakeholderRole
from publishing.emails import coordinator_emails


def lead_organisation(practice):
    """The organisation leading the practice (its "lead" role), else the one that filed it."""
    role = (
        practice.roles.filter(role=StakeholderRole.Role.LEAD)
        .select_related("stakeholder")
        .order_by("stakeholder__name")
        .first()
    )
    return role.stakeholder if role else practice.organisation


def recipients_of(organisation) -> tuple[str, list[str]]:
    """(ContactRequest.SentTo value, addresses)."""
    if organisation is not None and organisation.contact_email:
        return ContactRequest.SentTo.ORGANISATION, [organisation.contact_email]
    return ContactRequest.SentTo.COORDINATORS, coordinator_emails()


def send_contact_request(request: HttpRequest, contact: ContactRequest, recipients) -> int:
    if not recipients:
        return 0
    practice = contact.practice
    to_organisation = contact.sent_to == ContactRequest.SentTo.ORGANISATION
    language = practice.language if to_organisation else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "contact": contact,
            "practice": practice,
            "to_organisation": to_organisation,
            "practice_url": request.build_absolute_uri(practice.get_absolute_url()),
            "review_url": request.build_absolute_uri(
                reverse("contact:request", kwargs={"pk": contact.pk})
            ),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_to_string("emails/contact_request_subject.txt", context)
        body = render_to_string("emails/contact_request_body.txt", context)
    message = EmailMessage(
        " ".join(subject.split()), body, None, recipients, reply_to=[contact.email]
    )
    return message.send()
