"""The access-control matrix: every URL pattern of the project, tried by every persona with
GET and POST, against the outcome written in the table below.

Objects belong to ASTICUDE: `partner` is a member of the owning organisation, `outsider`
a member of another one (ACPP). Parameters are filled with practices and events in every
status, a missing slug, and whatever else a pattern takes. A POST carries a valid CSRF
token; it runs in a transaction rolled back afterwards, and a POST that is refused (any
outcome but a redirect after success) must leave the database as it was.

A new URL pattern without a row in TABLE fails `test_every_url_pattern_has_a_row`.
"""

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

from events.models import Event
from practices.models import InterventionArea, Practice, Programme, TargetGroup
from practices.sitemaps import SITEMAPS
from publishing.workflow import Status
from reports.exports import EXPORT_TYPES, FORMATS
from tests.conftest import make_practice
from tests.project import (
    ADMIN_LOGIN,
    CSRF_TOKEN,
    LOGIN,
    all_patterns,
    check,
    is_admin,
)

PERSONAS = ("anonymous", "partner", "outsider", "coordinator", "superuser")
MISSING = "missing"
STATUSES = list(Status.values)


# --- The patterns of the project -------------------------------------------------------


# --- Expected outcomes -----------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    label: str
    kwargs: dict
    status: str | None = None  # of the practice or event in the URL; MISSING for no object
    extra: str | None = None  # e.g. the decision of review:decide


def by_status(default, missing=404, **statuses):
    """An outcome that depends on the status of the practice or event in the URL."""
    return lambda case: (
        missing if case.status == MISSING else statuses.get(case.status or "", default)
    )


def by_case(default, missing=404, **labels):
    return lambda case: missing if case.status == MISSING else labels.get(case.label, default)


def decision_outcome(case: Case) -> Any:
    """A coordinator's decision: done (302) when the workflow allows it, else 400."""
    if case.status == MISSING or case.extra == "bogus":
        return 404
    allowed = {
        "publish": {Status.SUBMITTED},
        "request-changes": {Status.SUBMITTED},
        "archive": set(STATUSES) - {Status.ARCHIVED},
    }[case.extra]
    return 302 if case.status in allowed else 400


@dataclass(frozen=True)
class Row:
    """Expected outcomes in PERSONAS order (superuser defaults to the coordinator's);
    `post` None means the same as GET."""

    cases: str
    get: tuple
    post: tuple | None = None

    def expected(self, method: str, persona: str, case: Case):
        outcomes = self.get if method == "get" or self.post is None else self.post
        if len(outcomes) == 4:
            outcomes = (*outcomes, outcomes[3])
        outcome = outcomes[PERSONAS.index(persona)]
        return outcome(case) if callable(outcome) else outcome


def translation_decision(case: Case) -> Any:
    return 404 if case.status == MISSING or case.extra == "bogus" else 302


EVERYONE_200 = (200, 200, 200, 200)
EVERYONE_405 = (405, 405, 405, 405)
PUBLISHED_ONLY = by_status(404, published=200)
COORDINATORS = (LOGIN, 403, 403, 200)
COORDINATORS_POST = (LOGIN, 403, 403, 302)
# Partners change their own work until it is archived; another organisation's unpublished
# work does not exist for them (404); its published work can be read, not changed (403).
OWN_WRITE = by_status(200, archived=403)
OTHER_WRITE = by_status(404, published=403)

TABLE: dict[str, Row] = {
    # Outside the language prefix
    "healthz": Row("none", EVERYONE_200, EVERYONE_405),
    "favicon": Row("none", (302, 302, 302, 302), EVERYONE_405),
    "set_language": Row("none", (302, 302, 302, 302)),
    # Django's sitemap views and robots.txt answer POST like GET: harmless, they write nothing.
    "sitemap": Row("none", EVERYONE_200),
    "django.contrib.sitemaps.views.sitemap": Row("sitemap_section", (by_case(200),) * 4),
    "robots": Row("none", EVERYONE_200),
    # Public pages: only published content, for everyone
    "practices:home": Row("none", EVERYONE_200),
    "practices:list": Row("none", EVERYONE_200),
    "practices:feed": Row("none", EVERYONE_200),
    "practices:detail": Row("practice", (PUBLISHED_ONLY,) * 4),
    "practices:pdf": Row("practice", (PUBLISHED_ONLY,) * 4, EVERYONE_405),
    "practices:list_pdf": Row("none", EVERYONE_200, EVERYONE_405),
    "practices:themes": Row("none", EVERYONE_200),
    "practices:theme": Row("theme", (by_case(200),) * 4),
    "stakeholders:list": Row("none", EVERYONE_200),
    "stakeholders:detail": Row("stakeholder", (by_case(200),) * 4),
    "events:list": Row("none", EVERYONE_200),
    "events:calendar": Row("none", EVERYONE_200),
    "events:ics": Row("event", (PUBLISHED_ONLY,) * 4),
    "events:detail": Row("event", (PUBLISHED_ONLY,) * 4),
    # Accounts
    "invite_partner": Row("none", COORDINATORS, (LOGIN, 403, 403, 400)),
    "login": Row("none", EVERYONE_200),
    "logout": Row("none", EVERYONE_405, (302, 302, 302, 302)),
    "password_change": Row("none", (LOGIN, 200, 200, 200)),
    "password_change_done": Row("none", (LOGIN, 200, 200, 200), (LOGIN, 405, 405, 405)),
    "password_reset": Row("none", EVERYONE_200),
    "password_reset_done": Row("none", EVERYONE_200, EVERYONE_405),
    "password_reset_confirm": Row("reset_token", (by_case(200, valid=302),) * 4),
    "password_reset_complete": Row("none", EVERYONE_200, EVERYONE_405),
    # The partner workspace
    "workspace:home": Row("none", (LOGIN, 200, 200, 200)),
    "workspace:create": Row("kind", (LOGIN, 200, 200, 200), (LOGIN, 400, 400, 400)),
    "workspace:edit": Row(
        "work",
        (LOGIN, OWN_WRITE, OTHER_WRITE, by_status(200)),
        # A form sent without the version it was opened at is refused as stale (409).
        (LOGIN, by_status(409, archived=403), OTHER_WRITE, by_status(409)),
    ),
    "workspace:preview": Row(
        "work", (LOGIN, by_status(200), by_status(404, published=200), by_status(200))
    ),
    "workspace:submit": Row(
        "work",
        EVERYONE_405,
        (LOGIN, by_status(302, archived=403), OTHER_WRITE, by_status(302)),
    ),
    "workspace:archive": Row(
        "work",
        EVERYONE_405,
        (LOGIN, by_status(302, archived=403), OTHER_WRITE, by_status(302)),
    ),
    "workspace:history": Row("work", (LOGIN, by_status(200), OTHER_WRITE, by_status(200))),
    # A practice's translations (into French: it is written in English): written like the
    # practice, a form sent without the version it was opened at is stale (409).
    "workspace:translation": Row(
        "translation",
        (LOGIN, OWN_WRITE, OTHER_WRITE, by_status(200)),
        (LOGIN, by_status(409, archived=403), OTHER_WRITE, by_status(409)),
    ),
    "workspace:remove_translation": Row(
        "translation",
        EVERYONE_405,
        (LOGIN, by_status(302, archived=403), OTHER_WRITE, by_status(302)),
    ),
    # Review by coordinators
    "review:queue": Row("none", COORDINATORS),
    "review:detail": Row("work", (LOGIN, 403, 403, by_status(200))),
    "review:translation": Row("translation", (LOGIN, 403, 403, by_status(200))),
    "review:decide_translation": Row(
        "translation_decision", EVERYONE_405, (LOGIN, 403, 403, translation_decision)
    ),
    "review:decide": Row("decision", EVERYONE_405, (LOGIN, 403, 403, decision_outcome)),
    "review:revert": Row("work_version", EVERYONE_405, (LOGIN, 403, 403, by_case(302))),
    "review:stakeholder_history": Row("stakeholder", (LOGIN, 403, 403, by_case(200))),
    "review:stakeholder_revert": Row(
        "stakeholder_version", EVERYONE_405, (LOGIN, 403, 403, by_case(302))
    ),
    # Reports, exports, imports
    "reports:dashboard": Row("none", COORDINATORS, EVERYONE_405),
    "reports:dashboard_pdf": Row("none", COORDINATORS, EVERYONE_405),
    "reports:export": Row("export", (LOGIN, 403, 403, by_case(200)), EVERYONE_405),
    "reports:open_data": Row("open_data", (by_case(200),) * 4, EVERYONE_405),
    "reports:import": Row("none", COORDINATORS, (LOGIN, 403, 403, 400)),
    "reports:import_confirm": Row("none", EVERYONE_405, COORDINATORS_POST),
    "reports:import_template": Row("template", (LOGIN, 403, 403, by_case(200)), EVERYONE_405),
    "locked_sign_ins": Row("none", COORDINATORS),
}


# --- Sample objects and the cases of each kind of parameter ----------------------------


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

    def _template(self):
        known = [(k, f) for k in EXPORT_TYPES for f in ("csv", "xlsx")]
        cases = [Case(f"{k}.{f}", {"kind": k, "fmt": f}) for k, f in known]
        return [*cases, Case(MISSING, {"kind": "practices", "fmt": "json"}, MISSING)]


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
        clients[persona].force_login(user)
    for client in clients.values():
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_TOKEN
    return clients


# --- The tests -------------------------------------------------------------------------


def test_every_url_pattern_has_a_row():
    project = {key for key in all_patterns() if not is_admin(key)}
    assert sorted(project - set(TABLE)) == [], "new URL patterns need a row in TABLE"
    assert sorted(set(TABLE) - project) == [], "rows for URL patterns that no longer exist"


def test_the_admin_patterns_are_enumerated():
    admin = [key for key in all_patterns() if is_admin(key)]
    assert "admin:index" in admin and "admin:practices_practice_changelist" in admin
    assert len(admin) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_the_expected_outcome(name, samples, clients):
    row = TABLE[name]
    problems = []
    for case in samples.cases(row.cases):
        url = reverse(name, kwargs=case.kwargs)
        for persona in PERSONAS:
            for method in ("get", "post"):
                expected = row.expected(method, persona, case)
                problems += check(clients[persona], persona, method, url, expected)
    assert not problems, "\n".join(problems)


# --- The admin: one compact rule -------------------------------------------------------

# What the superuser gets where it is not a page (200).
SUPERUSER_ADMIN = {
    "admin:login": 302,  # already signed in: to the index
    "admin:logout": 405,  # POST only
    "admin:view_on_site": 302,  # to the public page
    "admin:autocomplete": 403,  # without its parameters
    # django-axes keeps its records read-only: nobody adds a sign-in attempt by hand.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
}
SUPERUSER_ADMIN_ENDINGS = {
    "process_import": 405,  # POST only
    "<path:object_id>/": 302,  # old-style address of a change page
    "(?P<url>.*)$": 404,  # the catch-all
}


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
    return reverse(key, kwargs=kwargs)


def superuser_admin_outcome(key: str) -> int:
    if key in SUPERUSER_ADMIN:
        return SUPERUSER_ADMIN[key]
    for ending, outcome in SUPERUSER_ADMIN_ENDINGS.items():
        if key.endswith(ending):
            return outcome
    return 200


def non_staff_admin_outcome(key: str) -> Any:
    if key == "admin:login":
        return 200
    if key == "admin:logout":
        return 302  # to the admin index, which sends them to the admin's sign-in
    return ADMIN_LOGIN


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
    return samples


@pytest.mark.django_db
def test_only_the_superuser_gets_into_the_admin(admin_samples, clients):
    samples = admin_samples
    problems = []
    for key, route in all_patterns().items():
        if not is_admin(key):
            continue
        url = admin_url(key, route, samples)
        for persona in PERSONAS:
            if persona == "superuser":
                expected = superuser_admin_outcome(key)
                problems += check(clients[persona], persona, "get", url, expected, admin=True)
                continue
            expected = non_staff_admin_outcome(key)
            problems += check(clients[persona], persona, "get", url, expected, admin=True)
            if key != "admin:login":
                problems += check(clients[persona], persona, "post", url, expected, admin=True)
    assert not problems, "\n".join(problems)
