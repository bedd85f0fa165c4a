"""Hostile input: every form refuses what it cannot store with a clear message and writes
nothing; markup typed into a text field is stored as text and shown escaped everywhere."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.models import Event
from practices.models import Practice, Status
from publishing.forms import LONG_TEXT_MAX_LENGTH
from tests.conftest import logged_in, make_practice
from tests.project import database_state
from tests.spreadsheet_helpers import content_of, csv_bytes, rows_of
from tests.workspace_helpers import client_for, empty_formsets

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
HOSTILE = f"Fair {SCRIPT} {IMAGE} & “quotes”"
RAW_MARKUP = ("<script>alert", "<img src=x")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def practice_form(organisation, **changes) -> dict:
    return {
        "title": "Welcome desk",
        "organisation": organisation.pk,
        "language": "en",
        "summary": "A desk where newcomers find their way.",
        "country": "MA",
        **empty_formsets("roles", "indicators", "links"),
        **changes,
    }


def event_form(organisation, **changes) -> dict:
    return {
        "title": "Workshop on fair reporting",
        "organisation": organisation.pk,
        "kind": "workshop",
        "starts_at": "2026-12-14T09:00",
        "ends_at": "2026-12-14T17:00",
        "country": "MA",
        **empty_formsets("participants"),
        **changes,
    }


def assert_refused(response, message: str, before: dict) -> None:
    """The form comes back (200 or 400) with the message, and nothing was written."""
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert database_state() == before


# Refusals: over-long, impossible dates, unknown choices, wrong types ---------------------

TOO_LONG = "Too long: at most"  # Django's "Ensure this value has at most N characters"
PRACTICE_REFUSALS = {
    "title over 255 characters": ({"title": "x" * 256}, "at most 255 characters"),
    "summary over the text limit": (
        {"summary": "x" * (LONG_TEXT_MAX_LENGTH + 1)},
        f"at most {LONG_TEXT_MAX_LENGTH:,} characters".replace(",", ""),
    ),
    "30 February": ({"start_date": "2023-02-30"}, "Enter a valid date."),
    "a date that is not one": ({"start_date": "yesterday"}, "Enter a valid date."),
    "end before start": (
        {"start_date": "2024-05-01", "end_date": "2024-04-30"},
        "The end of the project cannot be before its start.",
    ),
    "unknown language": ({"language": "xx"}, "Select a valid choice."),
    "unknown country": ({"country": "ZZ"}, "Select a valid choice."),
    "unknown theme": ({"themes": ["999999"]}, "Select a valid choice."),
    "theme that is not a number": ({"themes": ["abc"]}, "is not a valid value"),
    "programme that is not a number": ({"programme": "abc"}, "Select a valid choice."),
    "organisation of someone else": ("acpp", "Select a valid choice."),
    "indicator target that is not a number": (
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-label": "Families",
            "indicators-0-target": "many",
            "indicators-0-position": "0",
        },
        "Enter a number.",
    ),
    "stakeholder role that does not exist": (
        {"roles-TOTAL_FORMS": "1", "roles-0-stakeholder": "asticude", "roles-0-role": "king"},
        "Select a valid choice.",
    ),
    "NUL byte in a text": ({"summary": "a\x00b"}, "a character that is not allowed (a NUL byte)"),
}


@pytest.mark.parametrize("case", list(PRACTICE_REFUSALS), ids=list(PRACTICE_REFUSALS))
def test_the_practice_form_refuses_bad_values_and_writes_nothing(case, partner, asticude, acpp):
    changes, message = PRACTICE_REFUSALS[case]
    data = practice_form(asticude)
    if changes == "acpp":
        changes = {"organisation": acpp.pk}
    if changes.get("roles-0-stakeholder") == "asticude":
        changes["roles-0-stakeholder"] = asticude.pk
    client = client_for(partner)
    before = database_state()
    response = client.post("/en/workspace/practices/new/", {**data, **changes})
    assert_refused(response, message, before)


def test_editing_with_an_impossible_date_keeps_the_stored_practice(partner, asticude):
    from tests.workspace_helpers import practice_data

    practice = make_practice(asticude, "Stored practice", status=Status.DRAFT)
    data = practice_data(practice, partner, start_date="2023-02-30", title="Changed")
    client = client_for(partner)
    before = database_state()
    response = client.post(f"/en/workspace/practices/{practice.slug}/edit/", data)
    assert_refused(response, "Enter a valid date.", before)
    assert "Changed" in response.content.decode()  # what was typed is kept in the form


EVENT_REFUSALS = {
    "title over 255 characters": ({"title": "x" * 256}, "at most 255 characters"),
    "description over the text limit": (
        {"description": "x" * (LONG_TEXT_MAX_LENGTH + 1)},
        f"at most {LONG_TEXT_MAX_LENGTH} characters",
    ),
    "30 February": ({"starts_at": "2023-02-30T10:00"}, "Enter a valid date/time."),
    "ends before it starts": (
        {"starts_at": "2026-12-14T17:00", "ends_at": "2026-12-14T09:00"},
        "An event cannot end before it starts.",
    ),
    "unknown kind": ({"kind": "party"}, "Select a valid choice."),
    "negative participants": ({"expected_participants": "-5"}, "greater than or equal to 0"),
    "participants that are not a number": (
        {"expected_participants": "many"},
        "Enter a whole number.",
    ),
    "unknown participant category": (
        {
            "participants-TOTAL_FORMS": "1",
            "participants-0-category": "aliens",
            "participants-0-count": "3",
        },
        "Select a valid choice.",
    ),
    "unknown series": ({"series": "999999"}, "Select a valid choice."),
}


@pytest.mark.parametrize("case", list(EVENT_REFUSALS), ids=list(EVENT_REFUSALS))
def test_the_event_form_refuses_bad_values_and_writes_nothing(case, partner, asticude):
    changes, message = EVENT_REFUSALS[case]
    client = client_for(partner)
    before = database_state()
    response = client.post("/en/workspace/events/new/", event_form(asticude, **changes))
    assert_refused(response, message, before)


INVITATION_REFUSALS = {
    "username over 150 characters": ({"username": "u" * 151}, "at most 150 characters"),
    "username with markup": ({"username": "<b>x</b>"}, "Use only letters, digits"),
    "email that is not one": ({"email": "not-an-email"}, "Enter a valid email address."),
    "unknown organisation": ({"organisation": "999999"}, "Select a valid choice."),
    "organisation that is not a number": ({"organisation": "abc"}, "Select a valid choice."),
    "first name over 150 characters": ({"first_name": "f" * 151}, "at most 150 characters"),
}


@pytest.mark.parametrize("case", list(INVITATION_REFUSALS), ids=list(INVITATION_REFUSALS))
def test_the_invitation_refuses_bad_values_and_writes_nothing(case, coordinator, asticude):
    changes, message = INVITATION_REFUSALS[case]
    data = {"username": "newpartner", "email": "new@example.org", "organisation": asticude.pk}
    client = client_for(coordinator)
    before = database_state()
    response = client.post("/en/accounts/invite/", {**data, **changes})
    assert_refused(response, message, before)
    assert mail.outbox == []


def test_an_over_long_review_comment_is_refused_and_nothing_changes(coordinator, asticude):
    practice = make_practice(asticude, "Waiting", status=Status.SUBMITTED)
    client = client_for(coordinator)
    before = database_state()
    response = client.post(
        f"/en/review/practices/{practice.slug}/request-changes/", {"comment": "c" * 5001}
    )
    assert_refused(response, "at most 5000 characters", before)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2023-02-30", "Enter a valid date."),
        ("from=2024-05-01&to=2024-04-01", "The end of the period cannot be before its start."),
        ("status=bogus", "Select a valid choice."),
        ("theme=no-such-theme", "Select a valid choice."),
        ("objective=abc", "Select a valid choice."),
        ("from=" + "9" * 300, "Enter a valid date."),
    ],
)
def test_the_report_filters_show_an_error_for_bad_values(coordinator, query, message):
    response = logged_in(coordinator).get(f"/en/reports/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


IMPORT_HEADERS = ["slug", "title", "status", "organisation", "summary", "country", "start_date"]


def import_row(**values) -> list:
    row = {
        "slug": "imported",
        "title": "Imported practice",
        "status": "draft",
        "organisation": "ASTICUDE",
        "summary": "What it did.",
        "country": "MA",
        "start_date": "2024-01-01",
        **values,
    }
    return [row[header] for header in IMPORT_HEADERS]


@pytest.mark.parametrize(
    "values",
    [
        {"title": "x" * 256},
        {"start_date": "2023-02-30"},
        {"status": "secret"},
        {"country": "ZZ"},
        {"organisation": "No such organisation"},
        {"slug": "not a slug!"},
        {"summary": "s" * (LONG_TEXT_MAX_LENGTH + 1)},
    ],
    ids=[
        "over-long title",
        "30 February",
        "unknown status",
        "unknown country",
        "unknown org",
        "bad slug",
        "over-long summary",
    ],
)
def test_an_import_with_bad_values_is_refused_with_the_row_and_writes_nothing(
    coordinator, asticude, values
):
    content = csv_bytes([IMPORT_HEADERS, import_row(**values)])
    client = client_for(coordinator)
    before = database_state()
    response = client.post(
        "/en/reports/import/",
        {"kind": "practices", "file": SimpleUploadedFile("practices.csv", content)},
    )
    assert response.status_code in (200, 400)
    problems = response.context["report"].problems
    assert problems and all(problem.row == 2 for problem in problems)
    assert "Nothing was changed." in response.content.decode()
    assert database_state() == before


def test_an_import_that_is_not_a_spreadsheet_is_refused(coordinator):
    client = client_for(coordinator)
    before = database_state()
    response = client.post(
        "/en/reports/import/",
        {"kind": "practices", "file": SimpleUploadedFile("practices.csv", b"\x00\xff\xfe" * 50)},
    )
    assert response.status_code in (200, 400)
    assert response.context["report"].problems
    assert database_state() == before


def test_an_import_of_an_unknown_type_is_refused(coordinator):
    content = csv_bytes([IMPORT_HEADERS, import_row()])
    client = client_for(coordinator)
    before = database_state()
    response = client.post(
        "/en/reports/import/", {"kind": "users", "file": SimpleUploadedFile("u.csv", content)}
    )
    assert_refused(response, "Select a valid choice.", before)


# Markup is text: stored as typed, shown escaped -----------------------------------------


def assert_no_markup(content: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in content, f"{raw!r} unescaped in {where}"


def assert_shown_escaped(response, where: str) -> None:
    assert response.status_code == 200, where
    content = content_of(response).decode()
    assert_no_markup(content, where)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content, f"payload missing from {where}"


@pytest.fixture
def hostile_practice(partner, coordinator, asticude, theme):
    """A practice whose texts are markup, taken through the whole workflow by the forms."""
    client = client_for(partner)
    data = practice_form(
        asticude,
        title=HOSTILE,
        summary=f"Summary {HOSTILE} with the word script",
        impact=IMAGE,
        city=SCRIPT[:100],
        themes=[theme.pk],
    )
    assert client.post("/en/workspace/practices/new/", data).status_code == 302
    practice = Practice.objects.get()
    assert practice.title == HOSTILE  # stored as typed, not escaped nor stripped
    from tests.workspace_helpers import practice_data

    edited = practice_data(practice, partner, lessons_learnt=f"Lessons {SCRIPT}", submit="1")
    edit_url = f"/en/workspace/practices/{practice.slug}/edit/"
    assert client.post(edit_url, edited).status_code == 302
    review = client_for(coordinator)
    comment = {"comment": f"Please fix {SCRIPT}"}
    review_url = f"/en/review/practices/{practice.slug}/"
    assert review.post(review_url + "request-changes/", comment).status_code == 302
    assert client.post(f"/en/workspace/practices/{practice.slug}/submit/").status_code == 302
    return practice


def test_markup_in_a_practice_is_escaped_in_the_workspace_and_the_review(
    hostile_practice, partner, coordinator
):
    slug = hostile_practice.slug
    partner_pages = ["/en/workspace/", f"/en/workspace/practices/{slug}/edit/"]
    partner_pages += [f"/en/workspace/practices/{slug}/preview/"]
    partner_pages += [f"/en/workspace/practices/{slug}/history/"]
    for url in partner_pages:
        assert_shown_escaped(logged_in(partner).get(url), url)
    for url in ["/en/review/", f"/en/review/practices/{slug}/"]:
        assert_shown_escaped(logged_in(coordinator).get(url), url)


def test_markup_in_a_translation_is_escaped_in_the_workspace_the_review_and_the_public_page(
    hostile_practice, partner, coordinator
):
    slug = hostile_practice.slug
    form_url = f"/en/workspace/practices/{slug}/translations/fr/"
    translation = {"title": HOSTILE, "summary": f"Résumé {SCRIPT}", "impact": IMAGE}
    assert client_for(partner).post(form_url, translation).status_code == 302
    assert_shown_escaped(logged_in(partner).get(form_url), form_url)
    review_url = f"/en/review/practices/{slug}/translations/fr/"
    assert_shown_escaped(logged_in(coordinator).get(review_url), review_url)
    client_for(coordinator).post(f"/en/review/practices/{slug}/publish/")
    for url in [f"/fr/practices/{slug}/", "/fr/practices/", "/fr/practices/feed/"]:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_no_markup(response.content.decode(), url)


def test_markup_in_a_published_practice_is_escaped_on_every_public_page(
    hostile_practice, coordinator
):
    client_for(coordinator).post(f"/en/review/practices/{hostile_practice.slug}/publish/")
    assert Practice.objects.get().status == Status.PUBLISHED
    pages = [
        "/en/",
        "/en/practices/",
        "/en/practices/?q=script",  # the search snippet, with its <mark> highlights
        "/en/practices/?q=alert",
        f"/en/practices/{hostile_practice.slug}/",
        "/en/themes/intercultural-dialogue/",
        "/en/stakeholders/asticude/",
    ]
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert_no_markup(response.content.decode(), url)
    for url in pages[:5]:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in Client().get(url).content.decode(), url
    snippet = Client().get("/en/practices/?q=script").content.decode()
    assert "<mark>script</mark>" in snippet or "<mark>Script</mark>" in snippet


def test_markup_in_a_practice_is_escaped_in_the_atom_feed(hostile_practice, coordinator):
    client_for(coordinator).post(f"/en/review/practices/{hostile_practice.slug}/publish/")
    content = Client().get("/en/practices/feed/").content.decode()
    assert_no_markup(content, "the feed")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_markup_in_a_practice_is_plain_text_in_the_exports(hostile_practice, coordinator, fmt):
    client_for(coordinator).post(f"/en/review/practices/{hostile_practice.slug}/publish/")
    for response in (
        Client().get(f"/en/reports/open-data/practices.{fmt}"),
        logged_in(coordinator).get(f"/en/reports/export/practices.{fmt}"),
    ):
        assert response.status_code == 200
        assert "html" not in response["Content-Type"]
        (row,) = rows_of(response, fmt)
        assert row["title"] == HOSTILE  # the text as typed, neither escaped nor lost


def test_the_json_export_escapes_nothing_a_browser_could_run(hostile_practice, coordinator):
    client_for(coordinator).post(f"/en/review/practices/{hostile_practice.slug}/publish/")
    response = Client().get("/en/reports/open-data/practices.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert json.loads(content_of(response))[0]["title"] == HOSTILE


def test_the_notification_emails_are_plain_text_with_the_markup_as_typed(hostile_practice):
    assert mail.outbox, "submission and review sent emails"
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None), "no HTML part"
        assert message.content_subtype == "plain"
        assert "\n" not in message.subject
        assert "&lt;" not in message.body + message.subject  # not escaped twice in plain text
    assert any(HOSTILE in message.subject for message in mail.outbox)
    assert any(f"Please fix {SCRIPT}" in message.body for message in mail.outbox)


def test_an_invitation_with_markup_in_the_name_is_escaped_and_mailed_as_text(coordinator, asticude):
    data = {
        "username": "newpartner",
        "email": "new@example.org",
        "first_name": SCRIPT[:150],
        "last_name": IMAGE,
        "organisation": asticude.pk,
    }
    response = client_for(coordinator).post("/en/accounts/invite/", data, follow=True)
    assert response.status_code == 200
    assert_no_markup(response.content.decode(), "the invitation page")
    (message,) = mail.outbox
    assert not message.alternatives


def test_markup_in_an_event_is_escaped_on_its_pages_and_inert_in_the_calendar(
    partner, coordinator, asticude
):
    injected = "Talk\r\nATTENDEE:mailto:evil@example.org\nLOCATION:evil"
    data = event_form(
        asticude, title=HOSTILE, description=f"{injected} {SCRIPT}", venue=IMAGE[:200]
    )
    assert client_for(partner).post("/en/workspace/events/new/", data).status_code == 302
    event = Event.objects.get()
    event.status = Status.SUBMITTED
    event.save()
    client_for(coordinator).post(f"/en/review/events/{event.slug}/publish/")
    for url in ["/en/events/", f"/en/events/{event.slug}/", "/en/"]:
        response = Client().get(url)
        assert response.status_code == 200
        assert_no_markup(response.content.decode(), url)
    for url in [f"/en/events/{event.slug}.ics", "/en/events/calendar.ics"]:
        calendar = content_of(Client().get(url)).decode()
        lines = calendar.replace("\r\n ", "").split("\r\n")  # unfold continuation lines
        assert not any(line.startswith(("ATTENDEE", "LOCATION:evil")) for line in lines)
        assert any(line.startswith("SUMMARY:") and "alert(1)" in line for line in lines)
