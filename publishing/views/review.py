"""Review by coordinators: what was submitted, what changed, and the decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from practices.models import Practice, PracticeTranslation
from publishing import emails
from publishing.access import coordinator_required
from publishing.forms import ReviewCommentForm
from publishing.history import (
    changes_since_review,
    recently_edited_published,
    revert_to,
    versions_with_changes,
)
from publishing.record_types import RECORD_TYPES, RecordType
from publishing.saving import move
from publishing.workflow import InvalidTransition
from stakeholders.models import Stakeholder


@coordinator_required
def queue(request: HttpRequest) -> HttpResponse:
    submitted = [
        (kind, item)
        for kind in RECORD_TYPES.values()
        for item in kind.model.objects.awaiting_review().select_related(
            "organisation", "updated_by"
        )
    ]
    edited = [
        (kind, item)
        for kind in RECORD_TYPES.values()
        for item in recently_edited_published(kind.model)
    ]
    translations = (
        PracticeTranslation.objects.awaiting_review()
        .select_related("practice__organisation")
        .order_by("updated_at")
    )
    context = {
        "submitted": submitted,
        "translations": translations,
        "edited": edited,
        "stakeholders": Stakeholder.objects.only("name", "slug"),
    }
    return render(request, "review/queue.html", context)


@coordinator_required
def detail(request: HttpRequest, kind: RecordType, slug: str) -> HttpResponse:
    item = kind.get_for_user(request, slug)
    return _render_detail(request, kind, item, ReviewCommentForm())


def _render_detail(request, kind: RecordType, item, form, status: int = 200) -> HttpResponse:
    baseline, changes = changes_since_review(item)
    translations = item.translations.all() if isinstance(item, Practice) else []
    context = {
        "kind": kind,
        "item": item,
        "form": form,
        "baseline": baseline,
        "changes": changes,
        "translations": translations,
    }
    return render(request, "review/detail.html", context, status=status)


# A decision in the URL: its transition, whether the coordinator's comment goes with it
# (it tells the organisation what to change, or why it was archived), and its email.
DECISIONS = {
    "publish": ("publish", False, emails.send_approved),
    "request-changes": ("request_changes", True, emails.send_changes_requested),
    "archive": ("archive", True, None),
}


@require_POST
@coordinator_required
def decide(request: HttpRequest, kind: RecordType, slug: str, decision: str) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    item = kind.get_for_user(request, slug)
    form = ReviewCommentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, kind, item, form, status=400)
    transition, with_comment, notify = DECISIONS[decision]
    details = {"comment": form.cleaned_data["comment"]} if with_comment else {}
    try:
        move(item, transition, by=request.user, **details)
    except InvalidTransition as error:
        form.add_error("comment" if error.code == "comment_required" else None, error)
        item.refresh_from_db()
        return _render_detail(request, kind, item, form, status=400)
    if notify:
        notify(request, item)
    message = _("“%(title)s”: %(status)s.")
    messages.success(request, message % {"title": item.title, "status": item.get_status_display()})
    return redirect("review:queue")


@require_POST
@coordinator_required
def revert(request: HttpRequest, kind: RecordType, slug: str, history_id: int) -> HttpResponse:
    item = kind.get_for_user(request, slug)
    record = get_object_or_404(item.history.all(), history_id=history_id)
    revert_to(item, record, request.user)
    messages.success(request, _("The earlier version is back. This is recorded in the history."))
    return redirect("workspace:history", kind=kind.slug, slug=item.slug)


@coordinator_required
def stakeholder_history(request: HttpRequest, slug: str) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    context = {"item": stakeholder, "versions": versions_with_changes(stakeholder)}
    return render(request, "review/stakeholder_history.html", context)


@require_POST
@coordinator_required
def stakeholder_revert(request: HttpRequest, slug: str, history_id: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder, slug=slug)
    record = get_object_or_404(stakeholder.history.all(), history_id=history_id)
    revert_to(stakeholder, record, request.user)
    messages.success(request, _("The earlier version is back. This is recorded in the history."))
    return redirect("review:stakeholder_history", slug=stakeholder.slug)
