"""The partner workspace: a partner's organisations and their practices and events,
the forms to add and edit them, preview, submission and archiving."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from practices.models import Practice
from publishing import emails
from publishing.access import (
    can_file_work,
    can_see_history,
    events_with_registrations_for,
    is_coordinator,
    organisation_ids_of,
)
from publishing.history import versions_with_changes
from publishing.record_types import RECORD_TYPES, RecordType
from publishing.saving import move, save_record
from publishing.workflow import InvalidTransition, Status
from stakeholders.models import Stakeholder


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organisations = Stakeholder.objects.filter(pk__in=organisation_ids_of(request.user))
    sections = []
    for kind in RECORD_TYPES.values():
        items = kind.model.objects.filter(organisation__in=organisations).select_related(
            "organisation"
        )
        sections.append({"kind": kind, "by_status": _by_status(items)})
    waiting = [
        (kind, item)
        for kind in RECORD_TYPES.values()
        for item in kind.model.objects.filter(
            organisation__in=organisations, status=Status.CHANGES_REQUESTED
        )
    ]
    context = {
        "organisations": organisations,
        "sections": sections,
        "waiting": waiting,
        "can_add": can_file_work(request.user),
        "is_coordinator": is_coordinator(request.user),
        "registration_events": events_with_registrations_for(request.user),
    }
    return render(request, "workspace/home.html", context)


def _by_status(items) -> list[tuple[str, list]]:
    grouped = {status: [] for status in Status.values}
    for item in items.order_by("title"):
        grouped[item.status].append(item)
    return [(Status(status).label, grouped[status]) for status in Status.values if grouped[status]]


@login_required
def create(request: HttpRequest, kind: RecordType) -> HttpResponse:
    if not can_file_work(request.user):
        raise PermissionDenied
    return _edit_form(request, kind, kind.model())


@login_required
def edit(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    return _edit_form(request, kind, kind.get_for_user(request, slug, write=True))


def _edit_form(request: HttpRequest, kind: RecordType, item) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    stored_title = item.title  # validating a refused form changes the instance's fields
    form = kind.form_class(data, instance=item, user=request.user)
    formsets = kind.formset_instances(data, item)
    status = 200
    if data is not None:
        valid = form.is_valid() and all(formset.is_valid() for _legend, formset in formsets)
        if valid and _save(request, form, [formset for _legend, formset in formsets]):
            return _after_save(request, kind, form.instance)
        status = 409 if form.is_stale else 400
        messages.error(request, _("Nothing was saved: please correct the errors below."))
    context = {
        "kind": kind,
        "form": form,
        "formsets": formsets,
        "item": item,
        "stored_title": stored_title,
        "translations": _translations(item),
    }
    return render(request, "workspace/edit.html", context, status=status)


def _translations(item) -> list[tuple[str, str, object]]:
    """(language, name, translation or None) for each language a stored practice may be
    translated into: the tabs of its translations."""
    if not isinstance(item, Practice) or not item.pk:
        return []
    stored = {translation.language: translation for translation in item.translations.all()}
    return [
        (code, name, stored.get(code)) for code, name in settings.LANGUAGES if code != item.language
    ]


def _save(request: HttpRequest, form, formsets) -> bool:
    """Save the record and its rows as one version, unless it changed meanwhile."""
    adding = form.instance._state.adding
    with transaction.atomic():
        if not form.lock_if_current():
            return False
        item = form.save(commit=False)

        def save_related():
            form.save_m2m()
            for formset in formsets:
                formset.instance = item
                formset.save()

        save_record(item, request.user, "Created" if adding else "Edited", save_related)
    return True


def _after_save(request: HttpRequest, kind: RecordType, item) -> HttpResponse:
    if item.status == Status.PUBLISHED and not is_coordinator(request.user):
        emails.send_published_edited(request, item)
        messages.info(request, _("Saved. It stays published; the coordinators were told."))
    elif "submit" in request.POST:
        _submit(request, item)
    else:
        messages.success(request, _("Saved."))
    if "preview" in request.POST:
        return redirect("workspace:preview", kind=kind.slug, slug=item.slug)
    return redirect("workspace:edit", kind=kind.slug, slug=item.slug)


def _submit(request: HttpRequest, item) -> bool:
    try:
        move(item, "submit", by=request.user)
    except InvalidTransition as error:
        messages.error(request, error.messages[0])
        return False
    emails.send_submitted(request, item)
    messages.success(request, _("Submitted for review. The coordinators were told."))
    return True


@login_required
def preview(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    """The public page of the record as it is now, published or not, with a banner."""
    item = kind.get_for_user(request, slug)
    context = {kind.context_name: item, "preview_of": item, "preview_kind": kind}
    return render(request, kind.public_template, context)


@require_POST
@login_required
def submit(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    item = kind.get_for_user(request, slug, write=True)
    _submit(request, item)
    return redirect("workspace:edit", kind=kind.slug, slug=item.slug)


@require_POST
@login_required
def archive(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    """Partners archive rather than delete: the record and its history stay."""
    item = kind.get_for_user(request, slug, write=True)
    try:
        move(item, "archive", by=request.user)
    except InvalidTransition as error:
        messages.error(request, error.messages[0])
        return redirect("workspace:edit", kind=kind.slug, slug=item.slug)
    messages.success(request, _("Archived."))
    return redirect("workspace:home")


@login_required
def history(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    item = kind.get_for_user(request, slug)
    if not can_see_history(request.user, item):
        raise PermissionDenied
    context = {
        "kind": kind,
        "item": item,
        "versions": versions_with_changes(item),
        "can_revert": is_coordinator(request.user),
    }
    return render(request, "workspace/history.html", context)
