"""The digests of `send_alerts`: for each due subscription, the practices published since its
last digest that its filters select, in its language.

Subscriptions with the same filters and language form a group whose practices are found
once: a few queries per group (the FilterSet's checks of its values, the practices, their
translations, one UPDATE), none per subscriber and none per practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.core.mail import get_connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from alerts.emails import absolute, digest_message
from alerts.filters import filterset_of
from alerts.models import Subscription
from practices.feeds import filter_labels
from practices.languages import localise
from practices.models import Practice

# The newest practices a digest lists; the rest are a link to the list away.
DIGEST_LIMIT = 50
FIELDS = ["title", "slug", "summary", "city", "country", "language", "published_at"]


@dataclass
class Report:
    checked: int = 0
    sent: int = 0
    deleted_requests: int = 0


def new_practices(filters: str, since: datetime, until: datetime) -> tuple[list[Practice], list]:
    """The practices published in (since, until] that `filters` select, newest first, at most
    DIGEST_LIMIT + 1 (one more says there are more), in the active language; and the filters
    in words. Nothing for filters that are no longer valid (a theme deleted since)."""
    published = Practice.objects.published().filter(published_at__gt=since, published_at__lte=until)
    filterset = filterset_of(QueryDict(filters), published)
    if not filterset.is_valid():
        return [], []
    found = filterset.qs.order_by("-published_at", "pk").only(*FIELDS)[: DIGEST_LIMIT + 1]
    practices = localise(found, translation.get_language())
    for practice in practices:
        practice.url = absolute(practice.get_absolute_url())
    return practices, filter_labels(filterset)


def _list_url(filters: str) -> str:
    return absolute(reverse("practices:list") + (f"?{filters}" if filters else ""))


def _messages(group: list[Subscription], now: datetime) -> list:
    since = min(subscription.since for subscription in group)
    practices, labels = new_practices(group[0].filters, since, now)
    messages = []
    for subscription in group:
        mine = [p for p in practices if p.published_at > subscription.since]
        if not mine:
            continue
        context = {
            "practices": mine[:DIGEST_LIMIT],
            "more": len(mine) > DIGEST_LIMIT,
            "labels": labels,
            "list_url": _list_url(subscription.filters),
        }
        message = digest_message(subscription, context)
        message.subscription = subscription
        messages.append(message)
    return messages


def send_due(now: datetime) -> Report:
    """Send the digests due at `now`; delete the requests never confirmed."""
    report = Report()
    report.deleted_requests, _ = Subscription.objects.stale_requests(now).delete()
    due = Subscription.objects.due(now).order_by("filters", "language", "pk")
    connection = get_connection()
    for (_filters, language), group in groupby(due, key=lambda s: (s.filters, s.language)):
        group = list(group)
        report.checked += len(group)
        with translation.override(language):
            messages = _messages(group, now)
        if not messages:
            continue
        # Marked after sending: a failure midway stops the run and the group is tried again
        # at the next one (a digest twice at worst, never one lost).
        connection.send_messages(messages)
        sent = [message.subscription.pk for message in messages]
        Subscription.objects.filter(pk__in=sent).update(last_sent_at=now)
        report.sent += len(sent)
    return report
