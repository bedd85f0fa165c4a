import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from events.models import Event, EventSeries, ParticipantCount
from practices.models import Indicator, Practice, StakeholderRole, Theme
from reports.imports import run_import
from reports.views.imports import SESSION_KEY
from stakeholders.models import Stakeholder
from tests.conftest import logged_in
from tests.spreadsheet_helpers import content_of, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["slug", "title", "status", "organisation", "summary", "country", "themes"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def practice_row(slug: str, **values) -> list:
    row = {
        "slug": slug,
        "title": f"Practice {slug}",
        "status": "published",
        "organisation": "ASTICUDE",
        "summary": "What it did.",
        "country": "MA",
        "themes": "Intercultural dialogue",
        **values,
    }
    return [row[header] for header in HEADERS]


def good_file() -> bytes:
    return csv_bytes([HEADERS, practice_row("one"), practice_row("two", themes="social-inclusion")])


def database_state() -> dict:
    return {
        "practices": list(Practice.objects.order_by("pk").values()),
        "roles": list(StakeholderRole.objects.values()),
        "indicators": list(Indicator.objects.values()),
        "stakeholders": list(Stakeholder.objects.order_by("pk").values()),
        "events": list(Event.objects.values()),
    }


def upload(client, content: bytes, name: str = "practices.csv", kind: str = "practices"):
    return client.post(
        "/en/reports/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


# The dry run and the confirmation ---------------------------------------------------------


def test_a_dry_run_shows_new_rows_and_writes_nothing(coordinator, reference):
    response = upload(logged_in(coordinator), good_file())
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.new, report.updated, report.unchanged) == (2, 0, 0)
    assert not Practice.objects.exists()
    assert "Confirm the import" in response.content.decode()


def test_confirming_commits_every_row(coordinator, reference, settings):
    client = logged_in(coordinator)
    upload(client, good_file())
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert set(Practice.objects.values_list("slug", flat=True)) == {"one", "two"}
    two = Practice.objects.get(slug="two")
    assert two.themes.get().slug == "social-inclusion"
    assert two.created_by == coordinator == two.history.latest().history_user
    assert not list((settings.MEDIA_ROOT / "imports").glob("*.upload"))


def test_cancelling_writes_nothing_and_forgets_the_file(coordinator, reference, settings):
    client = logged_in(coordinator)
    upload(client, good_file())
    client.post("/en/reports/import/confirm/", {"action": "cancel"})
    assert not Practice.objects.exists()
    assert not list((settings.MEDIA_ROOT / "imports").glob("*.upload"))
    assert SESSION_KEY not in client.session


def test_a_file_changed_between_dry_run_and_confirmation_is_refused(
    coordinator, reference, settings
):
    client = logged_in(coordinator)
    upload(client, good_file())
    (kept,) = (settings.MEDIA_ROOT / "imports").glob("*.upload")
    kept.write_bytes(csv_bytes([HEADERS, practice_row("sneaky")]))
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_confirming_without_a_checked_file_changes_nothing(coordinator, reference):
    response = logged_in(coordinator).post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 302
    assert not Practice.objects.exists()


def test_a_confirmation_that_meets_an_error_writes_no_row(coordinator, reference):
    """The database changed after the dry run: one row fails, so no row is written."""
    client = logged_in(coordinator)
    upload(client, good_file())
    Theme.objects.filter(slug="social-inclusion").delete()
    response = client.post("/en/reports/import/confirm/", {"action": "confirm"})
    assert response.status_code == 400
    assert not Practice.objects.exists()
    (problem,) = response.context["report"].problems
    assert (problem.row, problem.column) == (3, "themes")


def test_reimporting_the_same_file_changes_nothing(reference):
    assert run_import("practices", good_file(), "p.csv", dry_run=False).new == 2
    before = database_state()
    history = Practice.history.count()
    report = run_import("practices", good_file(), "p.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert database_state() == before
    assert Practice.history.count() == history


def test_a_changed_row_is_reported_as_updated(reference):
    run_import("practices", good_file(), "p.csv", dry_run=False)
    changed = csv_bytes([HEADERS, practice_row("one", title="New title"), practice_row("two")])
    report = run_import("practices", changed, "p.csv", dry_run=False)
    assert (report.new, report.updated, report.unchanged) == (0, 2, 0)
    assert Practice.objects.get(slug="one").title == "New title"


def test_values_are_matched_by_name_or_slug_whatever_the_case(reference):
    content = csv_bytes(
        [
            [*HEADERS, "stakeholders", "objectives", "indicators"],
            [
                *practice_row("one", themes="INTERCULTURAL DIALOGUE|Social-Inclusion"),
                "asticude (Lead)|acpp (PARTNER)",
                "17|23",
                "Narrative creators trained = 43 / 40 people",
            ],
        ]
    )
    call_command("load_demo")  # the GCM objectives
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert report.ok, report.problems
    practice = Practice.objects.get(slug="one")
    assert {t.slug for t in practice.themes.all()} == {"intercultural-dialogue", "social-inclusion"}
    assert {(r.stakeholder.slug, r.role) for r in practice.roles.all()} == {
        ("asticude", "lead"),
        ("acpp", "partner"),
    }
    indicator = practice.indicators.get()
    assert (indicator.achieved, indicator.target, indicator.unit) == (43, 40, "people")


def test_an_xlsx_file_is_imported(reference):
    content = xlsx_bytes([HEADERS, practice_row("one"), practice_row("two")])
    report = run_import("practices", content, "p.xlsx", dry_run=False)
    assert report.ok and report.new == 2


def test_choices_are_read_from_their_code_or_label_whatever_the_case(reference):
    content = csv_bytes([HEADERS, practice_row("one", status="PUBLISHED")])
    assert run_import("practices", content, "p.csv", dry_run=False).ok
    stakeholders = csv_bytes(
        [["slug", "name", "kind"], ["uclg", "UCLG", "International organisation"]]
    )
    assert run_import("stakeholders", stakeholders, "s.csv", dry_run=False).ok
    assert Stakeholder.objects.get(slug="uclg").kind == "international"


def test_an_xlsx_typed_by_hand_with_date_cells_reimports_unchanged(reference):
    from datetime import datetime

    content = xlsx_bytes([[*HEADERS, "start_date"], [*practice_row("one"), datetime(2021, 3, 1)]])
    assert run_import("practices", content, "p.xlsx", dry_run=False).new == 1
    assert str(Practice.objects.get().start_date) == "2021-03-01"
    assert run_import("practices", content, "p.xlsx", dry_run=False).unchanged == 1


def test_a_semicolon_separated_csv_is_read(reference):
    text = ";".join(HEADERS) + "\n" + ";".join(practice_row("one")) + "\n"
    assert run_import("practices", text.encode(), "p.csv", dry_run=True).new == 1


def test_events_are_imported_with_participant_counts(asticude):
    EventSeries.objects.create(name="Migration Week Nador 2019", slug="migration-week-nador-2019")
    content = csv_bytes(
        [
            [
                "slug",
                "title",
                "status",
                "kind",
                "series",
                "organisation",
                "starts_at",
                "ends_at",
                "country",
                "participants_narrative_creators",
                "participants_total",
            ],
            [
                "training",
                "Training",
                "published",
                "training",
                "migration-week-nador-2019",
                "asticude",
                "2019-12-16 09:00:00",
                "2019-12-17 17:00:00",
                "MA",
                "43",
                "999",
            ],
        ]
    )
    report = run_import("events", content, "e.csv", dry_run=False)
    assert report.ok, report.problems
    assert ParticipantCount.objects.get(event__slug="training").count == 43


# Malformed and hostile files: refused with a clear message, nothing written ------------------


def zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return output.getvalue()


def zip_of_many_parts() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(1001):
            archive.writestr(f"xl/part{number}.xml", "")
    return output.getvalue()


def xml_entity_bomb() -> bytes:
    """A real workbook whose sheet declares nested XML entities ("billion laughs")."""
    laughs = '<!DOCTYPE s [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADERS, practice_row("one")])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode() + data
            archive.writestr(item, data)
    return output.getvalue()


def zip_of_text() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return output.getvalue()


MALFORMED = {
    "wrong encoding": (
        lambda: csv_bytes([HEADERS, practice_row("one", title="Café à Nador")], "latin-1"),
        "p.csv",
        (None, None, "not encoded in UTF-8"),
    ),
    "not a spreadsheet (binary)": (
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        "photo.csv",
        (None, None, "not a spreadsheet"),
    ),
    "not a spreadsheet (named xlsx)": (
        lambda: b"slug,title\nx,y\n",
        "p.xlsx",
        (None, None, "not a spreadsheet"),
    ),
    "not a spreadsheet (a zip of text)": (zip_of_text, "p.xlsx", (None, None, "not a spreadsheet")),
    "zip bomb": (zip_bomb, "bomb.xlsx", (None, None, "unpacks to")),
    "xml entity bomb": (xml_entity_bomb, "laughs.xlsx", (None, None, "damaged")),
    "zip of many parts": (zip_of_many_parts, "parts.xlsx", (None, None, "parts, far more")),
    "missing column": (
        lambda: csv_bytes([HEADERS[:-3] + ["themes"], practice_row("one")[:4] + ["x"]]),
        "p.csv",
        (1, "summary", "required column is missing"),
    ),
    "duplicated column": (
        lambda: csv_bytes([[*HEADERS, "title"], [*practice_row("one"), "again"]]),
        "p.csv",
        (1, "title", "appears twice"),
    ),
    "unknown column": (
        lambda: csv_bytes([[*HEADERS, "colour"], [*practice_row("one"), "blue"]]),
        "p.csv",
        (1, "colour", "Unknown column"),
    ),
    "duplicated key": (
        lambda: csv_bytes([HEADERS, practice_row("one"), practice_row("two"), practice_row("ONE")]),
        "p.csv",
        (4, "slug", "already on row 2"),
    ),
    "unknown taxonomy value": (
        lambda: csv_bytes(
            [HEADERS, practice_row("one"), practice_row("two", themes="Dialogue|Astrology")]
        ),
        "p.csv",
        (3, "themes", "Unknown theme: “Dialogue”, “Astrology”"),
    ),
    "unknown organisation": (
        lambda: csv_bytes([HEADERS, practice_row("one", organisation="Nobody")]),
        "p.csv",
        (2, "organisation", "Unknown stakeholder: “Nobody”"),
    ),
    "invalid status": (
        lambda: csv_bytes([HEADERS, practice_row("one", status="famous")]),
        "p.csv",
        (2, "status", "Unknown value “famous”; use one of: draft, submitted"),
    ),
    "only blank lines": (lambda: b"\n\n  \n", "p.csv", (None, None, "The file is empty")),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_written(
    coordinator, reference, case
):
    make, name, (row, column, words) = MALFORMED[case]
    before = database_state()
    response = upload(logged_in(coordinator), make(), name)
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.ok
    assert any(
        problem.row == row and problem.column == column and words in problem.message
        for problem in report.problems
    ), report.problems
    assert words in response.content.decode()
    assert "Confirm the import" not in response.content.decode()
    assert database_state() == before
    assert SESSION_KEY not in response.wsgi_request.session


def test_an_empty_file_is_refused_by_the_form(coordinator):
    response = upload(logged_in(coordinator), b"")
    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()


def test_an_unknown_stakeholder_in_the_roles_is_an_error_of_its_row(reference):
    content = csv_bytes(
        [[*HEADERS, "stakeholders"], [*practice_row("one"), "ASTICUDE (lead)|Ghost NGO (partner)"]]
    )
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(2, "stakeholders")]
    assert "Ghost NGO" in report.problems[0].message
    assert not Stakeholder.objects.filter(name="Ghost NGO").exists()
    assert not Practice.objects.exists()


def test_a_file_over_the_size_limit_is_refused(coordinator, reference, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(logged_in(coordinator), good_file() + b"x" * 100)
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert not Practice.objects.exists()


def test_a_file_over_the_row_limit_is_refused(coordinator, reference, settings):
    settings.IMPORT_MAX_ROWS = 2
    content = csv_bytes([HEADERS, *(practice_row(f"p{n}") for n in range(3))])
    response = upload(logged_in(coordinator), content)
    (problem,) = response.context["report"].problems
    assert "more than 2 rows" in problem.message
    assert not Practice.objects.exists()


def test_an_import_with_one_bad_row_writes_none_of_the_good_ones(reference):
    content = csv_bytes([HEADERS, practice_row("one"), practice_row("two", country="")])
    report = run_import("practices", content, "p.csv", dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(3, "country")]
    assert not Practice.objects.exists()


# Blank templates and access ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_a_blank_template_lists_the_columns_an_import_reads(coordinator, kind):
    response = logged_in(coordinator).get(f"/en/reports/import/template/{kind}.csv")
    content = content_of(response)
    header = content.decode("utf-8-sig").strip()
    assert header.startswith("slug,")
    assert "participants_total" not in header
    report = run_import(kind, content, "t.csv", dry_run=True)
    assert report.ok and report.total == 0


def test_a_blank_xlsx_template_opens_in_a_spreadsheet_library(coordinator):
    from tests.spreadsheet_helpers import xlsx_rows

    response = logged_in(coordinator).get("/en/reports/import/template/events.xlsx")
    assert xlsx_rows(content_of(response)) == []


def test_anonymous_visitors_are_sent_to_sign_in_for_imports(client, reference):
    for response in (
        client.get("/en/reports/import/"),
        upload(client, good_file()),
        client.post("/en/reports/import/confirm/"),
        client.get("/en/reports/import/template/practices.csv"),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert not Practice.objects.exists()


@pytest.mark.parametrize("persona", ["partner", "outsider"])
def test_partners_cannot_import(request, reference, persona):
    client = logged_in(request.getfixturevalue(persona))
    assert client.get("/en/reports/import/").status_code == 403
    assert upload(client, good_file()).status_code == 403
    assert client.post("/en/reports/import/confirm/").status_code == 403
    assert not Practice.objects.exists()


def test_the_import_page_shows_the_form_and_the_templates(coordinator):
    response = logged_in(coordinator).get("/en/reports/import/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert 'for="id_file"' in page
    assert "/en/reports/import/template/stakeholders.xlsx" in page


def test_the_confirmation_answers_post_only(coordinator):
    assert logged_in(coordinator).get("/en/reports/import/confirm/").status_code == 405


# Round trip ------------------------------------------------------------------------------------


def snapshot() -> dict:
    """Everything the three exports carry, keyed by slug, ids left out."""

    def names(manager, field="slug"):
        return sorted(str(getattr(obj, field)) for obj in manager.all())

    practices = {}
    for practice in Practice.objects.all():
        values = {
            field: getattr(practice, field)
            for field in [
                "title",
                "status",
                "summary",
                "impact",
                "lessons_learnt",
                "city",
                "local_government",
                "mayor",
                "start_date",
                "end_date",
                "language",
                "is_sample",
                "published_at",
            ]
        }
        values.update(
            country=practice.country.code,
            organisation=practice.organisation.slug,
            programme=practice.programme and practice.programme.slug,
            themes=names(practice.themes),
            objectives=names(practice.objectives, "number"),
            principles=names(practice.principles),
            target_groups=names(practice.target_groups),
            areas=names(practice.areas),
            levels=names(practice.cooperation_levels, "code"),
            roles=sorted((r.stakeholder.slug, r.role) for r in practice.roles.all()),
            indicators=[(i.label, i.target, i.achieved, i.unit) for i in practice.indicators.all()],
        )
        practices[practice.slug] = values
    stakeholders = {
        s.slug: (s.name, s.kind, s.city, s.country.code, s.website, s.description)
        for s in Stakeholder.objects.all()
    }
    events = {
        e.slug: (
            e.title,
            e.status,
            e.kind,
            e.series and e.series.slug,
            e.organisation.slug,
            names(e.organisers),
            names(e.practices),
            e.starts_at,
            e.ends_at,
            e.venue,
            e.city,
            e.country.code,
            e.description,
            e.expected_participants,
            sorted((c.category, c.count) for c in e.participant_counts.all()),
        )
        for e in Event.objects.all()
    }
    return {"practices": practices, "stakeholders": stakeholders, "events": events}


def empty_the_database() -> None:
    """Remove every exported record; reference data and taxonomies stay, as in a fresh
    installation (migrations load the GCM reference data; taxonomies are not exported)."""
    Event.objects.all().delete()
    Practice.objects.all().delete()
    Stakeholder.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_data(coordinator, fmt):
    call_command("load_demo")
    before = snapshot()
    client = logged_in(coordinator)
    files = {
        kind: content_of(client.get(f"/en/reports/export/{kind}.{fmt}"))
        for kind in ("stakeholders", "practices", "events")
    }
    empty_the_database()
    assert not Practice.objects.exists() and not Stakeholder.objects.exists()
    for kind, content in files.items():
        report = run_import(kind, content, f"{kind}.{fmt}", dry_run=False)
        assert report.ok, report.problems
        assert report.new == report.total > 0
    assert snapshot() == before
