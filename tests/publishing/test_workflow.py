import pytest

from practices.models import InvalidTransition, Practice, Status

pytestmark = pytest.mark.django_db


def test_a_draft_is_submitted_then_published_with_its_date(draft_practice, partner, coordinator):
    draft_practice.submit(by=partner)
    draft_practice.publish(by=coordinator)
    draft_practice.refresh_from_db()
    assert draft_practice.status == Status.PUBLISHED
    assert draft_practice.published_at is not None
    assert draft_practice.updated_by == coordinator


def test_publishing_a_draft_that_was_never_submitted_is_refused(draft_practice, coordinator):
    with pytest.raises(InvalidTransition):
        draft_practice.publish(by=coordinator)
    stored = Practice.objects.get(pk=draft_practice.pk)
    assert stored.status == Status.DRAFT
    assert stored.published_at is None


def test_requesting_changes_needs_a_comment(draft_practice, partner, coordinator):
    draft_practice.submit(by=partner)
    with pytest.raises(InvalidTransition):
        draft_practice.request_changes(by=coordinator, comment="  ")
    draft_practice.request_changes(by=coordinator, comment="Add the dates.")
    draft_practice.refresh_from_db()
    assert draft_practice.status == Status.CHANGES_REQUESTED
    assert draft_practice.review_comment == "Add the dates."


def test_each_transition_is_recorded_in_history_with_who_and_why(
    draft_practice, partner, coordinator
):
    draft_practice.submit(by=partner)
    draft_practice.request_changes(by=coordinator, comment="Add the dates.")
    latest = draft_practice.history.first()
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "Changes requested: Add the dates."


def test_an_archived_practice_cannot_be_archived_again(published_practice, coordinator):
    published_practice.archive(by=coordinator)
    with pytest.raises(InvalidTransition):
        published_practice.archive(by=coordinator)
