from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from publishing.workflow import Publishable, PublishableQuerySet


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


CALENDAR_PAST_DAYS = 365


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def for_calendar(self):
        """What the calendar feed holds: events that ended less than a year ago and all
        those to come. Calendar applications poll the feed often, and years of past events
        would make every poll heavy for nothing a calendar shows."""
        since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
        return self.filter(ends_at__gte=since).order_by("starts_at", "pk")


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
            )
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_starts"),
            models.Index(fields=["status", "ends_at"], name="event_status_ends"),
            models.Index(fields=["organisation", "status"], name="event_org_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})


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
