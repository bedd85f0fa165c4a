"""`manage.py purge_contact_requests`: visitors' messages are kept twelve months."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contact.models import ContactRequest
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def message(practice, days_ago: int, city: str) -> ContactRequest:
    return ContactRequest.objects.create(
        practice=practice,
        name="Visitor",
        email="visitor@example.net",
        city=city,
        country="MA",
        message="Hello",
        language="en",
        sent_to=ContactRequest.SentTo.COORDINATORS,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_purge_deletes_only_messages_older_than_twelve_months(asticude):
    practice = make_practice(asticude, "Welcome desk")
    message(practice, 366, "Old")
    message(practice, 400, "Older")
    kept = [message(practice, 364, "Recent"), message(practice, 0, "Today")]
    out = StringIO()
    call_command("purge_contact_requests", stdout=out)
    assert list(ContactRequest.objects.order_by("pk")) == kept
    assert out.getvalue().strip() == "Deleted 2 contact requests past their keeping time."


def test_the_keeping_time_is_a_setting(asticude, settings):
    settings.CONTACT_RETENTION_DAYS = 30
    practice = make_practice(asticude, "Welcome desk")
    message(practice, 31, "Old")
    recent = message(practice, 29, "Recent")
    call_command("purge_contact_requests", stdout=StringIO())
    assert list(ContactRequest.objects.all()) == [recent]


def test_purged_messages_no_longer_count_as_cities_asking(client, asticude):
    practice = make_practice(asticude, "Welcome desk")
    message(practice, 400, "Old")
    assert "Asked about by 1 city" in client.get(practice.get_absolute_url()).content.decode()
    call_command("purge_contact_requests", stdout=StringIO())
    assert "Asked about by" not in client.get(practice.get_absolute_url()).content.decode()
