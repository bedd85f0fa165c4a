"""Cancelling by the link of the e-mail: GET asks, POST cancels, and a place freed goes to
the first person on the waiting list, who is told."""

from datetime import timedelta

from django.utils import timezone

from events.models import Registration
from tests.events.conftest import register


def _fill(visitor, event, count: int) -> list[Registration]:
    for number in range(count):
        register(visitor, event, email=f"person{number}@example.org", name=f"Person {number}")
    return list(Registration.objects.order_by("created_at", "pk"))


def test_opening_the_link_asks_before_cancelling(visitor, open_event):
    [registration] = _fill(visitor, open_event, 1)
    response = visitor.get(f"/en/events/registrations/{registration.cancel_token}/cancel/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "do you want to cancel your registration for “Migration Week workshop”" in content
    assert 'method="post"' in content and '<meta name="robots" content="noindex">' in content
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_cancelling_promotes_the_first_on_the_waiting_list_and_tells_them(
    visitor, open_event, mailoutbox
):
    first, _second, third, fourth = _fill(visitor, open_event, 4)
    assert [third.status, fourth.status] == ["waiting", "waiting"]
    mailoutbox.clear()
    response = visitor.post(f"/en/events/registrations/{first.cancel_token}/cancel/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/{open_event.slug}/"
    assert not Registration.objects.filter(pk=first.pk).exists()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == "confirmed" and fourth.status == "waiting"
    [mail] = mailoutbox
    assert mail.to == ["person2@example.org"]
    assert mail.subject == "A place for you: Migration Week workshop"
    assert f"/registrations/{third.cancel_token}/cancel/" in mail.body
    assert mail.attachments[0][0] == f"{open_event.slug}.ics"
    assert "Your registration is cancelled." in visitor.get(response["Location"]).content.decode()


def test_the_promotion_e_mail_is_in_the_language_the_person_registered_in(
    visitor, open_event, mailoutbox
):
    _fill(visitor, open_event, 2)
    register(visitor, open_event, language="es", email="ana@example.org")
    first = Registration.objects.order_by("created_at", "pk").first()
    mailoutbox.clear()
    visitor.post(f"/en/events/registrations/{first.cancel_token}/cancel/")
    assert mailoutbox[0].to == ["ana@example.org"]
    assert mailoutbox[0].subject == "Una plaza para usted: Migration Week workshop"


def test_leaving_the_waiting_list_promotes_nobody(visitor, open_event, mailoutbox):
    *_confirmed, waiting, last = _fill(visitor, open_event, 4)
    mailoutbox.clear()
    visitor.post(f"/en/events/registrations/{waiting.cancel_token}/cancel/")
    last.refresh_from_db()
    assert last.status == "waiting" and mailoutbox == []
    assert Registration.objects.count() == 3


def test_nobody_is_called_in_once_the_event_has_begun(visitor, open_event, mailoutbox):
    first, _second, third = _fill(visitor, open_event, 3)
    open_event.starts_at = timezone.now() - timedelta(minutes=5)
    open_event.save()
    mailoutbox.clear()
    visitor.post(f"/en/events/registrations/{first.cancel_token}/cancel/")
    third.refresh_from_db()
    assert third.status == "waiting" and mailoutbox == []


def test_a_used_or_unknown_link_is_not_found(visitor, open_event):
    [registration] = _fill(visitor, open_event, 1)
    url = f"/en/events/registrations/{registration.cancel_token}/cancel/"
    assert visitor.post(url).status_code == 302
    assert visitor.get(url).status_code == 404
    assert visitor.post(url).status_code == 404
    assert visitor.get("/en/events/registrations/guess/cancel/").status_code == 404


def test_a_cancellation_after_the_event_was_unpublished_goes_to_the_event_list(visitor, open_event):
    [registration] = _fill(visitor, open_event, 1)
    open_event.status = "archived"
    open_event.save()
    response = visitor.post(f"/en/events/registrations/{registration.cancel_token}/cancel/")
    assert response["Location"] == "/en/events/"
    assert not Registration.objects.exists()


def test_the_cancel_link_needs_a_csrf_token_to_cancel(open_event, visitor, client):
    [registration] = _fill(visitor, open_event, 1)
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/en/events/registrations/{registration.cancel_token}/cancel/")
    assert response.status_code == 403
    assert Registration.objects.exists()
