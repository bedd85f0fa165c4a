"""`manage.py send_alerts`: one digest per due subscriber, of what is new in its list, in its
language, with the headers of one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Subscription
from practices.models import Theme
from publishing.workflow import Status
from tests.alerts.helpers import confirm_from, subscribe
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def send_alerts() -> str:
    out = StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def published(organisation, title, theme, coordinator, **fields):
    """A practice submitted, then published by a coordinator, as the review does it."""
    practice = make_practice(organisation, title, status=Status.SUBMITTED, **fields)
    practice.themes.add(theme)
    practice.publish(by=coordinator)
    return practice


@pytest.fixture
def other_theme(db) -> Theme:
    return Theme.objects.create(name="Health", slug="health")


@pytest.fixture
def confirmed(client, theme, mailoutbox):
    """A visitor subscribed to the theme from its French page, and confirmed."""
    theme.name_fr = "Dialogue interculturel"
    theme.save()
    subscribe(client, f"theme={theme.slug}", language="fr")
    subscription = confirm_from(client, mailoutbox[0])
    mailoutbox.clear()
    return subscription


def test_a_new_practice_of_the_theme_comes_in_one_digest_in_the_subscriptions_language(
    confirmed, asticude, theme, other_theme, coordinator, mailoutbox
):
    old = make_practice(asticude, "Published before", published_at=timezone.now() - timedelta(1))
    old.themes.add(theme)
    elsewhere = published(asticude, "Clinic for all", other_theme, coordinator)
    new = published(asticude, "Language cafe", theme, coordinator)
    new.translations.create(
        language="fr", title="Café des langues", summary="Résumé.", status=Status.PUBLISHED
    )
    output = send_alerts()
    [mail] = mailoutbox
    assert mail.to == [confirmed.email]
    assert "1 nouvelle pratique" in mail.subject
    assert "Café des langues" in mail.body and "/fr/practices/language-cafe/" in mail.body
    assert "Dialogue interculturel" in mail.body
    assert old.title not in mail.body and elsewhere.title not in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and "Café des langues" in html and 'lang="fr"' in html
    unsubscribe = mail.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/fr/alerts/unsubscribe/" in unsubscribe
    assert unsubscribe[1:-1] in mail.body  # and the link in the mail itself
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/fr/alerts/manage/" in mail.body
    assert "1 digests sent" in output


def test_a_second_run_sends_nothing(confirmed, asticude, theme, coordinator, mailoutbox):
    published(asticude, "Language cafe", theme, coordinator)
    send_alerts()
    assert len(mailoutbox) == 1
    send_alerts()
    assert len(mailoutbox) == 1


def test_nothing_is_sent_when_nothing_is_new(confirmed, mailoutbox):
    assert "0 digests sent" in send_alerts()
    assert mailoutbox == []


def test_a_daily_alert_is_due_a_day_after_its_last_digest(
    confirmed, asticude, theme, coordinator, mailoutbox
):
    Subscription.objects.update(last_sent_at=timezone.now() - timedelta(hours=12))
    published(asticude, "Language cafe", theme, coordinator)
    send_alerts()
    assert mailoutbox == []
    Subscription.objects.update(last_sent_at=timezone.now() - timedelta(days=1))
    send_alerts()
    assert len(mailoutbox) == 1


def test_a_weekly_alert_is_not_due_after_one_day(
    confirmed, asticude, theme, coordinator, mailoutbox
):
    Subscription.objects.update(frequency="weekly", last_sent_at=timezone.now() - timedelta(1))
    published(asticude, "Language cafe", theme, coordinator)
    send_alerts()
    assert mailoutbox == []
    Subscription.objects.update(last_sent_at=timezone.now() - timedelta(days=7))
    send_alerts()
    assert len(mailoutbox) == 1


def test_nothing_is_sent_before_confirmation_and_old_requests_are_deleted(
    client, asticude, theme, coordinator, mailoutbox, settings
):
    subscribe(client, f"theme={theme.slug}")
    mailoutbox.clear()
    published(asticude, "Language cafe", theme, coordinator)
    send_alerts()
    assert mailoutbox == []
    Subscription.objects.update(
        created_at=timezone.now() - timedelta(days=settings.ALERTS_CONFIRM_DAYS, hours=1)
    )
    assert "1 unconfirmed requests deleted" in send_alerts()
    assert not Subscription.objects.exists()


def _subscribers(theme, count: int, start: int = 0) -> None:
    now = timezone.now() - timedelta(days=2)
    for n in range(start, start + count):
        Subscription.objects.create(
            email=f"r{n}@example.org",
            language=["en", "fr"][n % 2],
            filters=f"theme={theme.slug}" if n % 3 else "",
            frequency="daily",
            confirmed_at=now,
        )


def _queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as queries:
        send_alerts()
    return len(queries)


def test_the_queries_of_a_run_do_not_grow_with_practices_nor_subscribers(
    asticude, theme, coordinator, mailoutbox
):
    _subscribers(theme, 6)
    published(asticude, "First", theme, coordinator)
    few = _queries_of_a_run()
    assert len(mailoutbox) == 6
    Subscription.objects.update(last_sent_at=None)
    _subscribers(theme, 12, start=6)
    for n in range(8):
        published(asticude, f"Practice {n}", theme, coordinator)
    mailoutbox.clear()
    many = _queries_of_a_run()
    assert len(mailoutbox) == 18
    assert many == few


def test_an_alert_whose_theme_was_deleted_sends_nothing(
    confirmed, asticude, theme, coordinator, mailoutbox
):
    published(asticude, "Language cafe", theme, coordinator)
    Theme.objects.filter(pk=theme.pk).delete()
    send_alerts()
    assert mailoutbox == []


def test_the_text_part_is_plain_and_the_html_part_escaped(
    confirmed, asticude, theme, coordinator, mailoutbox
):
    published(asticude, "Cafe & <Friends>", theme, coordinator)
    send_alerts()
    [mail] = mailoutbox
    assert "Cafe & <Friends>" in mail.body
    html, _mimetype = mail.alternatives[0]
    assert "Cafe &amp; &lt;Friends&gt;" in html and "<Friends>" not in html
