"""The import's column path (reports/resources/columns.py: each column's distinct values
cleaned and checked once) gives what django-import-export's cell-by-cell path gives: the
same practices, links, roles, indicators, translations and versions, the same report, and
for a bad cell the same message on the same row and column, in the user's language, with
nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from practices.models import Indicator, Practice, PracticeTranslation, StakeholderRole
from reports.imports import run_import
from reports.resources import bulk
from reports.resources.cells import taxonomy_fields
from reports.resources.columns import ColumnCleaning
from reports.spreadsheets import PortalResourceMixin
from tests.spreadsheet_helpers import PRACTICE_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    *PRACTICE_HEADERS,
    "start_date",
    "end_date",
    "language",
    "is_sample",
    "published_at",
    "title_fr",
    "summary_fr",
    "indicator_labels_fr",
]


def row(n: int, **values) -> list:
    cells = {
        "slug": f"practice-{n}",
        "title": f"Practice {n}",
        "status": "published" if n % 3 else "draft",
        "organisation": "ASTICUDE" if n % 2 else "acpp",
        "summary": f"What practice {n} did.",
        "country": ("MA", "Morocco", "es", "Tunisie")[n % 4],
        "themes": ("Intercultural dialogue", "social-inclusion|Intercultural dialogue", "")[n % 3],
        "stakeholders": "ASTICUDE (lead)|ACPP (partner)" if n % 2 else "ACPP (funder)",
        "indicators": f"People trained = {n} / 40 people|Events = 2 / 3",
        "start_date": ("2024-01-31", "31/12/2023", "")[n % 3],
        "end_date": "2026-06-30" if n % 2 else "",
        "language": "" if n % 2 else "es",
        "is_sample": ("", "1", "false")[n % 3],
        "published_at": "2025-03-01 10:00:00" if n % 3 else "",
        "title_fr": f"Pratique {n}" if n % 2 else "",
        "summary_fr": f"Ce que la pratique {n} a fait." if n % 2 else "",
        "indicator_labels_fr": "Personnes formées|" if n % 2 else "",
        **values,
    }
    return [cells[header] for header in HEADERS]


def sheet(*rows: list) -> bytes:
    return csv_bytes([HEADERS, *rows])


@pytest.fixture
def cell_by_cell(monkeypatch):
    """Turns ColumnCleaning off: every cell cleaned by its field, each time it is read, and
    every field checked by the model, as django-import-export and PortalResourceMixin do."""

    def model_clean_fields(self, instance, exclude):
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            return error.error_dict
        return {}

    def turn_off():
        monkeypatch.setattr(ColumnCleaning, "clean_cell", lambda self, field, row: field.clean(row))
        monkeypatch.setattr(
            ColumnCleaning, "before_import_row", PortalResourceMixin.before_import_row
        )
        monkeypatch.setattr(ColumnCleaning, "import_instance", PortalResourceMixin.import_instance)
        monkeypatch.setattr(ColumnCleaning, "clean_fields", model_clean_fields)

    return turn_off


def state() -> dict:
    """What an import wrote, by slug and position rather than by id."""
    practices = Practice.objects.order_by("slug")
    skipped = {"id", "created_at", "updated_at"}
    names = [f.attname for f in Practice._meta.concrete_fields if f.attname not in skipped]
    indicators = {}
    for indicator in Indicator.objects.select_related("practice").order_by("position", "pk"):
        indicators.setdefault(indicator.practice.slug, []).append(indicator)
    labels = {i.pk: i.position for values in indicators.values() for i in values}
    # Each practice's versions in their order; which practice's update is written first is
    # not part of the result (PostgreSQL's UPDATE … FROM unnest gives its own order).
    history = Practice.history.model.objects.order_by("slug", "history_id")
    return {
        "practices": list(practices.values(*names)),
        "links": {
            name: sorted(practices.values_list("slug", name).exclude(**{name: None}))
            for name in taxonomy_fields()
        },
        "roles": sorted(
            StakeholderRole.objects.values_list("practice__slug", "stakeholder__name", "role")
        ),
        "indicators": {
            slug: [(i.label, i.achieved, i.target, i.unit, i.position) for i in values]
            for slug, values in indicators.items()
        },
        "translations": sorted(
            (
                t.practice.slug,
                t.language,
                t.title,
                t.summary,
                t.status,
                sorted((labels[int(pk)], text) for pk, text in t.indicator_labels.items()),
            )
            for t in PracticeTranslation.objects.select_related("practice")
        ),
        "versions": list(history.values_list("slug", "history_type", "title", "status")),
        "translation_versions": PracticeTranslation.history.count(),
    }


def outcome(content: bytes, language: str = "en", dry_run: bool = False) -> tuple:
    """The report and what the import wrote, rolled back after."""
    with translation.override(language), transaction.atomic():
        report = run_import("practices", content, "practices.csv", dry_run=dry_run)
        written = state()
        transaction.set_rollback(True)
    problems = [(p.row, p.column, p.message) for p in report.problems]
    return (report.summary(), report.rows, problems), written


NEW_ROWS = sheet(*(row(n) for n in range(1, 13)))


def test_new_practices_are_imported_as_cell_by_cell(reference, cell_by_cell):
    by_column = outcome(NEW_ROWS)
    cell_by_cell()
    assert outcome(NEW_ROWS) == by_column
    report, written = by_column
    assert "12 new" in report[0]
    assert written["links"]["themes"]
    assert written["roles"]
    assert len(written["translations"]) == 6
    assert len(written["versions"]) == 12


def test_updated_practices_are_imported_as_cell_by_cell(reference, cell_by_cell):
    assert run_import("practices", NEW_ROWS, "p.csv", dry_run=False).ok
    changed = sheet(
        row(1, title="Renamed 1"),
        row(2, themes="social-inclusion"),
        row(3),  # unchanged
        row(4, stakeholders="ASTICUDE (partner)", indicators="Events = 3 / 3"),
        row(5, title_fr="Pratique renommée", start_date="2023-02-01", country="Spain"),
        row(6, status="published", is_sample="1"),
        row(20),  # new
    )
    by_column = outcome(changed)
    cell_by_cell()
    assert outcome(changed) == by_column
    report, written = by_column
    assert "1 new, 5 updated, 1 unchanged" in report[0]
    assert len(written["versions"]) == 12 + 6


def test_a_dry_run_reports_as_cell_by_cell_and_writes_nothing(reference, cell_by_cell):
    by_column = outcome(NEW_ROWS, dry_run=True)
    cell_by_cell()
    assert outcome(NEW_ROWS, dry_run=True) == by_column
    report, written = by_column
    assert [r["outcome"] for r in report[1]] == ["new"] * 12
    assert written["practices"] == []


BAD = sheet(
    row(1),
    row(2, country="Atlantis"),
    row(3, themes="Intercultural dialogue|Astrology", start_date="31/13/2026"),
    row(4, country="Atlantis", status="maybe"),
    row(5, stakeholders="Nobody (lead)", indicators="Trained = many / 4"),
    row(6, start_date="2026-01-01", end_date="2025-01-01", language="xx"),
    row(7, title_fr="Titre seul", summary_fr=""),
)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "es"])
def test_bad_cells_are_refused_with_the_messages_of_cell_by_cell(reference, cell_by_cell, language):
    by_column = outcome(BAD, language)
    cell_by_cell()
    assert outcome(BAD, language) == by_column
    (_summary, _rows, problems), written = by_column
    assert written["practices"] == []
    assert written["versions"] == []
    # Every row with a bad cell, the same bad value on two rows on both.
    assert sorted({number for number, _column, _message in problems}) == [3, 4, 5, 6, 7, 8]
    countries = [(n, m) for n, column, m in problems if column == "country"]
    assert [n for n, _message in countries] == [3, 5]
    assert countries[0][1] == countries[1][1]


def test_a_bad_cell_in_french_says_what_to_type(reference):
    (_summary, _rows, problems), written = outcome(BAD, "fr")
    assert (
        3,
        "country",
        "« Atlantis » n’est pas un pays : écrivez son code à deux lettres, par exemple MA "
        "pour le Maroc, ou son nom.",
    ) in [(n, c, m.replace("\u00a0", " ")) for n, c, m in problems]
    assert written["practices"] == []


def test_a_formula_cell_neutralised_by_an_export_comes_back_as_it_was(reference, cell_by_cell):
    content = sheet(row(1, title="'=1+1"), row(2, summary="'@home"), row(3, title="'plain"))
    by_column = outcome(content)
    cell_by_cell()
    assert outcome(content) == by_column
    titles = [p["title"] for p in by_column[1]["practices"]]
    assert titles == ["=1+1", "Practice 2", "'plain"]


def test_only_practices_whose_searched_texts_changed_get_their_vectors_again(
    reference, monkeypatch
):
    assert run_import("practices", NEW_ROWS, "p.csv", dry_run=False).ok
    written = []
    monkeypatch.setattr(
        bulk.fulltext,
        "write_vectors",
        lambda practices, known=None: written.extend(p.slug for p in practices),
    )
    changed = sheet(
        row(1, title="Renamed 1"),
        row(2, themes="social-inclusion"),
        row(3, status="published"),
        row(4, stakeholders="ASTICUDE (partner)"),
        row(5, title_fr="Pratique renommée"),
        row(6, summary="Another summary."),
        row(30),
    )
    report = run_import("practices", changed, "p.csv", dry_run=False)
    assert report.updated == 6
    assert sorted(written) == [
        "practice-1",
        "practice-30",
        "practice-4",
        "practice-5",
        "practice-6",
    ]


def test_the_resource_imports_a_plain_dataset_as_the_admin_gives_it(reference):
    import tablib

    from reports.resources.practices import PracticeResource

    dataset = tablib.Dataset().load(NEW_ROWS.decode(), format="csv")
    result = PracticeResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert Practice.objects.count() == 12
    assert len(dataset) == 12  # a plain dataset keeps its rows
    assert StakeholderRole.objects.filter(practice__slug="practice-1").count() == 2
