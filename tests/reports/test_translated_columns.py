"""Exports and imports carry the languages: a column per translated text and language, the
categories named in the page's language, and the open data with approved translations only
(reports/resources/translations.py)."""

from decimal import Decimal

import pytest
from django.db import connection

from practices.models import Indicator, Practice, PracticeTranslation, Status, Theme
from reports.imports import run_import
from tests.conftest import logged_in, make_practice
from tests.spreadsheet_helpers import content_of, csv_bytes, csv_rows, rows_of, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(asticude, theme):
    """A French practice with two indicators, translated into English (approved, with one
    indicator label) and Spanish (awaiting review)."""
    theme.name_fr = "Dialogue interculturel"
    theme.save()
    practice = make_practice(
        asticude, "Dialogue à Nador", language="fr", summary="Ce qu'elle a fait."
    )
    practice.themes.add(theme)
    first = Indicator.objects.create(
        practice=practice, label="Personnes formées", achieved=Decimal(3), position=0
    )
    Indicator.objects.create(practice=practice, label="Ateliers", target=Decimal(5), position=1)
    PracticeTranslation.objects.create(
        practice=practice,
        language="en",
        title="Dialogue in Nador",
        summary="What it did, in English.",
        lessons_learnt="Listen first.",
        indicator_labels={str(first.pk): "People trained"},
        status=Status.PUBLISHED,
    )
    PracticeTranslation.objects.create(
        practice=practice,
        language="es",
        title="Diálogo en Nador",
        summary="Lo que hizo.",
        status=Status.SUBMITTED,
    )
    return practice


def export(user, fmt: str = "csv", language: str = "en", query: str = "") -> bytes:
    url = f"/{language}/reports/export/practices.{fmt}" + (f"?{query}" if query else "")
    return content_of(logged_in(user).get(url))


def only_row(content: bytes, fmt: str = "csv") -> dict:
    (row,) = csv_rows(content) if fmt == "csv" else rows_of_xlsx(content)
    return row


def rows_of_xlsx(content: bytes) -> list[dict]:
    from tests.spreadsheet_helpers import xlsx_rows

    return xlsx_rows(content)


def versions() -> tuple[int, int]:
    return Practice.history.count(), PracticeTranslation.history.count()


def reimport(content: bytes, fmt: str = "csv", user=None):
    return run_import("practices", content, f"practices.{fmt}", dry_run=False, user=user)


def test_the_coordinators_export_has_a_column_per_text_and_language(coordinator, translated):
    row = only_row(export(coordinator))
    assert row["title_en"] == "Dialogue in Nador"
    assert row["lessons_learnt_en"] == "Listen first."
    assert row["indicator_labels_en"] == "People trained|"
    assert row["title_es"] == "Diálogo en Nador"  # awaiting review: coordinators see it
    assert row["title_ar"] == row["summary_ar"] == row["indicator_labels_es"] == ""
    assert row["title_fr"] == ""  # the practice's own language: its text is in `title`
    assert row["language"] == "fr"


def test_the_open_data_shows_approved_translations_only(client, translated):
    for fmt in ("csv", "xlsx", "json"):
        (row,) = rows_of(client.get(f"/en/reports/open-data/practices.{fmt}"), fmt)
        assert row["title_en"] == "Dialogue in Nador"
        assert row["language"] == "fr"
        assert not row["title_es"], fmt
        assert not row["summary_es"], fmt


def test_a_french_export_names_the_categories_in_french_with_english_fallback(
    coordinator, translated
):
    translated.themes.add(Theme.objects.create(name="Youth", slug="youth"))
    row = only_row(export(coordinator, language="fr"))
    assert row["themes"] == "Dialogue interculturel|Youth"
    assert only_row(export(coordinator))["themes"] == "Intercultural dialogue|Youth"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_back_unchanged_changes_nothing_and_writes_no_version(
    coordinator, translated, fmt
):
    content = export(coordinator, fmt)
    before = versions()
    report = reimport(content, fmt, user=coordinator)
    assert report.ok, report.problems
    assert (report.unchanged, report.updated, report.new) == (1, 0, 0)
    assert versions() == before
    assert translated.translations.get(language="es").status == Status.SUBMITTED


def test_a_french_export_imports_back_unchanged(coordinator, translated):
    report = reimport(export(coordinator, language="fr"), user=coordinator)
    assert report.ok and report.unchanged == 1


def sheet_with(content: bytes, **cells) -> bytes:
    rows = csv_rows(content)
    for row in rows:
        row.update(cells)
    headers = list(rows[0])
    return csv_bytes([headers, *([row[h] for h in headers] for row in rows)])


def test_a_changed_translation_cell_updates_it_approved_with_a_version_and_fresh_search_data(
    coordinator, translated, monkeypatch
):
    refreshed = []
    monkeypatch.setattr(
        "search.fulltext.write_vectors",
        lambda practices, known=None: refreshed.extend(practice.pk for practice in practices),
    )
    practices, translations = versions()
    content = sheet_with(export(coordinator), summary_es="Lo que hizo, corregido.")
    report = reimport(content, user=coordinator)
    assert report.ok and report.updated == 1
    spanish = translated.translations.get(language="es")
    assert spanish.summary == "Lo que hizo, corregido."
    assert spanish.status == Status.PUBLISHED  # imports are the coordinators'
    assert spanish.updated_by == coordinator
    assert versions() == (practices + 1, translations + 1)
    assert refreshed == [translated.pk]
    assert translated.translations.get(language="en").title == "Dialogue in Nador"


def test_blank_cells_keep_an_existing_translation(coordinator, translated):
    blank = {f"{text}_es": "" for text in ("title", "summary", "impact", "lessons_learnt")}
    report = reimport(sheet_with(export(coordinator), **blank), user=coordinator)
    assert report.ok and report.unchanged == 1
    assert translated.translations.get(language="es").title == "Diálogo en Nador"


def test_an_import_adds_a_translation_with_its_indicator_labels(coordinator, translated):
    content = sheet_with(
        export(coordinator),
        title_ar="حوار في الناظور",
        summary_ar="ما فعلته.",
        indicator_labels_ar="|ورشات",
    )
    report = reimport(content, user=coordinator)
    assert report.ok and report.updated == 1
    arabic = translated.translations.get(language="ar")
    workshops = translated.indicators.get(label="Ateliers")
    assert (arabic.title, arabic.status) == ("حوار في الناظور", Status.PUBLISHED)
    assert arabic.indicator_labels == {str(workshops.pk): "ورشات"}


def test_a_new_practice_comes_with_its_translation_and_labels(coordinator, reference):
    headers = ["slug", "title", "status", "organisation", "summary", "country", "indicators"]
    headers += ["title_fr", "summary_fr", "indicator_labels_fr"]
    row = ["new", "New", "published", "ASTICUDE", "What.", "MA", "Trained = 1 / 2 people"]
    row += ["Nouvelle", "Quoi.", "Formés"]
    report = reimport(xlsx_bytes([headers, row]), "xlsx", user=coordinator)
    assert report.ok and report.new == 1
    practice = Practice.objects.get(slug="new")
    french = practice.translations.get()
    assert (french.language, french.title, french.status) == ("fr", "Nouvelle", "published")
    assert french.indicator_labels == {str(practice.indicators.get().pk): "Formés"}
    assert PracticeTranslation.history.filter(id=french.pk).count() == 1


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"title_fr": "Autre titre"}, "title_fr", "written in this language"),
        ({"title_ar": "عنوان"}, "summary_ar", "needs a title and a summary"),
        (
            {"title_ar": "ع", "summary_ar": "م", "indicator_labels_ar": "a|b|c"},
            "indicator_labels_ar",
            "more labels",
        ),
    ],
)
def test_a_translation_the_import_cannot_take_is_an_error_of_its_row(
    coordinator, translated, cells, column, message
):
    report = reimport(sheet_with(export(coordinator), **cells), user=coordinator)
    assert not report.ok
    (problem,) = report.problems
    assert (problem.row, problem.column) == (2, column)
    assert message in problem.message
    assert translated.translations.count() == 2


def test_the_import_finds_categories_by_slug_or_by_name_in_any_language(coordinator, translated):
    other = make_practice(translated.organisation, "Other")
    content = export(coordinator)
    rows = csv_rows(content)
    for row, themes in zip(rows, ["intercultural-dialogue", "Dialogue interculturel"], strict=True):
        row["themes"] = themes
    headers = list(rows[0])
    translated.themes.clear()
    report = reimport(csv_bytes([headers, *([row[h] for h in headers] for row in rows)]))
    assert report.ok, report.problems
    assert set(Theme.objects.get().practices.all()) == {translated, other}
    assert report.updated == 2  # neither had the theme any more


def test_the_sql_csv_equals_the_resources_export_with_translations_in_every_language(
    coordinator, translated, settings
):
    from reports import exports
    from reports.resources.practices import PracticeResource
    from tests.reports.test_exports import CONTROL, resource_csv

    make_practice(translated.organisation, "English, untranslated")
    first, second = translated.indicators.all()
    PracticeTranslation.objects.create(
        practice=translated,
        language="ar",
        title='=Evil, "quoted"',
        summary=f"Line one\r\nline two{CONTROL}=SUM(A1)",
        impact="-1",
        indicator_labels={str(second.pk): "@label, with comma", "999": "gone"},
        status=Status.PUBLISHED,
    )
    translated.themes.add(
        Theme.objects.create(name="Zeta", name_fr="", slug="zeta"),
        Theme.objects.create(name="Education", name_fr="Éducation", slug="education"),
        Theme.objects.create(name="alpha", name_fr="alpha", slug="alpha"),
    )
    for language, public in [("en", False), ("fr", False), ("fr", True)]:
        resource = PracticeResource(language=language, public=public)
        expected = resource_csv(Practice.objects.all(), resource)
        chunks = exports.database_csv(resource, Practice.objects.all())
        assert (chunks is None) == (connection.vendor != "postgresql")
        python = exports.csv_lines(
            resource.get_export_headers(), exports.rows(resource, Practice.objects.all())
        )
        assert "".join(python).encode() == expected
        if chunks is not None:
            assert b"".join(chunks) == expected


def translated_file(count: int, title: str = "Traduction", first: int = 0) -> bytes:
    """practices_file's rows with a French translation each, its indicator label too."""
    from tests.spreadsheet_helpers import practices_file

    rows = csv_rows(practices_file(count, first=first))
    for n, row in enumerate(rows, start=first):
        row.update(title_fr=f"{title} {n}", summary_fr="Ce qu'elle a fait.")
        row["indicator_labels_fr"] = "Personnes formées"
    headers = list(rows[0])
    return csv_bytes([headers, *([row[h] for h in headers] for row in rows)])


def test_translations_are_written_in_bulk_whatever_the_number_of_rows(
    reference, django_assert_max_num_queries
):
    from tests.reports.test_import_bulk import SPLIT_INSERTS
    from tests.spreadsheet_helpers import import_queries

    ten = import_queries(translated_file(10))
    with django_assert_max_num_queries(ten + SPLIT_INSERTS):
        report = run_import("practices", translated_file(40, first=10), "p.csv", dry_run=False)
    assert report.new == 40
    assert PracticeTranslation.objects.published().filter(language="fr").count() == 50
    changed_ten = import_queries(translated_file(10, title="Autre"))
    with django_assert_max_num_queries(changed_ten + SPLIT_INSERTS):
        report = run_import(
            "practices", translated_file(50, title="Encore"), "p.csv", dry_run=False
        )
    assert report.updated == 50
    assert PracticeTranslation.objects.filter(title="Encore 49").exists()
    assert (
        run_import("practices", translated_file(50, title="Encore"), "p.csv", False).unchanged == 50
    )


def test_translations_written_chunk_by_chunk_land_on_their_practices_and_indicators(
    reference, coordinator, monkeypatch
):
    """Each chunk's links and translations are written with it, before the next chunk's
    rows are read; new and updated practices mixed in a chunk keep theirs apart."""
    from reports.resources.practices import PracticeResource

    monkeypatch.setattr(PracticeResource._meta, "batch_size", 3)
    assert run_import("practices", translated_file(11), "p.csv", dry_run=False).new == 11
    Practice.objects.filter(slug__in=[f"practice-{n}" for n in range(1, 11, 2)]).delete()
    # Even rows updated (a new title), odd rows new, in chunks of three of each kind: the
    # chunk of updates is saved while new practices wait for theirs.
    report = run_import(
        "practices", translated_file(11, title="Autre"), "p.csv", dry_run=False, user=coordinator
    )
    assert (report.new, report.updated) == (5, 6)
    for n in range(11):
        practice = Practice.objects.get(slug=f"practice-{n}")
        translation = practice.translations.get(language="fr")
        (indicator,) = practice.indicators.all()
        assert translation.title == f"Autre {n}"
        assert translation.indicator_labels == {str(indicator.pk): "Personnes formées"}
        assert {theme.slug for theme in practice.themes.all()} == {
            "intercultural-dialogue",
            "social-inclusion",
        }
