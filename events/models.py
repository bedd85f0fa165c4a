from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from publishing.workflow import Publishable, PublishableQuerySet, Status


class EventSeries(models.Model):
    """A recurring programme of events, e.g. "Migration Week Nador 2019"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.name


def calendar_since():
    """The start of the calendars' recent past: CALENDAR_PAST_DAYS ago."""
    return timezone.now() - timedelta(days=settings.CALENDAR_PAST_DAYS)


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "pk")

    def for_calendar(self):
        """What a calendar feed holds: the events to come and those that ended in the last
        CALENDAR_PAST_DAYS days. Calendar applications poll the feed often, and years of
        past events made every poll heavy (1.8 MB at 20,000 events) for nothing a calendar
        shows; the events list keeps them all, page by page."""
        return self.filter(ends_at__gte=calendar_since()).order_by("starts_at", "pk")


class Event(Publishable):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        DEBATE = "debate", _("Debate / conference")
        CULTURAL = "cultural", _("Cultural activity")
        MEDIA_CAMPAIGN = "media_campaign", _("Media campaign")
        MEETING = "meeting", _("Meeting")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    description = models.TextField(_("description"), blank=True)
    organisers = models.ManyToManyField(
        "stakeholders.Stakeholder",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
    )
    practices = models.ManyToManyField(
        "practices.Practice",
        verbose_name=_("related practices"),
        blank=True,
        related_name="events",
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    registration_open = models.BooleanField(
        _("registration open"),
        default=False,
        db_default=False,  # rows written without Django (restores, bulk loads) stay closed
        help_text=_("Visitors may register on the event's page once it is published."),
    )
    registration_capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Registrations beyond this number go on a waiting list."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: registration closes when the event starts."),
    )

    history = HistoricalRecords(m2m_fields=[organisers, practices])

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_open=False) | Q(registration_capacity__gte=1),
                name="event_open_registration_has_places",
                violation_error_message=_("An event open for registration needs places."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_starts"),
            models.Index(fields=["status", "ends_at"], name="event_status_ends"),
            models.Index(fields=["organisation", "status"], name="event_org_status"),
            # The numbers page counts published events by series and joins their participant
            # counts: from this index alone (an index-only scan), not the 20 MB of rows.
            models.Index(fields=["status", "series", "id"], name="event_status_series"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at

    def accepts_registrations(self) -> bool:
        """Open, published and before its deadline: the form is shown and taken."""
        return (
            self.registration_open
            and self.status == Status.PUBLISHED
            and timezone.now() < self.registration_closes_at
        )

    def places_left(self) -> int:
        taken = self.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return max(0, (self.registration_capacity or 0) - taken)


class EventCalendarText(models.Model):
    """One event's VEVENT in one language, as the calendar feeds write it (events/calendar.py
    feed()), kept so that a cold feed of hundreds of events is read rather than built: the
    icalendar library takes about 0.3 ms an event. A text serves only while its `stamp` is
    the event's `updated_at` and its `recipe` what the feed would build it with; any other
    is rebuilt, and stored again, by the next feed that holds the event. Nothing else writes
    them, so an edit needs no signal: it moves `updated_at`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="calendar_texts")
    language = models.CharField(max_length=10)
    stamp = models.DateTimeField()
    recipe = models.CharField(max_length=200)
    # The folded content lines before and after the URL, which alone depends on the request
    # (its scheme and host): kept unfolded, with a mark where the origin goes.
    before_url = models.TextField()
    url_line = models.TextField()
    after_url = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="one_calendar_text_per_event_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.language})"


class ParticipantCount(models.Model):
    """How many people of one category took part: no data about any individual."""

    class Category(models.TextChoices):
        NARRATIVE_CREATORS = "narrative_creators", _("Narrative creators / journalists")
        MIGRANTS = "migrants", _("Migrants")
        LOCAL_RESIDENTS = "local_residents", _("Local residents")
        OFFICIALS = "officials", _("Officials")
        STUDENTS = "students", _("Students")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_counts")
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["event", "category"]
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "category"], name="unique_participant_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.count}"


# Registrations are deleted this long after their event ends (manage.py purge_registrations).
REGISTRATION_KEPT_DAYS = 30


def new_cancel_token() -> str:
    return secrets.token_urlsafe(32)


class RegistrationRefused(Exception):
    """Why a registration was not taken, in words for the visitor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def expired(self):
        """Registrations of events that ended more than REGISTRATION_KEPT_DAYS ago."""
        since = timezone.now() - timedelta(days=REGISTRATION_KEPT_DAYS)
        return self.filter(event__ends_at__lt=since)

    def register(self, event: Event, **fields) -> Registration:
        """A place if one is left, else the waiting list. The event's row is locked while
        the places are counted, so two registrations at once cannot both take the last one."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event.pk)
            if not event.accepts_registrations():
                raise RegistrationRefused(_("Registration for this event is closed."))
            if event.registrations.filter(email__iexact=fields["email"]).exists():
                raise RegistrationRefused(
                    _("This e-mail address is already registered for this event.")
                )
            full = event.places_left() == 0
            status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
            return self.create(event=event, status=status, **fields)


class Registration(models.Model):
    """One person's place at an event: what the organisers need to welcome them and nothing
    about anyone's migration status or origin."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    access_needs = models.TextField(_("access needs"), max_length=1000, blank=True)
    consent = models.BooleanField(_("consent"), default=False)
    # The page's language when they registered: the language of every e-mail they get.
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancel_token = models.CharField(max_length=64, unique=True, default=new_cancel_token)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "event", name="one_registration_per_email_and_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    def cancel(self) -> list[Registration]:
        """Delete the registration; the first on the waiting list take any place it freed.
        Returns those promoted, whom the caller tells."""
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=self.event_id)
            self.delete()
            # Once the event has begun, nobody is called in from the waiting list.
            started = event.starts_at <= timezone.now()
            promoted = [] if started else list(event.registrations.waiting()[: event.places_left()])
            for registration in promoted:
                registration.status = Registration.Status.CONFIRMED
                registration.save(update_fields=["status"])
        return promoted
