"""Partners open registration in the workspace's event form: places are needed, and the
deadline comes before the event ends."""

from datetime import timedelta

from events.models import Event
from tests.test_public_statuses import make_event
from tests.workspace_helpers import client_for, event_data


def _edit(user, event, **changes):
    data = event_data(event, user, **changes)
    return client_for(user).post(f"/en/workspace/events/{event.slug}/edit/", data)


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_partner_opens_registration_with_places_and_a_deadline(partner, asticude):
    event = make_event(asticude, "Workshop", status="draft")
    deadline = event.starts_at - timedelta(days=1)
    response = _edit(
        partner,
        event,
        registration_open="on",
        registration_capacity="30",
        registration_deadline=_local(deadline),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.registration_open and event.registration_capacity == 30
    assert event.registration_deadline == deadline.replace(second=0, microsecond=0)


def test_open_registration_without_places_is_refused(partner, asticude):
    event = make_event(asticude, "Workshop", status="draft")
    response = _edit(partner, event, registration_open="on", registration_capacity="")
    assert response.status_code == 400
    assert "An event open for registration needs places." in response.content.decode()
    assert not Event.objects.get(pk=event.pk).registration_open


def test_zero_places_are_refused(partner, asticude):
    event = make_event(asticude, "Workshop", status="draft")
    response = _edit(partner, event, registration_open="on", registration_capacity="0")
    assert response.status_code == 400
    assert not Event.objects.get(pk=event.pk).registration_open


def test_a_deadline_after_the_end_is_refused(partner, asticude):
    event = make_event(asticude, "Workshop", status="draft")
    late = _local(event.ends_at + timedelta(hours=1))
    response = _edit(
        partner,
        event,
        registration_open="on",
        registration_capacity="5",
        registration_deadline=late,
    )
    assert response.status_code == 400
    assert "Registration must close before the event ends." in response.content.decode()
    assert Event.objects.get(pk=event.pk).registration_deadline is None
