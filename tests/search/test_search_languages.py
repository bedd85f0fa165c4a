"""Search in every language: each text matched with the rules of its own language (stems,
accents, Arabic spelling), approved translations found, snippets from the text shown.

The same examples hold on PostgreSQL (stemmers per language) and on SQLite (folded texts)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import Practice, PracticeTranslation, Status
from search import fulltext, index
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def found(client, words: str, language: str = "en") -> list[str]:
    response = client.get(f"/{language}/practices/", {"q": words})
    assert response.status_code == 200
    return [practice.title for practice in response.context["page"].object_list]


def translate(practice, language: str, status=Status.PUBLISHED, **texts) -> PracticeTranslation:
    texts.setdefault("title", f"{practice.title} ({language})")
    texts.setdefault("summary", f"Summary in {language}.")
    translation = PracticeTranslation.objects.create(
        practice=practice, language=language, status=status, **texts
    )
    index.refresh_after_change(translation)
    return translation


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("ناظور", "ورشات الكتابة في الناظور", "ar"),
        ("مهاجر", "استقبال كل مُهاجِر جديد", "ar"),
        ("مهاجر", "ورشات مع المهاجرين والجمعيات", "ar"),
        ("احمد", "شهادة أحمد عن الطريق", "ar"),
        ("migrante", "Talleres con migrantes y vecinos", "es"),
        ("integration", "Ateliers d'intégration par le sport", "fr"),
        ("inmigrante", "Acogida de inmigrantes en Almería", "es"),
    ],
)
def test_a_word_finds_its_other_forms_in_the_language_of_the_text(
    client, asticude, query, text, language
):
    practice = make_practice(asticude, "Wanted", summary=text, language=language)
    make_practice(asticude, "Unrelated", summary="Football on Sundays.", language="en")
    index.refresh([practice.pk])
    assert found(client, query) == ["Wanted"]


def test_an_arabic_word_with_its_article_finds_it_without(client, asticude):
    make_practice(asticude, "Wanted", summary="مدينة ناظور على البحر", language="ar")
    fulltext.write_vectors(Practice.objects.all())
    assert found(client, "الناظور") == ["Wanted"]


def test_a_newcomer_without_accents_finds_the_accented_word(client, asticude):
    make_practice(asticude, "Atelier", summary="Les couturières de Nador.", language="fr")
    fulltext.write_vectors(Practice.objects.all())
    assert found(client, "couturieres") == ["Atelier"]
    assert found(client, "COUTURIÈRES") == ["Atelier"]


def test_a_word_of_the_text_and_a_city_are_found_together(client, asticude):
    """Names are indexed in every language, so that they combine with a stemmed word."""
    make_practice(
        asticude, "Ateliers", summary="Ateliers de couture.", language="fr", city="Berkane"
    )
    fulltext.write_vectors(Practice.objects.all())
    assert found(client, "ateliers berkane") == ["Ateliers"]


def test_a_practice_is_found_by_a_word_of_its_approved_translation_only(client, asticude):
    practice = make_practice(asticude, "Sewing workshops", summary="Women sew together.")
    translate(practice, "es", summary="Talleres de costura para mujeres.")
    translate(practice, "fr", Status.SUBMITTED, summary="Des couturières en formation.")
    assert found(client, "costura") == ["Sewing workshops"]
    assert found(client, "couturieres") == []


def test_a_translation_stops_being_found_once_sent_back_or_deleted(client, asticude):
    practice = make_practice(asticude, "Sewing workshops", summary="Women sew together.")
    translation = translate(practice, "es", summary="Talleres de costura.")
    assert found(client, "costura") == ["Sewing workshops"]
    translation.status = Status.CHANGES_REQUESTED
    translation.save()
    index.refresh_after_change(translation)
    assert found(client, "costura") == []
    translation.status = Status.PUBLISHED
    translation.save()
    index.refresh_after_change(translation)
    translation.delete()
    index.refresh_after_change(translation)
    assert found(client, "costura") == []


def test_the_snippet_is_cut_from_the_text_the_visitor_reads(client, asticude):
    practice = make_practice(
        asticude, "Sewing workshops", summary="Women of Nador learn to sew.", language="en"
    )
    translate(practice, "fr", summary="Les couturières de Nador apprennent ensemble.")
    french = client.get("/fr/practices/", {"q": "nador"}).content.decode()
    assert '<span lang="fr" dir="auto">Les couturières de <mark>Nador</mark>' in french
    english = client.get("/en/practices/", {"q": "nador"}).content.decode()
    assert "Women of <mark>Nador</mark> learn to sew." in english
    assert "couturières" not in english


def test_the_snippet_highlights_a_word_found_in_another_form(client, asticude):
    make_practice(asticude, "Acogida", summary="Acogida de inmigrantes en Almería.", language="es")
    fulltext.write_vectors(Practice.objects.all())
    content = client.get("/en/practices/", {"q": "inmigrante almeria"}).content.decode()
    # PostgreSQL marks the word its stem matched; SQLite the part of it that was typed.
    assert "<mark>inmigrante" in content
    assert "<mark>Almería</mark>" in content


def test_the_arabic_snippet_highlights_the_word_with_its_vowel_marks(client, asticude):
    make_practice(asticude, "Accueil", summary="استقبال كل مُهاجِر جديد", language="ar")
    fulltext.write_vectors(Practice.objects.all())
    content = client.get("/ar/practices/", {"q": "مهاجر"}).content.decode()
    assert "<mark>مُهاجِر</mark>" in content


def _search_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_search_page_takes_as_many_queries_whatever_the_number_of_translations(client, asticude):
    practices = [
        make_practice(asticude, f"Workshop {n}", summary="Migrants of Nador.") for n in range(6)
    ]
    fulltext.write_vectors(Practice.objects.all())
    before = {
        language: _search_queries(client, f"/{language}/practices/?q=nador")
        for language in ["en", "fr"]
    }
    for practice in practices:
        for language in ["fr", "es", "ar"]:
            translate(practice, language, summary=f"Nador ({language}).")
    after = {
        language: _search_queries(client, f"/{language}/practices/?q=nador")
        for language in ["en", "fr"]
    }
    assert after == before
    assert max(after.values()) <= 12


def test_the_bulk_vectors_are_the_vectors_of_a_save_with_translations(asticude):
    from practices.models import PracticeSearch

    practice = make_practice(asticude, "Ateliers", summary="Récits de migrants.", language="fr")
    translate(practice, "ar", summary="حكايات المهاجرين في الناظور")
    translate(practice, "es", summary="Relatos de migrantes.")
    translate(practice, "en", Status.SUBMITTED, summary="Stories of migrants.")
    saved = fulltext.write_vectors(Practice.objects.all())
    vectors = dict(PracticeSearch.objects.values_list("practice_id", "vector"))
    bulk = fulltext.write_all_vectors()
    assert dict(PracticeSearch.objects.values_list("practice_id", "vector")) == vectors
    if connection.vendor == "postgresql":
        assert saved == bulk == 1
        vector = str(vectors[practice.pk])
        assert "'recit'" in vector and "'relat'" in vector and "'مهاجر'" in vector
        assert "'stori'" not in vector  # the translation awaiting review


def test_a_search_without_any_word_finds_nothing_and_fails_nothing(client, asticude):
    make_practice(asticude, "Workshop", summary="Migrants of Nador.")
    fulltext.write_vectors(Practice.objects.all())
    assert found(client, "!!! ??? -") == []
