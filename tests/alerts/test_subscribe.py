"""Subscribing to a list: the link on the lists, the page, the double opt-in."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from alerts.models import Subscription
from tests.alerts.helpers import confirm_from, links_in, path_of, subscribe
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def alerts_link(response) -> str:
    [href] = re.findall(r'<a href="([^"]*)" class="alerts-link">', response.content.decode())
    return html.unescape(href)


def test_the_practice_list_links_to_an_alert_with_its_filters_and_search(client, theme):
    response = client.get(
        reverse("practices:list"), {"theme": theme.slug, "q": "water", "sort": "title"}
    )
    href = alerts_link(response)
    assert href.startswith(reverse("alerts:subscribe"))
    assert parse_qs(urlsplit(href).query) == {"theme": [theme.slug], "q": ["water"]}


def test_a_theme_page_links_to_an_alert_on_its_theme(client, theme):
    response = client.get(reverse("practices:theme", kwargs={"slug": theme.slug}))
    href = alerts_link(response)
    assert parse_qs(urlsplit(href).query) == {"theme": [theme.slug]}


def test_the_subscribe_page_says_the_filters_in_words(client, theme):
    response = client.get(reverse("alerts:subscribe"), {"theme": theme.slug, "country": "MA"})
    assert response.status_code == 200
    chips = response.content.decode().split('class="chips"')[1].split("</div>")[0]
    labels = re.sub(r"<[^>]+>", " ", chips)
    assert "Intercultural dialogue" in labels and "Morocco" in labels


def test_a_request_sends_one_confirmation_in_the_pages_language_and_nothing_else(
    client, theme, mailoutbox
):
    response = subscribe(client, f"theme={theme.slug}", language="fr")
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:sent")
    subscription = Subscription.objects.get()
    assert subscription.language == "fr" and subscription.filters == f"theme={theme.slug}"
    assert subscription.confirmed_at is None
    [mail] = mailoutbox
    assert mail.to == ["reader@example.org"]
    assert mail.subject.startswith("Confirmez votre alerte")
    assert "/fr/alerts/confirm/" in mail.body


def test_only_the_filters_the_list_accepts_are_saved_in_a_canonical_order(client, theme):
    subscribe(client, f"sort=title&page=3&foo=bar&country=MA&theme={theme.slug}&q=%20Water%20")
    assert Subscription.objects.get().filters == f"theme={theme.slug}&country=MA&q=Water"


def test_confirming_asks_for_a_button_and_opens_the_alerts_of_the_address(
    client, theme, mailoutbox
):
    subscribe(client, f"theme={theme.slug}")
    url = path_of(links_in(mailoutbox[0])[0])
    client.get(url)
    assert Subscription.objects.get().confirmed_at is None  # never on GET: scanners follow links
    subscription = confirm_from(client, mailoutbox[0])
    page = client.get(client.post(url).url)
    assert page.status_code == 200
    assert b"Intercultural dialogue" in page.content
    assert subscription.last_sent_at is None


def test_confirming_again_replaces_the_alert_on_the_same_list(client, theme, mailoutbox):
    subscribe(client, f"theme={theme.slug}")
    confirm_from(client, mailoutbox[0])
    subscribe(client, f"theme={theme.slug}", frequency="weekly")
    url = path_of(links_in(mailoutbox[1])[0])
    client.post(url)
    [alert] = Subscription.objects.all()
    assert alert.frequency == "weekly" and alert.confirmed_at is not None


def test_an_alert_on_all_practices_is_possible(client, mailoutbox):
    assert client.get(reverse("alerts:subscribe")).status_code == 200
    assert subscribe(client).status_code == 302
    assert Subscription.objects.get().filters == ""


def test_the_list_shows_no_practice_an_alert_has_not_published(client, asticude, theme):
    """The page is about the list, not its content: a draft's title never shows."""
    draft = make_practice(asticude, "Secret draft", status="draft")
    draft.themes.add(theme)
    response = client.get(reverse("alerts:subscribe"), {"theme": theme.slug})
    assert b"Secret draft" not in response.content
