"""Review by coordinators: the queue, what changed, and every transition through the views."""

import pytest
from django.core import mail
from django.test import Client

from practices.models import Practice, Status
from tests.conftest import make_practice, sign_in
from tests.publishing.test_workspace_events import make_event
from tests.workspace_helpers import client_for, practice_data

pytestmark = pytest.mark.django_db


def url(practice, decision: str = "") -> str:
    return f"/en/review/practices/{practice.slug}/" + (f"{decision}/" if decision else "")


def state(practice) -> tuple:
    stored = Practice.objects.get(pk=practice.pk)
    return stored.status, stored.published_at, stored.review_comment, stored.history.count()


@pytest.fixture
def submitted(asticude, partner) -> Practice:
    practice = make_practice(asticude, "Submitted practice", status=Status.DRAFT)
    practice.submit(by=partner)
    return practice


# The queue


def test_anonymous_visitor_is_sent_to_sign_in_from_the_review_pages(client, submitted):
    for path in ("/en/review/", url(submitted)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_are_refused_the_review_pages(request, persona, submitted):
    client = client_for(request.getfixturevalue(persona))
    before = state(submitted)
    assert client.get("/en/review/").status_code == 403
    assert client.get(url(submitted)).status_code == 403
    for decision in ("publish", "request-changes", "archive"):
        assert client.post(url(submitted, decision), {"comment": "x"}).status_code == 403
    assert state(submitted) == before
    assert mail.outbox == []


def test_coordinator_sees_submitted_practices_and_events(coordinator, submitted, acpp, partner):
    event = make_event(acpp, "Submitted event")
    event.submit(by=partner)
    make_practice(acpp, "A draft nobody submitted", status=Status.DRAFT)
    response = client_for(coordinator).get("/en/review/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Submitted practice" in content
    assert "Submitted event" in content
    assert "A draft nobody submitted" not in content
    assert content.count("<h1") == 1


def test_the_queue_uses_a_bounded_number_of_queries(
    coordinator, asticude, partner, django_assert_max_num_queries
):
    for number in range(8):
        make_practice(asticude, f"Practice {number}", status=Status.DRAFT).submit(by=partner)
    client = client_for(coordinator)
    with django_assert_max_num_queries(15):
        assert client.get("/en/review/").status_code == 200


def test_published_practices_edited_by_partners_are_listed_for_coordinators(
    coordinator, partner, published_practice
):
    data = practice_data(published_practice, partner, summary="Changed after publication.")
    client_for(partner).post(f"/en/workspace/practices/{published_practice.slug}/edit/", data)
    response = client_for(coordinator).get("/en/review/")
    assert "Published practice of ASTICUDE" in response.content.decode()


# The item and what changed


def test_a_never_reviewed_submission_is_shown_as_all_new(coordinator, submitted):
    response = client_for(coordinator).get(url(submitted))
    assert response.status_code == 200
    assert "all of it is new" in response.content.decode()


def test_the_review_shows_what_changed_since_the_coordinators_last_decision(
    coordinator, partner, submitted
):
    submitted.request_changes(by=coordinator, comment="Say where.")
    data = practice_data(submitted, partner, city="Zeghanghane", submit="")
    client_for(partner).post(f"/en/workspace/practices/{submitted.slug}/edit/", data)
    response = client_for(coordinator).get(url(submitted))
    content = response.content.decode()
    assert "City" in content
    assert "Zeghanghane" in content


def test_the_review_shows_what_changed_since_publication(coordinator, partner, submitted):
    submitted.publish(by=coordinator)
    data = practice_data(submitted, partner, title="Renamed after publication")
    client_for(partner).post(f"/en/workspace/practices/{submitted.slug}/edit/", data)
    content = client_for(coordinator).get(url(submitted)).content.decode()
    assert "<del>Submitted practice</del>" in content
    assert "<ins>Renamed after publication</ins>" in content


# Transitions through the views


def test_coordinator_approves_and_the_organisation_is_told(coordinator, partner, submitted):
    response = client_for(coordinator).post(url(submitted, "publish"))
    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == Status.PUBLISHED
    assert submitted.published_at is not None
    assert submitted.history.first().history_user == coordinator
    assert [message.to for message in mail.outbox] == [[partner.email]]
    assert Client().get(submitted.get_absolute_url()).status_code == 200


def test_coordinator_requests_changes_with_a_comment(coordinator, partner, submitted):
    response = client_for(coordinator).post(
        url(submitted, "request-changes"), {"comment": "Add the dates."}
    )
    submitted.refresh_from_db()
    assert response.status_code == 302
    assert submitted.status == Status.CHANGES_REQUESTED
    assert submitted.review_comment == "Add the dates."
    assert submitted.history.first().history_change_reason == "Changes requested: Add the dates."
    assert "Add the dates." in mail.outbox[0].body
    assert mail.outbox[0].to == [partner.email]


def test_requesting_changes_without_a_comment_is_refused(coordinator, submitted):
    before = state(submitted)
    response = client_for(coordinator).post(url(submitted, "request-changes"), {"comment": " "})
    assert response.status_code == 400
    assert "the comment is required" in response.content.decode()
    assert state(submitted) == before
    assert mail.outbox == []


def test_coordinator_archives_with_a_comment(coordinator, submitted):
    client_for(coordinator).post(url(submitted, "archive"), {"comment": "Duplicate."})
    submitted.refresh_from_db()
    assert submitted.status == Status.ARCHIVED
    assert submitted.history.first().history_change_reason == "Archived: Duplicate."


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (Status.DRAFT, "publish"),
        (Status.CHANGES_REQUESTED, "publish"),
        (Status.PUBLISHED, "publish"),
        (Status.DRAFT, "request-changes"),
        (Status.PUBLISHED, "request-changes"),
        (Status.ARCHIVED, "archive"),
        (Status.ARCHIVED, "publish"),
    ],
)
def test_an_invalid_transition_is_refused_and_changes_nothing(
    coordinator, asticude, status, decision
):
    practice = make_practice(asticude, "Not ready", status=status)
    before = state(practice)
    response = client_for(coordinator).post(url(practice, decision), {"comment": "Why not."})
    assert response.status_code == 400
    assert "cannot become" in response.content.decode()
    assert state(practice) == before
    assert mail.outbox == []


def test_an_unknown_decision_is_a_404(coordinator, submitted):
    before = state(submitted)
    assert client_for(coordinator).post(url(submitted, "delete")).status_code == 404
    assert state(submitted) == before


def test_decisions_accept_only_post(coordinator, submitted):
    assert client_for(coordinator).get(url(submitted, "publish")).status_code == 405


def test_a_decision_without_the_csrf_token_is_refused(coordinator, submitted):
    before = state(submitted)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, coordinator)
    assert client.post(url(submitted, "publish")).status_code == 403
    assert state(submitted) == before


def test_coordinator_approves_a_submitted_event(coordinator, partner, asticude):
    event = make_event(asticude, "Our workshop")
    event.submit(by=partner)
    response = client_for(coordinator).post(f"/en/review/events/{event.slug}/publish/")
    event.refresh_from_db()
    assert response.status_code == 302
    assert event.status == Status.PUBLISHED
    assert mail.outbox[0].to == [partner.email]


def test_a_never_reviewed_submission_lists_its_fields_as_new(coordinator, submitted, theme):
    submitted.themes.add(theme)
    content = client_for(coordinator).get(url(submitted)).content.decode()
    assert "<ins>Submitted practice</ins>" in content
    assert "<ins>Intercultural dialogue</ins>" in content
