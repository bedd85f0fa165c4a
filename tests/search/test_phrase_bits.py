"""A phrase of two words from the stored bitmaps of adjacent common words
(search/word_bits.py, PHRASES): the same matches, counts and page as the GIN index and the
tables, in the four languages, before and after a practice is published, edited or
unpublished; longer phrases still go to the GIN index whole."""

import pytest
from django.db import connection

from practices.models import Practice, PracticeTranslation, Status
from publishing.saving import move
from search import bitmap_index, counts, index, word_bits
from search.fulltext import search_condition
from search.word_bits import Both, Not, Phrase, Unsupported, Word, parse
from tests.conftest import ON_POSTGRES, make_practice, make_stakeholder
from tests.search.test_word_bits import stored_values

pytestmark = pytest.mark.django_db
LIST = "/en/practices/"
PHRASES = [
    '"local community"',
    '"community local"',
    '"local community" migrants',
    '"local community" or radio',
    'migrants -"local community"',
    '"communauté locale"',
    '"comunidad local"',
    '"المجتمع المحلي"',
    '"radio for the local community"',  # four words and a stop word: the GIN index whole
    '"local to"',  # a stop word: a phrase of one word
    '"nador radio"',  # the title's last word and the summary's first, one apart
]


def test_two_words_one_apart_are_a_phrase_and_bind_tighter_than_and():
    assert parse("'a' <-> 'b'") == Phrase("a", "b")
    assert parse("'a' <-> 'b' & 'c'") == Both("&", Phrase("a", "b"), Word("c"))
    assert parse("'a' <-> 'b' | 'c' <-> 'd'") == Both("|", Phrase("a", "b"), Phrase("c", "d"))
    assert parse("'m' & !( 'a' <-> 'b' )") == Both("&", Word("m"), Not(Phrase("a", "b")))
    assert Phrase("l'a", "b").text == "'l''a' <-> 'b'"


@pytest.mark.parametrize(
    "text",
    [
        "'a' <-> 'b' <-> 'c'",
        "'a' <2> 'b'",
        "!'a' <-> 'b'",
        "( 'a' | 'b' ) <-> 'c'",
        "'a' <-> ( 'b' <-> 'c' )",
        "'a' <-> 'b':*",
    ],
)
def test_a_phrase_of_more_than_two_words_is_left_to_the_gin_index(text):
    with pytest.raises(Unsupported):
        parse(text)


@pytest.fixture
def practices(asticude):
    texts = [
        ("Migrants and the local community", "Radio for migrants in the local community."),
        ("Community radio", "Local radio: the community, local and open to migrants."),
        ("Radio Nador", "Nador radio for the local community, by young migrants."),
        ("Local to the bone", "Local to community work, with migrants."),
        ("Football", "Sport for youth."),
        ("Ateliers", "Ateliers de la communauté locale avec les migrants."),
        ("Talleres", "Talleres para la comunidad local y los migrantes."),
        ("Barnamaj", "برنامج المجتمع المحلي للمهاجرين."),
    ]
    made = [make_practice(asticude, title, summary=summary) for title, summary in texts]
    named = make_practice(asticude, "Named", summary="A partner's project.")
    named.stakeholders.add(
        make_stakeholder("Local Community Network"), through_defaults={"role": "partner"}
    )
    make_practice(asticude, "Draft", status=Status.DRAFT, summary="The local community.")
    PracticeTranslation.objects.create(
        practice=made[4],
        language="fr",
        status=Status.PUBLISHED,
        title="Football",
        summary="Le sport pour la communauté locale.",
    )
    index.refresh_all()
    return made


def _stored_phrases() -> set[str]:
    return stored_values(word_bits.PHRASES)


def _drop_stored_phrases() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM practices_facet_bitmap WHERE dimension = %s", [word_bits.PHRASES]
        )


def _page(client, search: str) -> tuple[int, list[str]]:
    response = client.get(LIST, {"q": search})
    assert response.status_code == 200
    page = response.context["page"]
    return page.paginator.count, [practice.title for practice in page.object_list]


def _assert_counted_right(search: str) -> None:
    """The total is the number of published matches; on PostgreSQL the index's counts
    (stored phrases, words or GIN) are those of the tables."""
    total = {(name, value): n for name, value, n, *_rest in counts.facet_rows({}, search)}
    matches = Practice.objects.published().filter(search_condition(search))
    assert total[(counts.TOTAL, "")] == matches.count()
    if ON_POSTGRES:
        assert sorted(bitmap_index.facet_rows({}, search)) == sorted(
            counts.rows_from_tables({}, search)
        )


@pytest.fixture(params=["stored", "gin"] if ON_POSTGRES else ["tables"])
def way(request, practices):
    """How a phrase is answered: from the stored phrases, or (PostgreSQL) from the GIN
    index alone as before they existed, or (SQLite) from the tables."""
    if request.param == "gin":
        _drop_stored_phrases()
    return request.param


@pytest.mark.parametrize("search", PHRASES)
def test_a_phrase_is_counted_as_the_tables_count_it(way, search):
    _assert_counted_right(search)


@pytest.mark.parametrize("search", PHRASES)
def test_the_stored_phrases_show_the_same_page_as_the_gin_index(client, practices, search):
    shown = _page(client, search)
    if ON_POSTGRES:
        assert "'local' <-> 'communiti'" in _stored_phrases()
        _drop_stored_phrases()
        assert _page(client, search) == shown
    assert shown[0] == Practice.objects.published().filter(search_condition(search)).count()


def test_the_stored_phrase_is_exactly_the_practices_with_the_words_one_apart(practices):
    phrase = "'local' <-> 'communiti'"
    if not ON_POSTGRES:  # no phrase bitmaps outside PostgreSQL: the tables answer
        assert bitmap_index.facet_rows({}, '"local community"') is None
        return
    expected = {"Migrants and the local community", "Radio Nador", "Named"}
    assert _titles_matching(phrase) == expected
    assert _stored_titles(phrase) == expected
    # The French and Spanish stemmers keep "community": the name's other lexeme.
    assert _stored_titles("'local' <-> 'community'") == {"Named"}


def _titles_matching(query: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.title FROM practices_practice p JOIN practices_practicesearch s "
            "ON s.practice_id = p.id WHERE p.status = 'published' AND s.vector @@ %s::tsquery",
            [query],
        )
        return {row[0] for row in cursor.fetchall()}


def _stored_titles(phrase: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bits::text FROM practices_facet_bitmap WHERE dimension = %s AND value = %s",
            [word_bits.PHRASES, phrase],
        )
        row = cursor.fetchone()
    if row is None:
        return set()
    ids = [n for n, bit in enumerate(row[0]) if bit == "1"]
    return set(Practice.objects.filter(pk__in=ids).values_list("title", flat=True))


@pytest.mark.parametrize("search", PHRASES)
def test_a_published_edited_or_unpublished_practice_moves_in_the_stored_phrases(
    client, practices, coordinator, search
):
    football = practices[4]
    football.summary = "Sport for the local community."  # edited: now has the phrase
    football.save()
    index.refresh([football.pk])
    radio = practices[2]
    move(radio, "archive", by=coordinator)  # unpublished: out of every count
    migrants = practices[0]
    migrants.title = "Migrants and radio"  # edited: the phrase gone
    migrants.summary = "Radio for migrants, local and community."
    migrants.save()
    index.refresh([migrants.pk])
    draft = Practice.objects.get(title="Draft")
    draft.status = Status.PUBLISHED  # published: in
    draft.save()
    index.refresh([draft.pk])
    _assert_counted_right(search)
    if ON_POSTGRES:
        phrase = "'local' <-> 'communiti'"
        assert _stored_titles(phrase) == _titles_matching(phrase)
        assert {"Football", "Draft"} <= _stored_titles(phrase)
        assert not {"Radio Nador", "Migrants and radio"} & _stored_titles(phrase)
        shown = _page(client, search)
        _drop_stored_phrases()
        assert _page(client, search) == shown


def test_no_phrase_is_a_facet_option(practices):
    assert word_bits.PHRASES not in counts.facet_counts({})
    rows = counts.facet_rows({}, '"local community"')
    assert all(name != word_bits.PHRASES for name, *_rest in rows)


@pytest.mark.parametrize("search", PHRASES[:3])
def test_a_change_to_many_practices_drops_the_stored_phrases_and_counts_stay_right(
    practices, monkeypatch, search
):
    monkeypatch.setattr(word_bits, "MAX_PHRASE_REFRESH", 1)
    football = practices[4]
    football.summary = "Sport for the local community."
    football.save()
    index.refresh([football.pk, practices[0].pk])
    _assert_counted_right(search)
    if ON_POSTGRES:
        assert _stored_phrases() == set()
        index.refresh_all()  # the next rebuild stores them again
        assert "Football" in _stored_titles("'local' <-> 'communiti'")


@pytest.mark.parametrize("search", PHRASES[:3])
def test_without_phrase_bits_phrases_are_counted_right_by_the_gin_index(
    practices, settings, search
):
    settings.SEARCH_PHRASE_BITS = False
    index.refresh_all()
    football = practices[4]
    football.summary = "Sport for the local community."
    football.save()
    index.refresh([football.pk])
    _assert_counted_right(search)
    if ON_POSTGRES:
        assert _stored_phrases() == set()


def test_a_pair_of_words_too_long_to_store_is_left_out_and_the_rest_kept(asticude):
    long_pair = f"{'x' * 130} {'y' * 130}"
    practice = make_practice(asticude, "Long words", summary=f"The local community: {long_pair}.")
    index.refresh_all()
    index.refresh([practice.pk])
    _assert_counted_right('"local community"')
    if ON_POSTGRES:
        phrases = _stored_phrases()
        assert "'local' <-> 'communiti'" in phrases
        assert all(len(phrase) <= word_bits.MAX_LENGTH for phrase in phrases)
        assert not any("xxxx" in phrase and "yyyy" in phrase for phrase in phrases)


def _pairs_by_positions(cursor, practice_id: int, words: list[str]) -> set[int]:
    """The keys of a practice's adjacent stored words, from its vector's positions in
    Python: what nador_phrase_keys() must find."""
    cursor.execute(
        "SELECT u.lexeme, u.positions FROM practices_practicesearch s, unnest(s.vector) u "
        "WHERE s.practice_id = %s",
        [practice_id],
    )
    number = {word: place for place, word in enumerate(words, start=1)}
    at: dict[int, set[int]] = {}
    for lexeme, positions in cursor.fetchall():
        if lexeme in number:
            for position in positions:
                at.setdefault(position, set()).add(number[lexeme])
    return {
        first * word_bits.WORDS_KEY + second
        for position, firsts in at.items()
        for first in firsts
        for second in at.get(position + 1, ())
    }


def test_the_keys_of_a_vector_are_its_adjacent_stored_words_each_once(practices):
    if not ON_POSTGRES:  # the keys are PostgreSQL's: the tables answer on SQLite
        assert bitmap_index.facet_rows({}, '"local community"') is None
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT value FROM practices_facet_bitmap WHERE dimension = %s ORDER BY value",
            [word_bits.LEXEMES],
        )
        words = [word for (word,) in cursor.fetchall()]
        checked = 0
        for practice in practices:
            cursor.execute(
                "SELECT nador_phrase_keys(vector, %s::text[], %s) FROM practices_practicesearch "
                "WHERE practice_id = %s",
                [words, word_bits.WORDS_KEY, practice.pk],
            )
            keys = cursor.fetchone()[0]
            assert len(keys) == len(set(keys))
            assert set(keys) == _pairs_by_positions(cursor, practice.pk, words)
            checked += bool(keys)
        assert checked >= 6
        # Positions stop at 16,383: each word there follows the word at 16,382.
        cursor.execute(
            "SELECT nador_phrase_keys('a:16383 b:16383 c:16382 d:5'::tsvector, "
            "ARRAY['a', 'b', 'c', 'd'], %s)",
            [word_bits.WORDS_KEY],
        )
        assert sorted(cursor.fetchone()[0]) == [
            3 * word_bits.WORDS_KEY + 1,
            3 * word_bits.WORDS_KEY + 2,
        ]


def test_every_stored_phrase_holds_exactly_its_matches_after_a_rebuild_and_a_refresh(practices):
    football = practices[4]
    football.summary = "Sport for the local community, the local radio and migrants."
    football.save()
    index.refresh([football.pk, practices[1].pk])
    _assert_counted_right('"local radio"')
    if ON_POSTGRES:
        phrases = _stored_phrases()
        assert {"'local' <-> 'communiti'", "'local' <-> 'radio'"} <= phrases
        for phrase in phrases:
            assert _stored_titles(phrase) == _titles_matching(phrase), phrase
