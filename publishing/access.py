"""Who may see or change what: decided here, and nowhere else.

Roles: coordinators (the Coordinators group, and superusers) review, publish and report on
everyone's work; partners act for the organisations they are members of; everyone else
reads what is published.

Records (practices and events): another organisation's unpublished work does not exist
for a partner (404, so that its slug leaks nothing); published work of another
organisation, and archived work, can be read but not changed (403). Every workspace and
review view fetches its record through `get_practice_for_user` / `get_event_for_user`.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from events.models import Event
from practices.models import Practice
from publishing.workflow import Status
from stakeholders.models import Membership, Stakeholder

COORDINATORS_GROUP = "Coordinators"


# -- roles ----------------------------------------------------------------------------------


def is_coordinator(user) -> bool:
    """Coordinators (and superusers) review, publish and report on everyone's work."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_coordinator", None)
    if cached is None:
        cached = user.groups.filter(name=COORDINATORS_GROUP).exists()
        user._is_coordinator = cached
    return cached


def can_reset_second_factor(user, of) -> bool:
    """Coordinators reset a lost second factor; a superuser's, only another superuser."""
    return is_coordinator(user) and (user.is_superuser or not of.is_superuser)


def coordinators() -> QuerySet:
    """The users who are coordinators: members of the group, and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=COORDINATORS_GROUP) | Q(is_superuser=True))
        .distinct()
    )


def organisation_ids_of(user) -> set[int]:
    """The organisations a user is a member of; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("stakeholder_id", flat=True))
        user._organisation_ids = cached
    return cached


def is_partner(user) -> bool:
    return bool(organisation_ids_of(user))


def organisations_for(user) -> QuerySet[Stakeholder]:
    """The organisations a user may file work for: their own; any for coordinators."""
    if is_coordinator(user):
        return Stakeholder.objects.all()
    return Stakeholder.objects.filter(pk__in=organisation_ids_of(user))


def can_edit_organisation(user, organisation: Stakeholder) -> bool:
    """An organisation's own settings (its contact address): its members and coordinators."""
    return is_coordinator(user) or organisation.pk in organisation_ids_of(user)


def can_file_work(user) -> bool:
    return organisations_for(user).exists()


# -- records --------------------------------------------------------------------------------


def for_user(records: QuerySet, user) -> QuerySet:
    """What a user may see of these practices or events: everything for coordinators,
    their organisations' work plus everything published for partners, only what is
    published for others."""
    if is_coordinator(user):
        return records.all()
    organisations = organisation_ids_of(user)
    if not organisations:
        return records.filter(status=Status.PUBLISHED)
    return records.filter(Q(status=Status.PUBLISHED) | Q(organisation_id__in=organisations))


def editable_by(records: QuerySet, user) -> QuerySet:
    if is_coordinator(user):
        return records.all()
    return records.filter(organisation_id__in=organisation_ids_of(user))


def can_view(user, record) -> bool:
    """One record as for_user() sees it: published, or its organisation's, or a coordinator's.
    Its documents and images are served to the same people (attachments/views.py)."""
    if record.status == Status.PUBLISHED or is_coordinator(user):
        return True
    return record.organisation_id in organisation_ids_of(user)


def can_edit(user, record) -> bool:
    """Members edit their organisations' work until it is archived; coordinators edit all."""
    if is_coordinator(user):
        return True
    if record.status == Status.ARCHIVED:
        return False
    return record.organisation_id in organisation_ids_of(user)


def can_see_history(user, record) -> bool:
    """The versions of a record are its organisation's and the coordinators' business."""
    return is_coordinator(user) or record.organisation_id in organisation_ids_of(user)


def kept_for_organisations(records: QuerySet, user) -> QuerySet:
    """Rows kept for organisations (`organisation`), such as visitors' messages: all of them
    for coordinators, their organisations' for partners, none for anyone else."""
    if is_coordinator(user):
        return records.all()
    return records.filter(organisation_id__in=organisation_ids_of(user))


def _get_for_user(model, request: HttpRequest, slug: str, write: bool):
    user = request.user
    if not user.is_authenticated:
        raise Http404
    record = get_object_or_404(for_user(model.objects.all(), user), slug=slug)
    if write and not can_edit(user, record):
        raise PermissionDenied
    return record


def get_practice_for_user(request: HttpRequest, slug: str, write: bool = False) -> Practice:
    return _get_for_user(Practice, request, slug, write)


def get_event_for_user(request: HttpRequest, slug: str, write: bool = False) -> Event:
    return _get_for_user(Event, request, slug, write)


def can_see_registrations(user, event: Event) -> bool:
    """Who registered is personal data: the coordinators' business, and that of the members
    of the organisation that owns the event or of one that organises it."""
    if is_coordinator(user):
        return True
    organisations = organisation_ids_of(user)
    if event.organisation_id in organisations:
        return True
    return event.organisers.filter(pk__in=organisations).exists()


def events_with_registrations_for(user) -> QuerySet[Event]:
    """The events of the user's organisations, owned or organised, that take or took
    registrations: the lists they may open."""
    organisations = organisation_ids_of(user)
    theirs = Q(organisation_id__in=organisations) | Q(organisers__in=organisations)
    taking = Q(registration_open=True) | Q(registrations__isnull=False)
    ids = Event.objects.filter(theirs).filter(taking).values("pk")
    return Event.objects.filter(pk__in=ids).order_by("-starts_at")


def get_event_registrations_for_user(request: HttpRequest, slug: str) -> Event:
    """The event whose registrations the user may see; 404 when they may not see the event
    either, 403 when they may see it but not who registered."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    event = get_object_or_404(Event, slug=slug)
    if can_see_registrations(user, event):
        return event
    if for_user(Event.objects.filter(pk=event.pk), user).exists():
        raise PermissionDenied
    raise Http404


# -- views ----------------------------------------------------------------------------------


def coordinator_required(view):
    """Anonymous visitors are sent to sign in; signed-in partners are refused (403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
