"""A visitor registers for a published event: a place while there are some, then the waiting
list; one registration per e-mail address; none once registration is closed."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar

from events.models import Registration
from tests.events.conftest import register


def test_the_event_page_shows_the_form_and_the_places_left(visitor, open_event):
    response = visitor.get(f"/en/events/{open_event.slug}/")
    content = response.content.decode()
    assert f'action="/en/events/{open_event.slug}/register/"' in content
    assert "2 places left." in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "nationality" in content  # the sentence saying it is never asked


def test_a_visitor_registers_and_gets_a_confirmation_with_the_event_attached(
    visitor, open_event, mailoutbox
):
    response = register(visitor, open_event)
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/{open_event.slug}/#registration"
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.email) == ("Amina El Idrissi", "amina@example.org")
    assert registration.consent and registration.language == "en"
    [mail] = mailoutbox
    assert mail.to == ["amina@example.org"]
    assert mail.subject == "Registered: Migration Week workshop"
    assert f"/en/events/registrations/{registration.cancel_token}/cancel/" in mail.body
    [(name, content, mimetype)] = mail.attachments
    assert name == f"{open_event.slug}.ics" and mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert str(event["summary"]) == "Migration Week workshop"
    assert event.decoded("dtstart") == open_event.starts_at.replace(microsecond=0)
    page = visitor.get(response["Location"]).content.decode()
    assert "You are registered." in page and "1 place left." in page


def test_the_confirmation_is_in_the_language_of_the_page(visitor, open_event, mailoutbox):
    register(visitor, open_event, language="fr")
    registration = Registration.objects.get()
    assert registration.language == "fr"
    assert mailoutbox[0].subject == "Inscription confirmée : Migration Week workshop"
    assert f"/fr/events/registrations/{registration.cancel_token}/cancel/" in mailoutbox[0].body


def test_a_full_event_puts_the_visitor_on_the_waiting_list_and_says_so(
    visitor, open_event, mailoutbox
):
    register(visitor, open_event, email="one@example.org")
    register(visitor, open_event, email="two@example.org")
    page = visitor.get(f"/en/events/{open_event.slug}/").content.decode()
    assert "The event is full." in page and "Join the waiting list" in page
    response = register(visitor, open_event, email="three@example.org")
    assert response.status_code == 302
    third = Registration.objects.get(email="three@example.org")
    assert third.status == Registration.Status.WAITING
    assert open_event.places_left() == 0
    assert "you are on the waiting list" in visitor.get(response["Location"]).content.decode()
    assert mailoutbox[-1].subject == "Waiting list: Migration Week workshop"
    assert "you are on its waiting list" in mailoutbox[-1].body


def test_the_same_address_cannot_register_twice_for_an_event(visitor, open_event, mailoutbox):
    register(visitor, open_event)
    response = register(visitor, open_event, email="Amina@Example.org", name="Amina again")
    assert response.status_code == 400
    content = response.content.decode()
    assert "This e-mail address is already registered for this event." in content
    assert 'value="Amina again"' in content
    assert Registration.objects.count() == 1 and len(mailoutbox) == 1


def test_after_the_deadline_there_is_no_form_and_a_registration_is_refused(
    visitor, open_event, mailoutbox
):
    open_event.registration_deadline = timezone.now() - timedelta(minutes=1)
    open_event.save()
    page = visitor.get(f"/en/events/{open_event.slug}/").content.decode()
    assert "Registration for this event is closed." in page
    assert "/register/" not in page
    response = register(visitor, open_event)
    assert response.status_code == 400
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.exists() and mailoutbox == []


def test_a_closed_registration_shows_no_form_and_is_refused(visitor, open_event, mailoutbox):
    open_event.registration_open = False
    open_event.save()
    page = visitor.get(f"/en/events/{open_event.slug}/").content.decode()
    assert "/register/" not in page and 'id="registration"' not in page
    response = register(visitor, open_event)
    assert response.status_code == 400
    assert "Registration for this event is closed." in response.content.decode()
    assert not Registration.objects.exists() and mailoutbox == []


def test_an_event_that_has_started_takes_no_registration(visitor, open_event):
    open_event.starts_at = timezone.now() - timedelta(hours=1)
    open_event.save()
    assert register(visitor, open_event).status_code == 400
    assert not Registration.objects.exists()


def test_an_unpublished_event_takes_no_registration(visitor, open_event):
    open_event.status = "draft"
    open_event.save()
    assert register(visitor, open_event).status_code == 404
    assert not Registration.objects.exists()


def test_the_page_says_when_registration_closes_in_arabic(visitor, open_event):
    content = visitor.get(f"/ar/events/{open_event.slug}/").content.decode()
    assert 'dir="rtl"' in content
    assert "التسجيل" in content


def test_each_address_may_send_a_limited_number_of_registrations(
    visitor, open_event, settings, mailoutbox
):
    settings.REGISTRATION_ADDRESS_LIMIT = 2
    open_event.registration_capacity = 10
    open_event.save()
    for number in range(2):
        assert register(visitor, open_event, email=f"p{number}@example.org").status_code == 302
    response = register(visitor, open_event, email="p3@example.org", name="Third person")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    content = response.content.decode()
    assert "Too many registrations from your connection" in content
    assert 'value="Third person"' in content
    assert Registration.objects.count() == 2 and len(mailoutbox) == 2
