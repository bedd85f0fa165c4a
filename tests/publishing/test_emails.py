"""One function per email: who gets it, in which language, and what it says."""

import pytest
from django.core import mail
from django.test import RequestFactory

from practices.models import Status
from publishing import emails
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_by(rf: RequestFactory):
    def make(user):
        request = rf.get("/")
        request.user = user
        return request

    return make


def test_a_submission_goes_to_the_coordinators_with_a_link_to_review(
    request_by, partner, coordinator, superuser, draft_practice
):
    emails.send_submitted(request_by(partner), draft_practice)
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([coordinator.email, superuser.email])
    assert message.subject == "Submitted for review: Draft practice of ASTICUDE"
    assert "http://testserver/en/review/practices/draft-practice-of-asticude/" in message.body
    assert "partner of ASTICUDE" in message.body


def test_an_approval_goes_to_the_organisations_members_only(
    request_by, partner, outsider, coordinator, published_practice
):
    emails.send_approved(request_by(coordinator), published_practice)
    (message,) = mail.outbox
    assert message.to == [partner.email]
    assert "http://testserver/en/practices/published-practice-of-asticude/" in message.body


def test_a_request_for_changes_carries_the_comment(request_by, partner, coordinator, asticude):
    practice = make_practice(asticude, "Returned", status=Status.SUBMITTED)
    practice.request_changes(by=coordinator, comment="Please add the dates.")
    emails.send_changes_requested(request_by(coordinator), practice)
    (message,) = mail.outbox
    assert message.to == [partner.email]
    assert "Please add the dates." in message.body
    assert "/en/workspace/practices/returned/edit/" in message.body


def test_an_email_to_an_organisation_is_written_in_the_language_of_the_practice(
    request_by, partner, coordinator, asticude
):
    practice = make_practice(asticude, "Guichet unique", language="fr")
    emails.send_approved(request_by(coordinator), practice)
    assert "/fr/practices/guichet-unique/" in mail.outbox[0].body


def test_an_edit_of_a_published_practice_goes_to_the_coordinators(
    request_by, partner, coordinator, published_practice
):
    emails.send_published_edited(request_by(partner), published_practice)
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert "stays published" in message.body
    assert "/en/workspace/practices/published-practice-of-asticude/history/" in message.body


def test_no_email_is_sent_when_nobody_should_get_it(request_by, coordinator, acpp):
    practice = make_practice(acpp, "Nobody home")
    assert emails.send_approved(request_by(coordinator), practice) == 0
    assert mail.outbox == []


def test_emails_escape_nothing_and_inject_no_markup(request_by, partner, coordinator, asticude):
    practice = make_practice(asticude, "Fish & chips <b>", status=Status.SUBMITTED)
    emails.send_submitted(request_by(partner), practice)
    assert "Fish & chips <b>" in mail.outbox[0].subject
    assert "&amp;" not in mail.outbox[0].body
