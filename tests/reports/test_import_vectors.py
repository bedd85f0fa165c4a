"""A confirmed import's search vectors: on PostgreSQL the texts' vectors are computed on a
second connection while the rows are read (search/fulltext.py, TextVectors), and the
import's connection writes them. The vectors are those the practice-by-practice path
(write_vectors) writes, and an import that fails leaves no practice, no vector, no
second connection and no table of its own. On SQLite no vector is written: the failure
tests run there too."""

import threading

import pytest
from django.db import connection

from practices.models import Practice, PracticeSearch, PracticeTranslation
from reports.imports import run_import
from reports.resources import bulk
from search import fulltext
from tests.conftest import ON_POSTGRES
from tests.spreadsheet_helpers import PRACTICE_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db


HEADERS = [
    *PRACTICE_HEADERS,
    "impact",
    "lessons_learnt",
    "city",
    "language",
    "title_fr",
    "summary_fr",
    "impact_fr",
    "title_ar",
    "summary_ar",
]
TEXTS = [
    # title, summary, impact, lessons, city, language
    ("Dialogue between communities", "Migrants and neighbours met.", "Trust", "", "Nador", "en"),
    ("Intégration des migrantes", "Les élèves ont appris.", "", "Écouter d'abord", "Oujda", "fr"),
    ("Integración local", "Los vecinos organizaron talleres.", "Más", "Menos", "", "es"),
    ("الحوار بين الثقافات", "والمهاجرين في المدينة", "الثقة", "", "الناظور", "ar"),
]


def sheet(title_suffix: str = "", count: int = 8) -> bytes:
    rows = []
    for n in range(count):
        title, summary, impact, lessons, city, language = TEXTS[n % len(TEXTS)]
        translated = language != "fr" and n % 2 == 0
        rows.append(
            [
                f"practice-{n}",
                f"{title} {n}{title_suffix}",
                "published",
                "ASTICUDE",
                summary,
                "MA",
                "Intercultural dialogue",
                "ASTICUDE (lead)|ACPP (partner)" if n % 2 else "ACPP (funder)",
                f"People trained = {n} / 40 people",
                impact,
                lessons,
                city,
                language,
                f"Pratique {n}{title_suffix}" if translated else "",
                "Ce que la pratique a fait, avec les élèves." if translated else "",
                "Confiance" if translated else "",
                f"الممارسة {n}" if n % 4 == 1 else "",
                "ما فعلته الممارسة" if n % 4 == 1 else "",
            ]
        )
    return csv_bytes([HEADERS, *rows])


def vectors() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.slug, s.vector::text FROM practices_practicesearch s "
            "JOIN practices_practice p ON p.id = s.practice_id"
        )
        return dict(cursor.fetchall())


def table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [fulltext.KNOWN_TABLE])
        return cursor.fetchone()[0] is not None


def computer_threads() -> list:
    return [thread for thread in threading.enumerate() if thread.name == "text-vectors"]


@pytest.fixture
def known_rows(monkeypatch) -> list[int]:
    """The vectors computed on the second connection, counted before their table goes."""
    counted = []
    drop = fulltext.TextVectors.drop

    def count_then_drop(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {fulltext.KNOWN_TABLE}")  # noqa: S608
            counted.append(cursor.fetchone()[0])
        drop(self)

    monkeypatch.setattr(fulltext.TextVectors, "drop", count_then_drop)
    return counted


if ON_POSTGRES:

    def test_new_practices_get_the_vectors_the_practice_by_practice_path_writes(
        reference, known_rows
    ):
        report = run_import("practices", sheet(), "p.csv", dry_run=False)
        assert report.ok and report.new == 8
        imported = vectors()
        assert len(imported) == 8
        # Every practice's texts and every translation of the rows were computed aside.
        assert known_rows == [8 + 4 + 2]
        assert PracticeTranslation.objects.published().count() == 6
        fulltext.write_vectors(Practice.objects.all())
        assert vectors() == imported
        assert not table_exists() and not computer_threads()

    def test_updated_practices_get_the_vectors_the_practice_by_practice_path_writes(
        reference, known_rows
    ):
        assert run_import("practices", sheet(), "p.csv", dry_run=False).ok
        before = vectors()
        report = run_import("practices", sheet(" (imported)"), "p.csv", dry_run=False)
        assert report.ok and report.updated == 8
        imported = vectors()
        assert imported != before
        assert "'import':" in imported["practice-0"]
        fulltext.write_vectors(Practice.objects.all())
        assert vectors() == imported
        assert len(known_rows) == 2

    def test_when_the_second_connection_fails_the_import_computes_the_vectors_itself(
        reference, monkeypatch, known_rows
    ):
        monkeypatch.setattr(fulltext, "TEXT_VECTORS_SQL", "SELECT no_such_function(%s)")
        report = run_import("practices", sheet(), "p.csv", dry_run=False)
        assert report.ok and report.new == 8
        imported = vectors()
        assert len(imported) == 8
        assert known_rows == []  # nothing computed aside, no table
        fulltext.write_vectors(Practice.objects.all())
        assert vectors() == imported
        assert not table_exists() and not computer_threads()

    def test_a_known_vector_stands_in_for_its_texts_and_the_others_are_computed(reference):
        assert run_import("practices", sheet(count=2), "p.csv", dry_run=False).ok
        expected = vectors()
        first = Practice.objects.get(slug="practice-0")
        computer = fulltext.TextVectors()
        computer.add(first.language, first.title, first.summary, first.impact, first.lessons_learnt)
        table = computer.finish()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key, vector::text FROM {table}")  # noqa: S608
            ((key, vector),) = cursor.fetchall()
            cursor.execute(
                "SELECT nador_text_vector(language, title, summary, "
                "concat_ws(' ', impact, lessons_learnt))::text FROM practices_practice "
                "WHERE id = %s",
                [first.pk],
            )
            assert vector == cursor.fetchone()[0]
            # A vector that is not the texts' one shows that the known one is taken.
            cursor.execute(f"UPDATE {table} SET vector = 'planted:1A'")  # noqa: S608
        fulltext.write_vectors(Practice.objects.all(), known=table)
        computer.drop()
        written = vectors()
        assert "'planted':1A" in written["practice-0"]
        assert "'dialogu'" not in written["practice-0"]
        assert "'dialogu'" in expected["practice-0"]
        assert written["practice-1"] == expected["practice-1"]
        assert not table_exists()


def test_a_dry_run_computes_no_vector_and_opens_no_second_connection(reference, monkeypatch):
    started = []
    monkeypatch.setattr(fulltext.TextVectors, "__init__", lambda self: started.append(self))
    report = run_import("practices", sheet(), "p.csv", dry_run=True)
    assert report.ok and report.new == 8
    assert started == []
    assert not Practice.objects.exists()


def test_an_import_that_fails_in_its_last_step_leaves_no_practice_and_no_vector(
    reference, monkeypatch
):
    seen = []

    def fail(practices, known=None):
        seen.append((known, table_exists() if ON_POSTGRES else None))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk.fulltext, "write_vectors", fail)
    report = run_import("practices", sheet(), "p.csv", dry_run=False)
    assert not report.ok
    assert "the disk is full" in report.problems[0].message
    if ON_POSTGRES:
        assert seen == [(fulltext.KNOWN_TABLE, True)]  # it failed with the vectors computed
    else:
        assert seen == [(None, None)]
    assert not Practice.objects.exists()
    assert not PracticeSearch.objects.exists()
    assert not computer_threads()
    if ON_POSTGRES:
        assert not table_exists()


def test_an_import_whose_row_fails_halfway_leaves_no_practice_and_no_vector(reference, monkeypatch):
    note_saved = bulk.BulkPracticeImport.note_saved

    def fail_on_the_fifth(self, instance, new):
        if instance.slug == "practice-4":
            raise RuntimeError("the server went away")
        note_saved(self, instance, new)

    monkeypatch.setattr(bulk.BulkPracticeImport, "note_saved", fail_on_the_fifth)
    report = run_import("practices", sheet(), "p.csv", dry_run=False)
    assert not report.ok
    assert [problem.row for problem in report.problems] == [6]
    assert not Practice.objects.exists()
    assert not PracticeSearch.objects.exists()
    assert not computer_threads()
    if ON_POSTGRES:
        assert not table_exists()
