import io
from datetime import UTC
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from events.models import Event, ParticipantCount
from practices.models import Indicator, StakeholderRole, Status, Theme
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import content_of, rows_of

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx", "json"]


def export_url(kind: str, fmt: str, query: str = "") -> str:
    return f"/en/reports/export/{kind}.{fmt}" + (f"?{query}" if query else "")


def open_data_url(fmt: str, query: str = "") -> str:
    return f"/en/reports/open-data/practices.{fmt}" + (f"?{query}" if query else "")


@pytest.fixture
def social_inclusion(db):
    return Theme.objects.create(name="Social inclusion", slug="social-inclusion")


@pytest.fixture
def practices(asticude, acpp, theme, social_inclusion):
    """Four practices: two themes, two countries, one draft."""
    made = {
        "dialogue-ma": make_practice(asticude, "Dialogue MA", country="MA", city="Nador"),
        "dialogue-es": make_practice(acpp, "Dialogue ES", country="ES", city="Seville"),
        "inclusion-ma": make_practice(asticude, "Inclusion MA", country="MA", city="Nador"),
        "draft-ma": make_practice(asticude, "Draft MA", status=Status.DRAFT),
    }
    made["dialogue-ma"].themes.add(theme)
    made["dialogue-es"].themes.add(theme)
    made["inclusion-ma"].themes.add(social_inclusion)
    made["draft-ma"].themes.add(theme)
    return made


def slugs(response, fmt: str) -> set[str]:
    return {row["slug"] for row in rows_of(response, fmt)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_coordinator_exports_every_practice_in_each_format(coordinator, practices, fmt):
    response = logged_in(coordinator).get(export_url("practices", fmt))
    assert response.status_code == 200
    assert slugs(response, fmt) == {"dialogue-ma", "dialogue-es", "inclusion-ma", "draft-ma"}


def test_an_export_takes_the_filters_of_the_public_list(coordinator, practices):
    client = logged_in(coordinator)
    response = client.get(export_url("practices", "csv", "theme=intercultural-dialogue&country=MA"))
    assert slugs(response, "csv") == {"dialogue-ma", "draft-ma"}


def test_a_repeated_parameter_means_or_and_different_parameters_mean_and(coordinator, practices):
    client = logged_in(coordinator)
    either = "theme=intercultural-dialogue&theme=social-inclusion&city=Nador&status=published"
    assert slugs(client.get(export_url("practices", "csv", either)), "csv") == {
        "dialogue-ma",
        "inclusion-ma",
    }


@pytest.mark.parametrize(
    "query", ["theme=no-such-theme", "country=XX", "objective=99", "stakeholder_kind=pirates"]
)
def test_an_unknown_filter_value_exports_no_row(coordinator, practices, query):
    response = logged_in(coordinator).get(export_url("practices", "csv", query))
    assert response.status_code == 200
    assert rows_of(response, "csv") == []


def test_coordinators_export_unpublished_work_through_a_status_filter(coordinator, practices):
    response = logged_in(coordinator).get(export_url("practices", "json", "status=draft"))
    assert slugs(response, "json") == {"draft-ma"}


def test_the_file_name_carries_the_type_the_date_and_the_filter(coordinator, practices):
    response = logged_in(coordinator).get(
        export_url("practices", "xlsx", "theme=intercultural-dialogue&country=MA")
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="practices_{today}_country-ma_theme-intercultural-dialogue.xlsx"'
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_file_name_says_all_without_filter(coordinator, practices):
    response = logged_in(coordinator).get(export_url("stakeholders", "csv"))
    assert response["Content-Disposition"].endswith(f'_{timezone.localdate()}_all.csv"')


def test_practices_carry_taxonomies_by_name_stakeholders_with_roles_and_indicators(
    coordinator, practices, acpp, asticude
):
    practice = practices["dialogue-ma"]
    StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
    StakeholderRole.objects.create(practice=practice, stakeholder=acpp, role="partner")
    Indicator.objects.create(
        practice=practice,
        label="Narrative creators trained",
        target=Decimal(40),
        achieved=Decimal(43),
        unit="people",
    )
    response = logged_in(coordinator).get(export_url("practices", "csv", "country=MA&city=Nador"))
    row = next(row for row in rows_of(response, "csv") if row["slug"] == "dialogue-ma")
    assert row["themes"] == "Intercultural dialogue"
    assert row["organisation"] == "ASTICUDE"
    assert row["stakeholders"] == "ASTICUDE (lead)|ACPP (partner)"
    assert row["indicators"] == "Narrative creators trained = 43 / 40 people"


def test_events_carry_their_participant_counts(coordinator, asticude):
    event = Event.objects.create(
        title="Training",
        slug="training",
        kind="training",
        organisation=asticude,
        starts_at=timezone.now(),
        ends_at=timezone.now(),
        country="MA",
    )
    ParticipantCount.objects.create(event=event, category="narrative_creators", count=43)
    ParticipantCount.objects.create(event=event, category="officials", count=4)
    (row,) = rows_of(logged_in(coordinator).get(export_url("events", "xlsx")), "xlsx")
    assert row["participants_narrative_creators"] == "43"
    assert row["participants_officials"] == "4"
    assert row["participants_migrants"] in ("", None)
    assert row["participants_total"] == "47"


def test_stakeholders_are_exported_with_a_kind_filter(coordinator, asticude, acpp):
    asticude.kind = "municipality"
    asticude.save()
    response = logged_in(coordinator).get(export_url("stakeholders", "json", "kind=ngo"))
    rows = rows_of(response, "json")
    assert [row["name"] for row in rows] == ["ACPP"]


HOSTILE = {
    "title": '=HYPERLINK("http://evil.example","click")',
    "summary": "+1+2",
    "city": "@SUM(A1)",
    "mayor": "-2+3",
    "local_government": "\t=cmd",
    "impact": "\r=1",
}


@pytest.fixture
def hostile_practice(asticude):
    return make_practice(asticude, "Hostile", **{k: v for k, v in HOSTILE.items() if k != "title"})


def test_formula_injection_is_neutralised_in_csv(coordinator, hostile_practice):
    hostile_practice.title = HOSTILE["title"]
    hostile_practice.save()
    (row,) = rows_of(logged_in(coordinator).get(export_url("practices", "csv")), "csv")
    for field, value in HOSTILE.items():
        assert row[field] == "'" + value


def test_formula_injection_is_neutralised_in_xlsx(coordinator, hostile_practice):
    hostile_practice.title = HOSTILE["title"]
    hostile_practice.save()
    response = logged_in(coordinator).get(export_url("practices", "xlsx"))
    sheet = load_workbook(io.BytesIO(content_of(response))).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    cells = dict(zip(headers, sheet[2], strict=True))
    for field, value in HOSTILE.items():
        assert cells[field].data_type == "s"  # text, never a formula
        # XML stores a carriage return as a line feed: only the apostrophe matters.
        assert cells[field].value == "'" + value.replace("\r", "\n")


def test_a_neutralised_export_imports_back_unchanged(coordinator, hostile_practice, tmp_path):
    from reports.imports import run_import

    response = logged_in(coordinator).get(export_url("practices", "csv"))
    report = run_import("practices", content_of(response), "p.csv", dry_run=True)
    assert report.ok and report.unchanged == 1


def make_rich_practices(count: int, asticude, acpp, theme):
    for number in range(count):
        practice = make_practice(asticude, f"Practice {count}-{number}")
        practice.themes.add(theme)
        StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
        StakeholderRole.objects.create(practice=practice, stakeholder=acpp, role="partner")
        Indicator.objects.create(practice=practice, label="People", target=10, achieved=5)


def count_export_queries(client, fmt: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url("practices", fmt))
        rows = rows_of(response, fmt)
    return len(queries), len(rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_number_of_queries_of_an_export_does_not_grow_with_its_rows(
    coordinator, asticude, acpp, theme, fmt
):
    client = logged_in(coordinator)
    make_rich_practices(3, asticude, acpp, theme)
    few, rows = count_export_queries(client, fmt)
    assert rows == 3
    make_rich_practices(27, asticude, acpp, theme)
    many, rows = count_export_queries(client, fmt)
    assert rows == 30
    assert many == few


def test_a_large_export_reads_in_chunks(coordinator, asticude, acpp, theme, monkeypatch):
    monkeypatch.setattr("reports.exports.CHUNK_SIZE", 4)
    make_rich_practices(10, asticude, acpp, theme)
    response = logged_in(coordinator).get(export_url("practices", "csv"))
    assert response.streaming
    assert len(rows_of(response, "csv")) == 10


@pytest.mark.parametrize("fmt", FORMATS)
def test_anyone_downloads_the_published_practices_of_the_list(client, practices, fmt):
    response = client.get(open_data_url(fmt, "theme=intercultural-dialogue"))
    assert response.status_code == 200
    assert slugs(response, fmt) == {"dialogue-ma", "dialogue-es"}


def test_the_open_data_download_ignores_a_status_filter(client, partner, practices):
    response = logged_in(partner).get(open_data_url("csv", "status=draft"))
    assert slugs(response, "csv") == {"dialogue-ma", "dialogue-es", "inclusion-ma"}
    assert "status" not in response["Content-Disposition"]


@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_anonymous_visitors_are_sent_to_sign_in_for_exports(client, practices, kind):
    response = client.get(export_url(kind, "csv"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["partner", "outsider"])
@pytest.mark.parametrize("kind", ["practices", "stakeholders", "events"])
def test_partners_cannot_export_unpublished_data(request, practices, persona, kind):
    user = request.getfixturevalue(persona)
    response = logged_in(user).get(export_url(kind, "csv", "status=draft"))
    assert response.status_code == 403


def test_an_unknown_type_or_format_is_not_found(coordinator):
    client = logged_in(coordinator)
    assert client.get(export_url("users", "csv")).status_code == 404
    assert client.get(export_url("practices", "pdf")).status_code == 404
    assert client.get(open_data_url("exe")).status_code == 404


def test_an_export_answers_get_only(coordinator):
    assert logged_in(coordinator).post(export_url("practices", "csv")).status_code == 405


def test_practice_rows_equal_the_resources_own_export_cell_for_cell(db, monkeypatch):
    from django.core.management import call_command

    from practices.models import Practice
    from reports import exports
    from reports.resources.practices import PracticeResource

    call_command("load_demo")
    monkeypatch.setattr(exports, "PRACTICE_CHUNK_SIZE", 3)  # several chunks
    resource = PracticeResource()
    fields = resource.get_export_fields()
    practices = PracticeResource.export_queryset(Practice.objects.all()).order_by("pk")
    expected = [
        [resource.export_field(field, practice) for field in fields] for practice in practices
    ]
    assert any(row[fields.index(resource.fields["stakeholders"])] for row in expected)
    assert list(exports.practice_rows(resource, Practice.objects.all())) == expected
    written_by_postgresql = exports.database_csv(resource, Practice.objects.all())
    assert (written_by_postgresql is None) == (connection.vendor != "postgresql")
    if written_by_postgresql is not None:
        assert b"".join(written_by_postgresql) == resource_csv(Practice.objects.all())


# -- The CSV of practices written by PostgreSQL (reports/sql_export.py) -----------------
# On PostgreSQL the CSV export of practices is one query of ready lines; elsewhere it is
# written in Python. Either way it must be the bytes csv_lines writes from the Resource's
# own export (django-import-export's PracticeResource().export()).

ARABIC = "ممارسة جيدة، لإدماج المهاجرين"
CONTROL = "\x01\x02\x07\x0b\x0c\x1b\x1f"


@pytest.fixture
def hostile_practices(asticude, acpp, theme, social_inclusion):
    from datetime import date, datetime

    from practices.models import (
        CooperationLevel,
        GcmObjective,
        GuidingPrinciple,
        InterventionArea,
        Programme,
        TargetGroup,
    )
    from tests.conftest import make_stakeholder

    evil_theme = Theme.objects.create(name='=Evil, "theme"\nnext', slug="evil")
    quoted = make_stakeholder('Org "quoted", Inc.')
    arabic = make_stakeholder("جمعية الناظور")
    programme = Programme.objects.create(name="+Programme, with comma", slug="programme")
    rich = make_practice(
        asticude,
        'He said "hi", then left',
        summary='Line one\r\nline two, with "quotes"\nand a third\rline',
        impact="=1+2",
        lessons_learnt=f"{CONTROL}=SUM(A1) hidden behind controls",
        city="@home",
        local_government="\tTabbed",
        mayor="-Mayor",
        start_date=date(2019, 3, 1),
        end_date=date(2024, 12, 31),
        programme=programme,
        language="ar",
        is_sample=True,
        published_at=datetime(2024, 6, 30, 23, 30, 15, 999999, tzinfo=UTC),
    )
    rich.themes.add(theme, social_inclusion, evil_theme)
    rich.objectives.add(*GcmObjective.objects.order_by("-number")[:3])
    rich.principles.add(*GuidingPrinciple.objects.all()[:2])
    rich.target_groups.add(TargetGroup.objects.create(name="Youth", slug="youth"))
    rich.areas.add(InterventionArea.objects.create(name=ARABIC, slug="area"))
    rich.cooperation_levels.add(*CooperationLevel.objects.all())
    for stakeholder, role in [(quoted, "partner"), (asticude, "lead"), (arabic, "funder")]:
        StakeholderRole.objects.create(practice=rich, stakeholder=stakeholder, role=role)
    StakeholderRole.objects.create(practice=rich, stakeholder=acpp, role="partner")
    for position, (label, achieved, target, unit) in enumerate(
        [
            ("Narrative creators trained", Decimal("43.00"), Decimal(40), "people"),
            ('Budget, "spent"', Decimal("1000.50"), Decimal("0.00"), ""),
            ("=Formula label ", None, Decimal("12.5"), " \t"),
        ]
    ):
        Indicator.objects.create(
            practice=rich,
            label=label,
            achieved=achieved,
            target=target,
            unit=unit,
            position=2 - position,
        )
    bare = make_practice(
        acpp, f"Bare {ARABIC}", summary=f"{ARABIC}\n{CONTROL}", city="الناظور", country="ES"
    )
    draft = make_practice(asticude, "Draft, unlinked", status=Status.DRAFT, summary="+draft")
    draft.themes.add(evil_theme)
    return {"rich": rich, "bare": bare, "draft": draft}


def resource_csv(queryset, resource=None) -> bytes:
    """The CSV django-import-export's own export would give, through our cell cleaning."""
    from reports.exports import csv_lines
    from reports.resources.practices import PracticeResource

    dataset = (resource or PracticeResource()).export(queryset=queryset.order_by("pk"))
    return "".join(csv_lines(dataset.headers, [list(row) for row in dataset])).encode()


def test_the_practices_csv_is_the_resources_own_export_byte_for_byte_on_hostile_data(
    coordinator, hostile_practices
):
    from practices.models import Practice

    content = content_of(logged_in(coordinator).get(export_url("practices", "csv")))
    assert content == resource_csv(Practice.objects.all())
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel reads as UTF-8
    rows = {row["slug"]: row for row in rows_of_bytes(content)}
    rich = rows["he-said-hi-then-left"]
    assert rich["title"] == 'He said "hi", then left'
    assert rich["lessons_learnt"] == "'=SUM(A1) hidden behind controls"
    assert rich["stakeholders"] == (
        'جمعية الناظور (funder)|ASTICUDE (lead)|ACPP (partner)|Org "quoted", Inc. (partner)'
    )
    assert rich["indicators"].startswith("'=Formula label  =  / 12.5|Budget")
    assert rich["published_at"] == "2024-07-01 00:30:15"  # Africa/Casablanca, like the widget
    assert rows["bare"]["title"] == f"Bare {ARABIC}"
    assert rows["bare"]["themes"] == rows["bare"]["stakeholders"] == ""


def rows_of_bytes(content: bytes) -> list[dict]:
    from tests.spreadsheet_helpers import csv_rows

    return csv_rows(content)


def test_postgresql_writes_the_practices_csv_in_one_query_and_sqlite_in_python(
    hostile_practices,
):
    from practices.models import Practice
    from reports import exports
    from reports.resources.practices import PracticeResource

    chunks = exports.database_csv(PracticeResource(), Practice.objects.all())
    assert (chunks is not None) == (connection.vendor == "postgresql")
    if chunks is not None:
        with CaptureQueriesContext(connection) as queries:
            content = b"".join(chunks)
        assert content == resource_csv(Practice.objects.all())
        assert sum("DECLARE" in query["sql"] for query in queries) == 1


def test_the_open_data_csv_carries_only_the_filtered_published_practices(client, hostile_practices):
    from django.http import QueryDict

    from practices.models import Practice
    from search.filters import PracticeFilter

    query = "theme=evil&country=MA&year=2020"
    response = client.get(open_data_url("csv", query))
    selected = PracticeFilter(QueryDict(query), queryset=Practice.objects.published()).qs
    assert set(selected.values_list("slug", flat=True)) == {"he-said-hi-then-left"}
    assert content_of(response) == resource_csv(selected)
    everything = content_of(client.get(open_data_url("csv")))
    assert everything == resource_csv(Practice.objects.published())
    assert {row["slug"] for row in rows_of_bytes(everything)} == {
        "he-said-hi-then-left",
        "bare",
    }


def test_a_large_csv_is_read_in_batches_and_sent_in_pieces_not_lines(
    client, asticude, acpp, theme, monkeypatch
):
    from practices.models import Practice

    monkeypatch.setattr("reports.sql_export.FETCH_SIZE", 3)
    monkeypatch.setattr("reports.sql_export.CHUNK_BYTES", 2000)
    monkeypatch.setattr("reports.exports.PIECE_CHARS", 2000)
    make_rich_practices(40, asticude, acpp, theme)
    Practice.objects.update(summary="A long, long summary. " * 20)
    response = client.get(open_data_url("csv", "country=MA"))  # a selection: streamed
    chunks = list(response.streaming_content)
    assert b"".join(chunks) == resource_csv(Practice.objects.published())
    assert 10 < len(chunks) < 40  # pieces of several lines
    assert all(len(chunk) >= 2000 for chunk in chunks[1:-1])


def test_an_export_of_a_resource_with_a_column_the_sql_cannot_write_takes_the_python_path(
    hostile_practices,
):
    from import_export import fields

    from practices.models import Practice
    from reports import exports, sql_export
    from reports.resources.practices import PracticeResource

    class WithExtra(PracticeResource):
        extra = fields.Field(column_name="extra")

        class Meta(PracticeResource.Meta):
            fields = [*PracticeResource.Meta.fields, "extra"]

        def dehydrate_extra(self, practice):
            return practice.title.upper()

    assert sql_export.practice_csv_query(WithExtra(), Practice.objects.all()) is None
    assert exports.database_csv(WithExtra(), Practice.objects.all()) is None


def test_a_rich_export_imports_back_unchanged(coordinator, hostile_practices):
    from reports.imports import run_import

    # What a spreadsheet cannot carry: control characters (dropped), microseconds, and
    # spaces around an indicator's label or unit (trimmed on import).
    for practice in hostile_practices.values():
        practice.lessons_learnt = practice.lessons_learnt.replace(CONTROL, "")
        practice.summary = practice.summary.replace(CONTROL, "")
        if practice.published_at:
            practice.published_at = practice.published_at.replace(microsecond=0)
        practice.save()
    for indicator in Indicator.objects.all():
        indicator.label, indicator.unit = indicator.label.strip(), indicator.unit.strip()
        indicator.save()
    response = logged_in(coordinator).get(export_url("practices", "csv"))
    report = run_import("practices", content_of(response), "p.csv", dry_run=True)
    assert report.ok and report.unchanged == 3
