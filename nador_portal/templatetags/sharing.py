"""{% sharing record %}: the link preview tags and the structured data of a public page
(nador_portal/sharing.py). {% sharing %} alone describes the home page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from events.models import Event
from nador_portal import sharing as describe
from practices.models import Practice, Theme
from stakeholders.models import Stakeholder

register = template.Library()


def _described(context, record, title: str, description: str):
    request = context["request"]
    if isinstance(record, Practice):
        languages = [language for language, _url in context.get("alternates", [])] or None
        return describe.practice(request, record, languages)
    if isinstance(record, Event):
        return describe.event(request, record)
    if isinstance(record, Stakeholder):
        return describe.stakeholder(request, record)
    if isinstance(record, Theme):
        return describe.theme(request, record)
    if title:
        return describe.page(request, title, description)
    return describe.home(request)


@register.simple_tag(takes_context=True)
def sharing(context, record=None, title: str = "", description: str = "") -> str:
    # A partner's preview of unpublished work is never described: nothing of it may leave.
    if context.get("preview_of") is not None or not getattr(record, "is_published", True):
        return ""
    card, data = _described(context, record, str(title), str(description))
    return render_to_string(
        "includes/_social.html",
        {
            "card": card,
            "json_ld": describe.json_ld(data) if data else "",
            "SITE_NAME": settings.SITE_NAME,
        },
    )
