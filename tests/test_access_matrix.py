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
from django.urls import reverse

from publishing.workflow import Status
from tests.matrix_samples import MISSING, STATUSES, Case, admin_url
from tests.project import ADMIN_LOGIN, LOGIN, all_patterns, check, is_admin

PERSONAS = ("anonymous", "partner", "outsider", "coordinator", "superuser")


# --- Expected outcomes -----------------------------------------------------------------


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

API_LISTS = [k for k, r in all_patterns().items() if k.startswith("api:") and "<" not in r]
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
    "events:calendar": Row("none", EVERYONE_200, EVERYONE_405),
    "events:ics": Row("event", (PUBLISHED_ONLY,) * 4),
    "events:series_calendar": Row("series", (by_case(200),) * 4, EVERYONE_405),
    "events:detail": Row("event", (PUBLISHED_ONLY,) * 4),
    "numbers": Row("none", EVERYONE_200, EVERYONE_405),
    "data": Row("none", EVERYONE_200, EVERYONE_405),
    "datapackage": Row("none", EVERYONE_200, EVERYONE_405),
    "data_catalog": Row("none", EVERYONE_200, EVERYONE_405),
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
    # The second factor: partners owe none; coordinators' sessions are verified (sign_in).
    "two_factor": Row("none", (LOGIN, 302, 302, 302)),
    "two_factor_setup": Row("none", (LOGIN, 200, 200, 200), (LOGIN, 400, 400, 400)),
    "two_factor_manage": Row("none", (LOGIN, 200, 200, 200), (LOGIN, 405, 405, 405)),
    "two_factor_recovery_codes": Row("none", (LOGIN, 302, 302, 302)),  # shown after a redirect
    "two_factor_disable": Row("none", EVERYONE_405, (LOGIN, 302, 302, 302)),
    "two_factor_reset": Row("none", COORDINATORS, (LOGIN, 403, 403, 400)),
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
    "reports:open_data_file": Row("open_data_file", (by_case(200),) * 4, EVERYONE_405),
    "reports:import": Row("none", COORDINATORS, (LOGIN, 403, 403, 400)),
    "reports:import_confirm": Row("none", EVERYONE_405, COORDINATORS_POST),
    "reports:import_template": Row("template", (LOGIN, 403, 403, by_case(200)), EVERYONE_405),
    "locked_sign_ins": Row("none", COORDINATORS),
    # The read-only API (api/urls.py): public JSON, any other method a 405 for everyone.
    **{key: Row("none", EVERYONE_200, EVERYONE_405) for key in API_LISTS},
    **{f"api:{n}": Row(n, (PUBLISHED_ONLY,) * 4, EVERYONE_405) for n in ("practice", "event")},
    "api:stakeholder": Row("stakeholder", (by_case(200),) * 4, EVERYONE_405),
    # A, attachments: a record's files page (a POST without a form is a bad request), the
    # removal of a file, and the files themselves, seen by whoever may see their record.
    "attachments:files": Row(
        "work",
        (LOGIN, OWN_WRITE, OTHER_WRITE, by_status(200)),
        (LOGIN, by_status(400, archived=403), OTHER_WRITE, by_status(400)),
    ),
    "attachments:remove": Row(
        "work_attachment",
        EVERYONE_405,
        (LOGIN, by_status(302, archived=403), OTHER_WRITE, by_status(302)),
    ),
    "files:serve": Row(
        "attachment_file",
        (PUBLISHED_ONLY, by_status(200), PUBLISHED_ONLY, by_status(200)),
        EVERYONE_405,
    ),
    # D: registration for events and the accessibility statement. The sample events are not
    # open for registration: a registration sent to a published one is refused (400).
    "events:register": Row("event", EVERYONE_405, (by_status(404, published=400),) * 4),
    # Whoever holds the link may cancel: the e-mail's recipient, signed in or not.
    "events:cancel_registration": Row(
        "registration_token", (by_case(200),) * 4, (by_case(302),) * 4
    ),
    # Who registered: the organisers' and the coordinators' business (see also
    # tests/events/test_registration_list.py for members of an organising organisation).
    "workspace:registrations": Row(
        "event",
        (LOGIN, by_status(200), by_status(404, published=403), by_status(200)),
        EVERYONE_405,
    ),
    "workspace:registrations_export": Row(
        "registration_export",
        (LOGIN, by_status(200), by_status(404, published=403), by_status(200)),
        EVERYONE_405,
    ),
    "accessibility": Row("none", EVERYONE_200, EVERYONE_405),
    # B, links and contact: a published practice's contact form, for everyone (the matrix's
    # POST lacks the form's fields: refused, 400, nothing stored); visitors' messages, for
    # coordinators and the partners of the lead organisation (ASTICUDE).
    "contact:form": Row("practice", (PUBLISHED_ONLY,) * 4, (by_status(404, published=400),) * 4),
    "contact:requests": Row("none", (LOGIN, 200, 200, 200), EVERYONE_405),
    "contact:request": Row(
        "contact_request", (LOGIN, by_case(200), 404, by_case(200)), EVERYONE_405
    ),
    # An organisation's contact address: its members and the coordinators.
    "contact:address": Row(
        "stakeholder",
        (LOGIN, by_case(200), by_case(403), by_case(200)),
        (LOGIN, by_case(302), by_case(403), by_case(302)),
    ),
    # C, e-mail alerts: public pages; the links of the mails are signed tokens, a forged one a
    # 404. The matrix's POST has no e-mail address (400) and no alert to delete (400); the
    # unsubscribe address takes a POST without CSRF token (RFC 8058) and deletes the alert.
    "alerts:subscribe": Row("none", EVERYONE_200, (400, 400, 400, 400)),
    "alerts:sent": Row("none", EVERYONE_200, EVERYONE_405),
    "alerts:confirm": Row("alert_confirm", (by_case(200),) * 4, (by_case(302),) * 4),
    "alerts:unsubscribe": Row("alert_unsubscribe", (by_case(200),) * 4, (by_case(302),) * 4),
    "alerts:unsubscribed": Row("none", EVERYONE_200, EVERYONE_405),
    "alerts:manage": Row("alert_manage", (by_case(200),) * 4, (by_case(400),) * 4),
}


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
    # OTP_ADMIN_HIDE_SENSITIVE_DATA: no page shows the secret of someone's authenticator app.
    "admin:otp_totp_totpdevice_config": 403,
    "admin:otp_totp_totpdevice_qrcode": 403,
}
SUPERUSER_ADMIN_ENDINGS = {
    "process_import": 405,  # POST only
    "<path:object_id>/": 302,  # old-style address of a change page
    "(?P<url>.*)$": 404,  # the catch-all
}


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
