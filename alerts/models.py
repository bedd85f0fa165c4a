"""E-mail alerts: a visitor's wish to get, daily or weekly, the practices newly published in a
list (its filters, as the list's URL holds them).

Only what sending needs is kept: the address, the language, the filters, the frequency and
three dates. A subscription is deleted, not marked, when its owner unsubscribes, and a request
never confirmed is deleted after ALERTS_CONFIRM_DAYS (`send_alerts`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

# A daily cron starts a few seconds later or earlier each day: a digest sent 23 h 59 min ago is
# due, or every other day would be skipped.
DUE_MARGIN = timedelta(hours=1)


def new_key() -> str:
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def due(self, now: datetime):
        """Confirmed subscriptions whose next digest may go: never sent one yet, or sent
        their last one a day (daily) or a week (weekly) ago."""
        never = Q(last_sent_at__isnull=True)
        periods = Q()
        for frequency, days in Subscription.PERIOD_DAYS.items():
            since = now - timedelta(days=days) + DUE_MARGIN
            periods |= Q(frequency=frequency, last_sent_at__lte=since)
        return self.confirmed().filter(never | periods)

    def stale_requests(self, now: datetime):
        """Requests never confirmed within ALERTS_CONFIRM_DAYS: their link has expired."""
        limit = now - timedelta(days=settings.ALERTS_CONFIRM_DAYS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=limit)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", pgettext_lazy("alerts", "Daily")
        WEEKLY = "weekly", pgettext_lazy("alerts", "Weekly")

    PERIOD_DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}

    # Random and secret: the signed links of the mails carry it (alerts/tokens.py). Not the
    # primary key, which SQLite may give again to a later subscription.
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    email = models.EmailField(pgettext_lazy("alerts", "e-mail address"), db_index=True)
    language = models.CharField(
        pgettext_lazy("alerts", "language"), max_length=8, choices=settings.LANGUAGES
    )
    #: The list's filters as a query string, canonical (alerts/filters.py saved_filters):
    #: identical lists give identical strings, so that a digest is computed once for all.
    filters = models.CharField(pgettext_lazy("alerts", "filters"), max_length=2000, blank=True)
    frequency = models.CharField(
        pgettext_lazy("alerts", "frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
    )
    created_at = models.DateTimeField(pgettext_lazy("alerts", "asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        pgettext_lazy("alerts", "confirmed at"), null=True, blank=True
    )
    last_sent_at = models.DateTimeField(
        pgettext_lazy("alerts", "last digest sent at"), null=True, blank=True
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("alerts", "e-mail alert")
        verbose_name_plural = pgettext_lazy("alerts", "e-mail alerts")
        indexes = [
            models.Index(fields=["confirmed_at", "last_sent_at"], name="alert_due"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.frequency}, {self.language})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def since(self) -> datetime:
        """The practices of the next digest are those published after this moment."""
        return self.last_sent_at or self.confirmed_at or self.created_at

    def confirm(self, now: datetime | None = None) -> None:
        """The owner of the address said yes. An alert of theirs on the same list in the same
        language is replaced by this one (asking again is how the frequency is changed)."""
        if self.is_confirmed:
            return
        self.confirmed_at = now or timezone.now()
        self.save(update_fields=["confirmed_at"])
        Subscription.objects.confirmed().filter(
            email=self.email, filters=self.filters, language=self.language
        ).exclude(pk=self.pk).delete()

    def siblings(self):
        """Every alert of the same address, this one included."""
        return Subscription.objects.filter(email=self.email).order_by("created_at", "pk")
