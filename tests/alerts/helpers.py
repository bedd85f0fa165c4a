"""Subscribing and confirming as a visitor does, through the pages and the mails."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from alerts.models import Subscription

LINK = re.compile(r"https?://\S+")


def subscribe(client, query: str = "", email: str = "reader@example.org", language="en", **data):
    with translation.override(language):
        url = reverse("alerts:subscribe")
    return client.post(
        f"{url}?{query}" if query else url,
        {"email": email, "frequency": "daily", "website": "", **data},
    )


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def confirm_from(client, mail) -> Subscription:
    """Follow the confirmation link of `mail` and press its button."""
    url = path_of(links_in(mail)[0])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    return Subscription.objects.get(email=mail.to[0], confirmed_at__isnull=False)
