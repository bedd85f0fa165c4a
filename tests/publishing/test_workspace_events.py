"""The partner workspace for events: same rules as practices, with organisers and
participant counts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from events.models import Event, ParticipantCount
from practices.models import Status
from tests.workspace_helpers import client_for, empty_formsets, event_data

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Africa/Casablanca")


def make_event(organisation, title: str, status=Status.DRAFT) -> Event:
    return Event.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        kind="workshop",
        starts_at=datetime(2026, 12, 14, 9, tzinfo=TZ),
        ends_at=datetime(2026, 12, 14, 17, tzinfo=TZ),
        country="MA",
        organisation=organisation,
        status=status,
    )


def url(name: str, event) -> str:
    return f"/en/workspace/events/{event.slug}/{name}/"


def new_event_data(organisation, **changes) -> dict:
    return {
        "title": "Workshop on fair reporting",
        "organisation": organisation.pk,
        "kind": "workshop",
        "starts_at": "2026-12-14T09:00",
        "ends_at": "2026-12-14T17:00",
        "country": "MA",
        **empty_formsets("participants"),
        **changes,
    }


def test_partner_adds_an_event_with_organisers_and_participant_counts(partner, asticude, acpp):
    data = new_event_data(
        asticude,
        organisers=[asticude.pk, acpp.pk],
        **{
            "participants-TOTAL_FORMS": "1",
            "participants-0-category": "migrants",
            "participants-0-count": "25",
        },
    )
    response = client_for(partner).post("/en/workspace/events/new/", data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.status == Status.DRAFT
    assert event.created_by == partner
    assert set(event.organisers.all()) == {asticude, acpp}
    assert ParticipantCount.objects.get(event=event).count == 25
    assert event.starts_at == datetime(2026, 12, 14, 9, tzinfo=TZ)


def test_an_event_that_ends_before_it_starts_is_refused_with_the_typed_data(partner, asticude):
    data = new_event_data(asticude, title="Backwards", ends_at="2026-12-13T09:00")
    response = client_for(partner).post("/en/workspace/events/new/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "An event cannot end before it starts." in content
    assert 'value="Backwards"' in content
    assert not Event.objects.exists()


def test_a_negative_participant_count_is_refused(partner, asticude):
    data = new_event_data(
        asticude,
        **{
            "participants-TOTAL_FORMS": "1",
            "participants-0-category": "migrants",
            "participants-0-count": "-3",
        },
    )
    response = client_for(partner).post("/en/workspace/events/new/", data)
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_partner_edits_and_submits_their_event(partner, coordinator, asticude):
    event = make_event(asticude, "Our workshop")
    client = client_for(partner)
    data = event_data(event, partner, venue="Cultural centre", submit="")
    response = client.post(url("edit", event), data)
    event.refresh_from_db()
    assert response.status_code == 302
    assert event.venue == "Cultural centre"
    assert event.status == Status.SUBMITTED
    assert mail.outbox[0].to == [coordinator.email]


def test_a_stale_event_form_is_refused(partner, asticude):
    event = make_event(asticude, "Our workshop")
    first = event_data(event, partner, venue="First")
    second = event_data(event, partner, venue="Second")
    client = client_for(partner)
    client.post(url("edit", event), first)
    response = client.post(url("edit", event), second)
    event.refresh_from_db()
    assert response.status_code == 409
    assert event.venue == "First"


def test_outsider_gets_404_for_another_organisations_draft_event(outsider, partner, asticude):
    event = make_event(asticude, "Our workshop")
    client = client_for(outsider)
    for name in ("edit", "preview", "history"):
        assert client.get(url(name, event)).status_code == 404
    assert client.post(url("edit", event), event_data(event, partner, title="X")).status_code == 404
    assert client.post(url("submit", event)).status_code == 404
    assert client.post(url("archive", event)).status_code == 404
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.status, stored.history.count()) == ("Our workshop", "draft", 1)


def test_anonymous_visitor_is_sent_to_sign_in_for_events(client, asticude):
    event = make_event(asticude, "Our workshop")
    assert client.get("/en/workspace/events/new/").status_code == 302
    assert client.get(url("edit", event)).status_code == 302
    assert client.post(url("submit", event)).status_code == 302
    assert Event.objects.get().status == Status.DRAFT


def test_partner_previews_a_draft_event_with_the_public_template(partner, asticude):
    event = make_event(asticude, "Our workshop")
    response = client_for(partner).get(url("preview", event))
    assert response.status_code == 200
    assert "events/event_detail.html" in [t.name for t in response.templates]
    assert "preview-banner" in response.content.decode()


def test_partner_archives_their_event(partner, asticude):
    event = make_event(asticude, "Our workshop", status=Status.PUBLISHED)
    client_for(partner).post(url("archive", event))
    event.refresh_from_db()
    assert event.status == Status.ARCHIVED


def test_the_related_practices_offered_are_those_of_the_organisations_involved(
    partner, asticude, acpp
):
    from events.forms import EventForm
    from tests.conftest import make_practice

    ours = make_practice(asticude, "Our draft practice", status=Status.DRAFT)
    theirs = make_practice(acpp, "Their published practice")
    event = make_event(asticude, "Welcome fair")
    event.practices.add(theirs)  # linked earlier: stays offered so it is not lost on save
    offered = set(EventForm(instance=event, user=partner).fields["practices"].queryset)
    assert offered == {ours, theirs}
    fresh = set(EventForm(user=partner).fields["practices"].queryset)
    assert fresh == {ours}
