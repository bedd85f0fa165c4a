"""Who may see or change a practice or an event: decided here, once per resource.

Every workspace and review view fetches its object through these helpers. Another
organisation's unpublished work does not exist for a partner (404, so that its slug
leaks nothing); published work of another organisation, and archived work, can be read
but not changed (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from events.models import Event
from practices.models import Practice
from practices.workflow import Status
from stakeholders.models import is_coordinator


def _get_for_user(model, request: HttpRequest, slug: str, write: bool):
    user = request.user
    if not user.is_authenticated:
        raise Http404
    obj = get_object_or_404(model.objects.for_user(user), slug=slug)
    if write and not can_edit(user, obj):
        raise PermissionDenied
    return obj


def can_edit(user, obj) -> bool:
    """Members edit their organisations' work until it is archived; coordinators edit all."""
    if is_coordinator(user):
        return True
    if obj.status == Status.ARCHIVED:
        return False
    return type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()


def get_practice_for_user(request: HttpRequest, slug: str, write: bool = False) -> Practice:
    return _get_for_user(Practice, request, slug, write)


def get_event_for_user(request: HttpRequest, slug: str, write: bool = False) -> Event:
    return _get_for_user(Event, request, slug, write)
