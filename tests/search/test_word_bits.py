"""A search's bitmap from the stored bitmaps of common words (search/word_bits.py): the same
matches as the GIN index and the tables, for words, AND, OR and NOT, before and after a
practice's text changes; phrases and prefixes still go to the GIN index whole."""

import pytest
from django.db import connection

from practices.models import Practice, Status
from publishing.saving import move
from search import bitmap_index, counts, index, word_bits
from search.fulltext import search_condition
from search.word_bits import Both, Not, Unsupported, Word, parse
from tests.conftest import ON_POSTGRES, make_practice

pytestmark = pytest.mark.django_db
QUERIES = [
    "migrants",
    "local community",
    "women or youth",
    "migrants -radio",
    '"local community"',
    "مهاجرين",
    "nowhere",
]


def test_a_query_is_read_as_its_words_with_not_then_and_then_or():
    assert parse("'a' & !'b' | 'c'") == Both("|", Both("&", Word("a"), Not(Word("b"))), Word("c"))
    assert parse("'a' & ( 'b' | 'c' )") == Both("&", Word("a"), Both("|", Word("b"), Word("c")))
    assert parse("'l''école'") == Word("l'école")
    assert parse("'مهاجر'") == Word("مهاجر")


@pytest.mark.parametrize("text", ["'a' <2> 'b'", "'mig':*", "'a':A", "'a' &", ""])
def test_what_needs_positions_or_is_not_a_query_is_left_to_the_gin_index(text):
    with pytest.raises(Unsupported):
        parse(text)


@pytest.fixture
def practices(asticude):
    texts = [
        ("Migrants and the local community", "Radio for migrants in the local community."),
        ("Women in business", "Training for migrant women and youth."),
        ("Radio Nador", "A radio for the local community, by young migrants."),
        ("Football", "Sport for youth."),
        ("مهاجرين في الناظور", "برنامج للمهاجرين والشباب."),
    ]
    made = [make_practice(asticude, title, summary=summary) for title, summary in texts]
    make_practice(asticude, "Draft on migrants", status=Status.DRAFT, summary="Local community.")
    index.refresh_all()
    return made


def stored_values(dimension: str) -> set[str]:
    """The values the facet index holds a bitmap of, in one of its pseudo-dimensions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM practices_facet_bitmap WHERE dimension = %s", [dimension])
        return {row[0] for row in cursor.fetchall()}


def _stored_words() -> set[str]:
    return stored_values(word_bits.LEXEMES)


def _from_tables(search: str) -> list:
    return sorted(counts.rows_from_tables({}, search))


def _from_index(search: str) -> list:
    return sorted(bitmap_index.facet_rows({}, search))


def _assert_counted_right(search: str) -> None:
    """The list's total is the number of published matches; on PostgreSQL the index's
    counts (stored words or GIN) are those of the tables."""
    total = {(name, value): n for name, value, n, *_rest in counts.facet_rows({}, search)}
    matches = Practice.objects.published().filter(search_condition(search))
    assert total[(counts.TOTAL, "")] == matches.count()
    if ON_POSTGRES:
        assert _from_index(search) == _from_tables(search)


@pytest.mark.parametrize("search", QUERIES)
def test_the_stored_words_answer_as_the_tables_and_the_gin_index_do(practices, search):
    _assert_counted_right(search)
    if ON_POSTGRES:
        assert {"migrant", "local", "communiti", "youth"} <= _stored_words()
        with_words = _from_index(search)
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM practices_facet_bitmap WHERE dimension = %s", [word_bits.LEXEMES]
            )
        assert _stored_words() == set()
        assert _from_index(search) == with_words  # the GIN index alone


@pytest.mark.parametrize("search", QUERIES)
def test_a_changed_text_moves_its_practice_in_the_stored_words(practices, coordinator, search):
    football = practices[3]
    football.summary = "Sport for migrants of the local community."
    football.save()
    index.refresh([football.pk])
    radio = practices[2]
    move(radio, "archive", by=coordinator)
    draft = Practice.objects.get(title="Draft on migrants")
    draft.status = Status.PUBLISHED
    draft.save()
    index.refresh([draft.pk])
    _assert_counted_right(search)


def test_no_word_is_a_facet_option(practices):
    facets = counts.facet_counts({})
    assert word_bits.LEXEMES not in facets
    assert all(name != word_bits.LEXEMES for name, *_rest in counts.facet_rows({}, "migrants"))
