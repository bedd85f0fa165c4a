"""The bench generator in bounded memory, so that 1,000,000 practices fit on a small machine
(docs/performance/log.md, "Part G"): the translations keep what they need of their
originals as small numbers, and the facet index is built from pairs streamed in chunks,
one bitmap at a time, written in statements of bounded size."""

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection

from perf.vocabulary import RARE
from practices.models import PracticeTranslation
from search import bitmap_index, word_bits
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db


def run(*args: str) -> None:
    call_command("generate_bench_data", *args, stdout=io.StringIO())


def rare_words(text: str) -> set[str]:
    return {word for word in RARE if f"{word.capitalize()}." in text}


def test_a_translation_carries_the_city_number_and_rare_word_of_its_original():
    run("--practices", "90", "--seed", "5")

    translations = PracticeTranslation.objects.select_related("practice")
    assert translations.count() > 20
    for translation in translations:
        original = translation.practice
        # Titles are "<word> <city> <n>": the city and number are the original's.
        assert translation.title.split(" ", 1)[1] == original.title.split(" ", 1)[1]
        assert rare_words(translation.summary) == rare_words(original.summary)
    assert any(rare_words(translation.summary) for translation in translations)


def test_each_step_of_the_generator_reports_its_time_and_peak_memory():
    out = io.StringIO()
    call_command("generate_bench_data", "--practices", "5", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("5 practices written (")
    assert all("peak RSS" in line and " MB)" in line for line in lines[:-1])
    assert lines[-1].startswith("Bench data in ")


if ON_POSTGRES:

    def test_the_facet_index_built_in_small_pieces_holds_every_value_of_every_practice(
        monkeypatch,
    ):
        run("--practices", "80", "--seed", "5")
        expected = defaultdict(set)
        for practice_id, dimension, value in bitmap_index._pairs(bitmap_index._published()):
            expected[(dimension, value)].add(practice_id)
        # A chunk of 7 pairs, one bitmap a statement: every boundary is crossed.
        monkeypatch.setattr(bitmap_index, "PAIRS_CHUNK", 7)
        monkeypatch.setattr(bitmap_index, "PAGE_BYTES", 1)

        values = bitmap_index.refresh_all()

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT dimension, value, bits::text, n FROM practices_facet_bitmap "
                "WHERE dimension <> ALL(%s)",
                [[word_bits.LEXEMES, word_bits.PHRASES]],
            )
            rows = cursor.fetchall()
        found = {
            (dimension, value): {n for n, bit in enumerate(bits) if bit == "1"}
            for dimension, value, bits, _count in rows
        }
        assert found == expected
        assert all(count == len(found[(d, v)]) for d, v, _bits, count in rows)
        assert values == len(expected) - 1
        # Stored values, sorted and streamed, and the years derived from date ranges.
        assert {"", "theme", "stakeholder", "year", "available"} <= {d for d, _v in found}


if ON_POSTGRES:

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_bench_data_ends_vacuumed_so_that_index_only_scans_skip_the_heap():
        run("--practices", "50")

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'practices_practice'"
            )
            pages, visible = cursor.fetchone()
        assert pages > 0
        assert visible == pages
