"""A visitor's message about a practice ("contact the organisation / I want to replicate
this practice"): sent by e-mail, kept for the coordinators, deleted after a year
(`manage.py purge_contact_requests`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class ContactRequestQuerySet(models.QuerySet):
    def cities_count(self) -> int:
        """Distinct (city, country) pairs, whatever the case or spaces the visitors typed."""
        return (
            self.annotate(city_key=Lower(Trim("city")))
            .values("city_key", "country")
            .distinct()
            .count()
        )

    def expired(self, now=None) -> ContactRequestQuerySet:
        """Messages past their keeping time (CONTACT_RETENTION_DAYS)."""
        now = now or timezone.now()
        return self.filter(created_at__lt=now - timedelta(days=settings.CONTACT_RETENTION_DAYS))


class ContactRequest(models.Model):
    """What a visitor wrote, and where it was sent. The sender's address is shown to the
    coordinators only; the organisation answers through the e-mail's Reply-To."""

    class SentTo(models.TextChoices):
        ORGANISATION = "organisation", _("The organisation's contact address")
        COORDINATORS = "coordinators", _("The coordinators")

    practice = models.ForeignKey(
        "practices.Practice",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="contact_requests",
    )
    # The lead organisation when it was sent: whose partners may read it.
    organisation = models.ForeignKey(
        "stakeholders.Stakeholder",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("your e-mail address"))
    sender_organisation = models.CharField(_("your organisation"), max_length=200, blank=True)
    city = models.CharField(_("your city"), max_length=100)
    country = CountryField(_("your country"))
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    sent_to = models.CharField(_("sent to"), max_length=20, choices=SentTo.choices)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        indexes = [models.Index(fields=["practice", "country"], name="contact_practice_country")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city}) → {self.practice_id}"
