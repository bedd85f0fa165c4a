"""The one save path of what partners and coordinators change through the portal's pages.

A save or a workflow move writes the record, records one version of it in its history and
refreshes the data derived from it (search/index.py: the search vectors and facet counts
of the practices it touches), in one transaction. The models do none of this on their own.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from publishing.workflow import Status
from search import index

#: The workflow's transitions (publishing/workflow.py), model methods taking `by`.
TRANSITIONS = ("submit", "publish", "request_changes", "archive")


def _nothing() -> None:
    return None


@transaction.atomic
def save_record(item, by, reason: str, save_related: Callable[[], None] = _nothing) -> None:
    """Save a record and its many-to-many and inline rows, recording one version.

    simple-history records a version on every save and every many-to-many change; the
    first save and the related rows are saved without history, then one version holds
    the whole new state."""
    item.updated_by = by
    if item._state.adding:
        item.created_by = by
    item.skip_history_when_saving = True
    try:
        item.save()
        save_related()
    finally:
        del item.skip_history_when_saving
    item._history_user = by
    item._change_reason = reason
    item.save()
    index.refresh_after_change(item)


@transaction.atomic
def move(item, transition: str, by, **details) -> None:
    """Submit, publish, ask for changes or archive (`details`: the comment): the status
    decides what the public search and the facet counts cover, so they follow."""
    if transition not in TRANSITIONS:
        raise ValueError(f"Unknown transition {transition!r}")
    getattr(item, transition)(by=by, **details)
    index.refresh_after_change(item)


@transaction.atomic
def save_translation(translation, by, reason: str, approved: bool) -> None:
    """Save a practice's translation as one version: approved when a coordinator wrote
    it, otherwise waiting for their review, out of the public's sight until then."""
    translation.status = Status.PUBLISHED if approved else Status.SUBMITTED
    translation.review_comment = ""
    translation.updated_by = by
    translation._history_user = by
    translation._change_reason = reason
    translation.save()
    index.refresh_after_change(translation.practice)


@transaction.atomic
def delete_translation(translation, by) -> None:
    translation._history_user = by
    translation._change_reason = "Translation removed"
    translation.delete()
    index.refresh_after_change(translation.practice)


@transaction.atomic
def decide_translation(translation, decision: str, by, **details) -> None:
    """Approve a translation (`approve`) or send it back (`request_changes`, `comment`)."""
    if decision not in ("approve", "request_changes"):
        raise ValueError(f"Unknown decision {decision!r}")
    getattr(translation, decision)(by=by, **details)
    index.refresh_after_change(translation.practice)
