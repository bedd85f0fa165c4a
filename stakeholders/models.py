from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class StakeholderKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality or local government")
    NGO = "ngo", _("NGO")
    MIGRANT_COLLECTIVE = "migrant_collective", _("Migrant collective")
    MEDIA = "media", _("Media / journalists")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    INTERNATIONAL = "international", _("International organisation")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class Stakeholder(models.Model):
    """An organisation taking part in practices and events. Never an individual person."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=StakeholderKind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Where visitors' messages about its practices go (contact/): never shown on a page, in
    # the API, the exports or the open data, so that it cannot be harvested.
    contact_email = models.EmailField(
        _("contact address (never published)"),
        blank=True,
        help_text=_(
            "Messages from visitors about this organisation's practices are sent here. "
            "It is never shown on the site."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        indexes = [models.Index(fields=["kind", "name"], name="stakeholder_kind_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """A user acting for an organisation: what makes a user a partner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["stakeholder__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "stakeholder"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.stakeholder}"
