"""A visitor reads a practice in the page's language when a coordinator approved a
translation into it, and otherwise in its original language, told so."""

import re
from xml.etree import ElementTree

import pytest

from practices.models import Indicator, Status
from tests.conftest import make_practice

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def french_practice(asticude):
    practice = make_practice(
        asticude,
        "Cafés interculturels",
        language="fr",
        summary="Des couturières se rencontrent chaque semaine.",
    )
    practice.translations.create(
        language="en",
        title="Intercultural cafés",
        summary="Seamstresses meet every week.",
        status=Status.PUBLISHED,
    )
    practice.translations.create(
        language="ar", title="مقاهي بين الثقافات", summary="ملخص لم يراجع", status=Status.SUBMITTED
    )
    return practice


def page(client, language: str, practice) -> str:
    response = client.get(f"/{language}/practices/{practice.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_reads_the_approved_translation_into_the_pages_language(client, french_practice):
    html = page(client, "en", french_practice)
    assert '<h1 lang="en" dir="ltr">Intercultural cafés</h1>' in html
    assert "Seamstresses meet every week." in html
    assert "Des couturières" not in html
    assert "Translated from French" in html
    assert f'href="/fr/practices/{french_practice.slug}/" hreflang="fr">Read the original' in html


def test_a_visitor_reads_the_original_where_no_approved_translation_exists(client, french_practice):
    html = page(client, "ar", french_practice)
    assert '<h1 lang="fr" dir="ltr">Cafés interculturels</h1>' in html
    assert '<div class="prose" lang="fr" dir="ltr">' in html
    assert "ملخص لم يراجع" not in html  # submitted, not approved
    assert '<p class="notice language-note">متوفرة فقط بـالفرنسية.</p>' in html


def test_a_visitor_reading_the_original_language_sees_no_note(client, french_practice):
    html = page(client, "fr", french_practice)
    assert '<h1 lang="fr" dir="ltr">Cafés interculturels</h1>' in html
    assert "language-note" not in html


def test_the_page_names_an_alternate_for_each_language_the_practice_is_readable_in(
    client, french_practice
):
    html = page(client, "es", french_practice)
    alternates = set(re.findall(r'<link rel="alternate" hreflang="(\w+)"', html))
    assert alternates == {"fr", "en"}
    assert f'hreflang="en" href="http://testserver/en/practices/{french_practice.slug}/"' in html


def test_indicator_labels_are_read_from_the_translation(client, french_practice):
    indicator = Indicator.objects.create(
        practice=french_practice, label="Créatrices formées", target=40, achieved=42
    )
    translation = french_practice.translations.get(language="en")
    translation.indicator_labels = {str(indicator.pk): "Narrative creators trained"}
    translation.save()
    assert "Narrative creators trained" in page(client, "en", french_practice)
    assert "Créatrices formées" in page(client, "es", french_practice)


def test_the_list_and_its_cards_follow_the_same_rule(client, french_practice):
    english = client.get("/en/practices/").content.decode()
    assert "Intercultural cafés" in english and "(translation)" in english
    spanish = client.get("/es/practices/").content.decode()
    assert 'lang="fr" dir="auto">Cafés interculturels</a>' in spanish


def test_the_feed_gives_each_practice_in_the_feeds_language(client, french_practice):
    for language, title in [("en", "Intercultural cafés"), ("es", "Cafés interculturels")]:
        feed = ElementTree.fromstring(client.get(f"/{language}/practices/feed/").content)
        titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
        assert titles == [title]


def test_translations_of_an_unpublished_practice_are_never_shown(client, asticude):
    draft = make_practice(asticude, "Brouillon", language="fr", status=Status.DRAFT)
    draft.translations.create(language="en", title="Draft", summary="S", status=Status.PUBLISHED)
    assert client.get(f"/en/practices/{draft.slug}/").status_code == 404
    assert "Draft" not in client.get("/en/practices/").content.decode()


def test_showing_translations_costs_one_query_whatever_the_number_of_practices(
    client, asticude, django_assert_max_num_queries
):
    for number in range(25):
        practice = make_practice(asticude, f"Pratique {number}", language="fr")
        practice.translations.create(
            language="en", title=f"Practice {number}", summary="S", status=Status.PUBLISHED
        )
    client.get("/en/practices/")  # fills the caches of labels and counts
    with django_assert_max_num_queries(12) as captured:
        client.get("/en/practices/")
    queries = [q["sql"] for q in captured.captured_queries]
    translation_queries = [
        sql for sql in queries if sql.startswith('SELECT "practices_practicetranslation"')
    ]
    assert len(translation_queries) == 1


def test_the_list_filters_the_practices_a_visitor_can_read_in_their_language(
    client, french_practice, asticude
):
    make_practice(asticude, "Written in English")
    make_practice(asticude, "Escrita en español", language="es")
    english = client.get("/en/practices/").content.decode()
    assert 'href="?available=en"' in english
    readable = client.get("/en/practices/?available=en").content.decode()
    assert "Intercultural cafés" in readable and "Written in English" in readable
    assert "Escrita en español" not in readable
    assert "2 practices" in readable
    # Its submitted Arabic translation does not make it readable in Arabic yet.
    arabic = client.get("/ar/practices/?available=ar").content.decode()
    assert "Cafés interculturels" not in arabic


def test_the_language_facet_counts_originals_and_approved_translations(
    client, french_practice, asticude
):
    make_practice(asticude, "Written in English")
    from django.http import QueryDict

    from search.facet_options import compute_facets

    options = {o.value: o.count for o in compute_facets(QueryDict(""))["available"]}
    assert options == {"en": 2, "fr": 1}


@pytest.mark.parametrize(
    ("language", "shown", "note"),
    [
        ("fr", "fr", None),  # its own language: no note
        ("en", "en", "translation"),
        ("es", "es", "translation"),
        ("ar", "fr", "original"),  # the Arabic one waits for review
    ],
)
def test_each_language_reads_its_translation_or_the_original_with_a_note(
    client, french_practice, language, shown, note
):
    french_practice.translations.create(
        language="es", title="Cafés interculturales", summary="Costureras.", status="published"
    )
    html = page(client, language, french_practice)
    heading = html.split("<h1", 1)[1].split(">", 1)[0]
    assert f'lang="{shown}"' in heading
    assert ('href="/fr/practices/' in html and 'hreflang="fr">' in html) == (note == "translation")
    assert ('class="notice language-note"' in html) == (note is not None)
    alternates = set(re.findall(r'<link rel="alternate" hreflang="(\w+)"', html))
    assert alternates == {"fr", "en", "es"}
