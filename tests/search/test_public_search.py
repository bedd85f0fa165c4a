"""Full-text search: ranking, accents, stakeholders, escaped highlighted snippets."""

import pytest
from django.db import connection

from practices.models import Practice, PracticeSearch, StakeholderRole
from search import fulltext, index
from tests.conftest import make_practice, make_stakeholder

LIST = "/en/practices/"


def titles(response) -> list[str]:
    return [practice.title for practice in response.context["page"].object_list]


@pytest.fixture
def football(asticude):
    in_summary = make_practice(
        asticude,
        "Neighbourhood games",
        summary="Football, football and more football: matches every week in Nador.",
    )
    in_title = make_practice(asticude, "Football for inclusion", summary="Matches for all.")
    fulltext.write_vectors(Practice.objects.all())
    return in_title, in_summary


def test_a_title_match_ranks_first(client, football):
    in_title, in_summary = football
    response = client.get(LIST, {"q": "football"})
    assert titles(response) == [in_title.title, in_summary.title]
    if connection.vendor == "postgresql":
        ranks = [practice.rank for practice in response.context["page"].object_list]
        assert ranks[0] > ranks[1]  # SearchRank with the title weighted A
    else:
        assert response.context["sort"] == "relevance"  # title matches first in the fallback


def test_search_ignores_case_and_on_postgresql_accents(client, asticude):
    cafes = make_practice(asticude, "Cafés interculturels", summary="Rencontres à Nador.")
    fulltext.write_vectors(Practice.objects.all())
    assert titles(client.get(LIST, {"q": "INTERCULTURELS"})) == [cafes.title]
    if connection.vendor == "postgresql":
        assert titles(client.get(LIST, {"q": "cafes"})) == [cafes.title]
        assert titles(client.get(LIST, {"q": "rencontres a nador"})) == [cafes.title]
    else:
        assert titles(client.get(LIST, {"q": "cafés"})) == [cafes.title]


def test_search_covers_impact_lessons_city_and_stakeholder_names(client, asticude):
    practice = make_practice(
        asticude,
        "Plain title",
        impact="Wonderful outcome",
        lessons_learnt="Patience",
        city="Berkane",
    )
    StakeholderRole.objects.create(
        practice=practice, stakeholder=make_stakeholder("Zephyr Collective"), role="partner"
    )
    fulltext.write_vectors(Practice.objects.all())
    for word in ["wonderful", "patience", "berkane", "zephyr"]:
        assert titles(client.get(LIST, {"q": word})) == [practice.title], word


def test_the_search_vector_follows_an_edited_text_after_update(client, asticude):
    practice = make_practice(asticude, "Old words")
    fulltext.write_vectors(Practice.objects.all())
    Practice.objects.filter(pk=practice.pk).update(title="Brand new words")
    fulltext.write_vectors(Practice.objects.filter(pk=practice.pk))
    assert titles(client.get(LIST, {"q": "brand"})) == ["Brand new words"]


def test_the_snippet_highlights_the_matched_words_and_escapes_the_text(client, asticude):
    make_practice(
        asticude,
        "Careful practice",
        summary="<script>alert(1)</script> Workshops on migration with <b>journalists</b>.",
    )
    fulltext.write_vectors(Practice.objects.all())
    content = client.get(LIST, {"q": "journalists"}).content.decode()
    assert "<mark>journalists</mark>" in content
    # PostgreSQL's headline drops the tags, the fallback escapes them: never raw HTML.
    assert "<script>alert(1)" not in content
    assert "<b>journalists" not in content


def test_only_published_practices_are_found(client, asticude, draft_practice):
    fulltext.write_vectors(Practice.objects.all())
    assert titles(client.get(LIST, {"q": "draft"})) == []


def test_an_imported_practice_is_found_by_search(client, asticude):
    import tablib

    from reports.resources.practices import PracticeResource

    dataset = tablib.Dataset(
        headers=["slug", "title", "status", "organisation", "summary", "country", "language"]
    )
    dataset.append(
        ["imported", "Imported lighthouse", "published", "ASTICUDE", "Text.", "MA", "en"]
    )
    result = PracticeResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    assert titles(client.get(LIST, {"q": "lighthouse"})) == ["Imported lighthouse"]


def test_a_practice_saved_through_the_portal_is_found_by_its_new_words(client, asticude, partner):
    from publishing.saving import save_record

    practice = make_practice(asticude, "Shared kitchens")
    practice.summary = "Neighbours cook couscous together every Friday."
    save_record(practice, partner, "Edited")
    assert titles(client.get("/en/practices/?q=couscous")) == ["Shared kitchens"]


def test_renaming_a_stakeholder_refreshes_the_search_of_its_practices(client, asticude):
    practice = make_practice(asticude, "Harbour welcome desk")
    StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
    asticude.name = "Zaytouna Solidarity"
    asticude.save()
    index.refresh_after_change(asticude)
    assert titles(client.get("/en/practices/?q=zaytouna")) == ["Harbour welcome desk"]


def test_search_vectors_live_in_their_narrow_table_and_go_with_their_practice(asticude):
    practice = make_practice(asticude, "Football for inclusion", summary="Matches for all.")
    written = fulltext.write_vectors(Practice.objects.all())
    vectors = PracticeSearch.objects.filter(practice=practice)
    if connection.vendor != "postgresql":
        assert (written, vectors.exists()) == (0, False)  # SQLite searches the texts
        return
    assert written == 1
    assert "'footbal'" in str(vectors.get().vector)  # English words are stemmed
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [PracticeSearch._meta.db_table]
        )
        assert "toast_tuple_target=128" in cursor.fetchone()[0]
    practice.delete()
    assert not vectors.exists()


def test_the_bulk_vectors_are_the_vectors_of_a_save(asticude):
    """search/fulltext.py writes every vector at once with its own SQL (bulk loads) and a
    few practices with the ORM's expression (saves): both must give the same vectors."""
    practice = make_practice(asticude, "Ateliers d'écriture", summary="Récits de migrants.")
    practice.impact, practice.lessons_learnt, practice.city = "Un impact.", "Des leçons.", "Nador"
    practice.save()
    StakeholderRole.objects.create(practice=practice, stakeholder=asticude, role="lead")
    other = make_practice(asticude, "Sans partenaire", summary="Texte.")
    saved = fulltext.write_vectors(Practice.objects.all())
    vectors = dict(PracticeSearch.objects.values_list("practice_id", "vector"))
    bulk = fulltext.write_all_vectors()
    assert dict(PracticeSearch.objects.values_list("practice_id", "vector")) == vectors
    if connection.vendor == "postgresql":
        assert saved == bulk == 2 and set(vectors) == {practice.pk, other.pk}
        assert "asticud" in str(vectors[practice.pk]) and "nador" in str(vectors[practice.pk])
    else:
        assert saved == bulk == 0 and vectors == {}  # SQLite searches with icontains
