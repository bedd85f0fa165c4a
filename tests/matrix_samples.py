"""The access matrix's sample objects, its signed-in clients and the cases of each kind of URL
parameter (tests/test_access_matrix.py, tests/test_every_url_guards.py); a plugin of
tests/conftest.py, so that its fixtures serve both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice

from events.models import Event, EventSeries, Registration
from practices.models import InterventionArea, Practice, Programme, TargetGroup
from practices.sitemaps import SITEMAPS
from publishing.workflow import Status
from reports.exports import EXPORT_TYPES, FORMATS
from tests.conftest import make_practice, sign_in
from tests.project import CSRF_TOKEN

MISSING = "missing"
STATUSES = list(Status.values)


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: dict
    status: str | None = None  # of the practice or event in the URL; MISSING for no object
    extra: str | None = None  # e.g. the decision of review:decide


@dataclass
class Samples:
    practices: dict
    events: dict
    asticude: Any
    theme: Any
    reset_user: Any

    def cases(self, kind: str) -> list[Case]:
        return getattr(self, f"_{kind}")()

    def _none(self):
        return [Case("-", {})]

    def _practice(self):
        return [Case(s, {"slug": p.slug}, s) for s, p in self.practices.items()] + [
            Case(MISSING, {"slug": "no-such-practice"}, MISSING)
        ]

    def _event(self):
        return [Case(s, {"slug": e.slug}, s) for s, e in self.events.items()] + [
            Case(MISSING, {"slug": "no-such-event"}, MISSING)
        ]

    def _series(self):
        series, _created = EventSeries.objects.get_or_create(
            slug="matrix-week", defaults={"name": "Matrix week"}
        )
        return [Case("series", {"slug": series.slug}), Case(MISSING, {"slug": "x"}, MISSING)]

    def _theme(self):
        return [Case("theme", {"slug": self.theme.slug}), Case(MISSING, {"slug": "x"}, MISSING)]

    def _stakeholder(self):
        return [
            Case("asticude", {"slug": self.asticude.slug}),
            Case(MISSING, {"slug": "no-such-stakeholder"}, MISSING),
        ]

    def _kind(self):
        return [Case(kind, {"kind": kind}) for kind in ("practices", "events")]

    def _work(self):
        cases = []
        for kind, items in (("practices", self.practices), ("events", self.events)):
            for status, item in items.items():
                cases.append(Case(f"{kind}/{status}", {"kind": kind, "slug": item.slug}, status))
        return [*cases, Case(MISSING, {"kind": "practices", "slug": "no-such-slug"}, MISSING)]

    def _decision(self):
        decisions = ("publish", "request-changes", "archive", "bogus")
        return [
            Case(f"{c.label}/{d}", {**c.kwargs, "decision": d}, c.status, d)
            for c in self._work()
            for d in decisions
        ]

    def _translation(self):
        """Each practice has a French translation waiting for review."""
        cases = [
            Case(status, {"slug": p.slug, "language": "fr"}, status)
            for status, p in self.practices.items()
        ]
        return [*cases, Case(MISSING, {"slug": "no-such-practice", "language": "fr"}, MISSING)]

    def _translation_decision(self):
        decisions = ("approve", "request-changes", "bogus")
        return [
            Case(f"{c.label}/{d}", {**c.kwargs, "decision": d}, c.status, d)
            for c in self._translation()
            for d in decisions
        ]

    def _work_version(self):
        cases = []
        for kind, items in (("practices", self.practices), ("events", self.events)):
            for status, item in items.items():
                version = item.history.earliest().history_id
                kwargs = {"kind": kind, "slug": item.slug, "history_id": version}
                cases.append(Case(f"{kind}/{status}", kwargs, status))
        wrong = {"kind": "practices", "slug": self.practices["draft"].slug, "history_id": 999999}
        return [*cases, Case(MISSING, wrong, MISSING)]

    def _stakeholder_version(self):
        version = self.asticude.history.earliest().history_id
        return [
            Case("asticude", {"slug": self.asticude.slug, "history_id": version}),
            Case(MISSING, {"slug": self.asticude.slug, "history_id": 999999}, MISSING),
        ]

    def _sitemap_section(self):
        return [Case(s, {"section": s}) for s in SITEMAPS] + [
            Case(MISSING, {"section": "nothing"}, MISSING)
        ]

    def _reset_token(self):
        uid = urlsafe_base64_encode(force_bytes(self.reset_user.pk))
        token = default_token_generator.make_token(self.reset_user)
        return [
            Case("valid", {"uidb64": uid, "token": token}),
            Case("invalid", {"uidb64": uid, "token": "1-wrong"}),
        ]

    def _export(self):
        return [Case(f"{k}.{f}", {"kind": k, "fmt": f}) for k in EXPORT_TYPES for f in FORMATS] + [
            Case(MISSING, {"kind": "users", "fmt": "csv"}, MISSING),
            Case(MISSING, {"kind": "practices", "fmt": "exe"}, MISSING),
        ]

    def _open_data(self):
        return [Case(f, {"fmt": f}) for f in FORMATS] + [Case(MISSING, {"fmt": "xml"}, MISSING)]

    def _open_data_file(self):
        known = [Case(f"events.{f}", {"kind": "events", "fmt": f}) for f in FORMATS]
        return [*known, Case(MISSING, {"kind": "users", "fmt": "csv"}, MISSING)]

    def _template(self):
        known = [(k, f) for k in EXPORT_TYPES for f in ("csv", "xlsx")]
        cases = [Case(f"{k}.{f}", {"kind": k, "fmt": f}) for k, f in known]
        return [*cases, Case(MISSING, {"kind": "practices", "fmt": "json"}, MISSING)]

    # -- A, attachments: one document on each practice and event, made when first asked for.

    def _documents(self) -> list[tuple[str, str, Any]]:
        """(kind, status, document) for each practice and event."""
        if not hasattr(self, "_made_documents"):
            from tests.attachments.files import make_document

            self._made_documents = [
                (kind, status, make_document(item))
                for kind, items in (("practices", self.practices), ("events", self.events))
                for status, item in items.items()
            ]
        return self._made_documents

    def _attachment_file(self):
        cases = [
            Case(f"{kind}/{status}", {"key": document.key, "variant": "file"}, status)
            for kind, status, document in self._documents()
        ]
        document = self._documents()[0][2]
        return [
            *cases,
            Case(
                MISSING, {"key": "00000000-0000-4000-8000-000000000000", "variant": "file"}, MISSING
            ),
            Case("no-such-copy", {"key": document.key, "variant": "card"}, MISSING),
        ]

    def _work_attachment(self):
        cases = [
            Case(
                f"{kind}/{status}",
                {"kind": kind, "slug": document.record.slug, "key": document.key},
                status,
            )
            for kind, status, document in self._documents()
        ]
        other = self._documents()[-1][2]  # an event's document, through a practice's address
        wrong = {"kind": "practices", "slug": self.practices["draft"].slug, "key": other.key}
        return [*cases, Case(MISSING, wrong, MISSING)]

    def _registration_token(self):
        """A registration for the published event, cancelled by the link of its e-mail."""
        registration, _created = Registration.objects.get_or_create(
            event=self.events[Status.PUBLISHED],
            email="visitor@example.org",
            defaults={"name": "Visitor", "consent": True, "language": "en", "status": "confirmed"},
        )
        return [
            Case("valid", {"token": registration.cancel_token}),
            Case(MISSING, {"token": "no-such-token"}, MISSING),
        ]

    def _registration_export(self):
        cases = [
            Case(f"{status}.{fmt}", {"slug": event.slug, "fmt": fmt}, status)
            for status, event in self.events.items()
            for fmt in ("csv", "xlsx")
        ]
        published = self.events[Status.PUBLISHED].slug
        return [
            *cases,
            Case(MISSING, {"slug": published, "fmt": "json"}, MISSING),
            Case(MISSING, {"slug": "no-such-event", "fmt": "csv"}, MISSING),
        ]

    def _contact_request(self):
        """A visitor's message about ASTICUDE's published practice, sent to ASTICUDE."""
        from contact.models import ContactRequest

        contact, _created = ContactRequest.objects.get_or_create(
            practice=self.practices[Status.PUBLISHED],
            organisation=self.asticude,
            defaults={
                "name": "Visitor",
                "email": "visitor@example.org",
                "city": "Oujda",
                "country": "MA",
                "message": "How did you start?",
                "language": "en",
                "sent_to": ContactRequest.SentTo.ORGANISATION,
            },
        )
        return [Case("asticude", {"pk": contact.pk}), Case(MISSING, {"pk": 999999}, MISSING)]

    def _alert_cases(self, purpose: str) -> list[Case]:
        """An e-mail alert's signed link (a request waiting for its confirmation, or a
        confirmed alert), and a forged one (C, e-mail alerts)."""
        from django.utils import timezone

        from alerts.models import Subscription
        from alerts.tokens import make_token

        alert = Subscription.objects.create(
            email="reader@example.org",
            language="en",
            confirmed_at=None if purpose == "confirm" else timezone.now(),
        )
        token = make_token(alert, purpose)
        return [
            Case("valid", {"token": token}),
            Case(MISSING, {"token": token[:-2] + ("xx" if token[-2:] != "xx" else "yy")}, MISSING),
        ]

    def _alert_confirm(self):
        return self._alert_cases("confirm")

    def _alert_unsubscribe(self):
        return self._alert_cases("unsubscribe")

    def _alert_manage(self):
        return self._alert_cases("manage")


@pytest.fixture
def samples(asticude, acpp, theme, partner, outsider) -> Samples:
    """ASTICUDE's practices and events in every status (ACPP's would be the mirror image)."""
    from datetime import timedelta

    from django.utils import timezone

    practices, events = {}, {}
    starts = timezone.now() + timedelta(days=30)
    for status in STATUSES:
        practice = make_practice(asticude, f"Practice {status}", status=status)
        practice.themes.add(theme)
        practice.translations.create(language="fr", title="Pratique", summary="Résumé.")
        practices[status] = practice
        events[status] = Event.objects.create(
            title=f"Event {status}",
            slug=f"event-{status}",
            kind=Event.Kind.WORKSHOP,
            organisation=asticude,
            status=status,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
        )
    return Samples(practices, events, asticude, theme, reset_user=partner)


@pytest.fixture
def clients(partner, outsider, coordinator, superuser) -> dict[str, Client]:
    users = {"partner": partner, "outsider": outsider, "coordinator": coordinator}
    users["superuser"] = superuser
    clients = {"anonymous": Client(enforce_csrf_checks=True, raise_request_exception=False)}
    for persona, user in users.items():
        clients[persona] = Client(enforce_csrf_checks=True, raise_request_exception=False)
        sign_in(clients[persona], user)
    for client in clients.values():
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return clients


def admin_url(key: str, route: str, samples: Samples) -> str:
    model = None
    if key.startswith("admin:"):
        parts = key.split(":")[1]
        for candidate in apps.get_models():
            prefix = f"{candidate._meta.app_label}_{candidate._meta.model_name}_"
            if parts.startswith(prefix):
                model = candidate
    elif "<path:object_id>" in route:  # admin/<app>/<model>/<path:object_id>/
        app_label, model_name = route[len(settings.ADMIN_URL) :].split("/")[:2]
        model = apps.get_model(app_label, model_name)
    obj = model.objects.order_by("pk").first() if model is not None else None
    if key == "admin:view_on_site":
        practice = samples.practices[Status.PUBLISHED]
        kwargs = {"content_type_id": ContentType.objects.get_for_model(Practice).pk}
        return reverse(key, kwargs={**kwargs, "object_id": practice.pk})
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "practices"})
    if not key.startswith("admin:"):
        tail = "nothing-here/" if "(?P<url>" in route else f"{obj.pk}/"
        prefix = route.split("<")[0].split("(")[0]
        return "/" + prefix + tail
    if key.endswith("_simple_history"):  # django-simple-history: one version of a record
        return reverse(key, args=[obj.pk, obj.history.earliest().history_id])
    kwargs = {}
    if "<path:object_id>" in route:
        kwargs["object_id"] = obj.pk
    if "<id>" in route:
        kwargs["id"] = obj.pk
    if "pk>" in route:  # django-otp's QR code of a TOTP device
        kwargs["pk"] = obj.pk
    return reverse(key, kwargs=kwargs)


@pytest.fixture
def admin_samples(samples, outsider):
    """One row in every table the admin shows, so that its change pages have an object."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from events.models import EventSeries
    from practices.models import GcmObjective, GuidingPrinciple

    for model in (TargetGroup, InterventionArea, Programme, EventSeries):
        model.objects.get_or_create(slug="sample", defaults={"name": "Sample"})
    GcmObjective.objects.get_or_create(number=1, defaults={"short_title": "Data", "title": "Data"})
    GuidingPrinciple.objects.get_or_create(slug="sample", defaults={"title": "Sample"})
    attempt = {"username": "x", "ip_address": "10.0.0.1", "user_agent": "t", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)
    StaticDevice.objects.create(user=outsider, name="Sample", confirmed=True)  # TOTP: sign_in
    return samples
