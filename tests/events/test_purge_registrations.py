"""purge_registrations deletes the registrations of events that ended over 30 days ago, and
no others."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from events.models import Registration
from tests.test_public_statuses import make_event


def _event_ended(asticude, title: str, days_ago: float):
    event = make_event(asticude, title)
    event.ends_at = timezone.now() - timedelta(days=days_ago)
    event.starts_at = event.ends_at - timedelta(hours=3)
    event.save()
    Registration.objects.create(
        event=event,
        name="P",
        email="p@example.org",
        consent=True,
        language="en",
        status="confirmed",
    )
    return event


def test_only_registrations_of_events_ended_over_30_days_ago_are_deleted(asticude, open_event):
    _event_ended(asticude, "Long ago", days_ago=31)
    recent = _event_ended(asticude, "Last week", days_ago=29)
    Registration.objects.create(
        event=open_event,
        name="Q",
        email="q@example.org",
        consent=True,
        language="en",
        status="confirmed",
    )
    out = StringIO()
    call_command("purge_registrations", stdout=out)
    remaining = set(Registration.objects.values_list("event__slug", flat=True))
    assert remaining == {recent.slug, open_event.slug}
    assert out.getvalue().startswith("Deleted 1 registrations")


def test_participant_counts_are_not_derived_from_registrations(asticude, open_event):
    Registration.objects.create(
        event=open_event,
        name="Q",
        email="q@example.org",
        consent=True,
        language="en",
        status="confirmed",
    )
    assert not open_event.participant_counts.exists()
