"""The practices of the API: published ones only, filtered exactly as the public list,
each with its language and approved translations, categories named in the asked language,
cursor pages whose query count does not grow with their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practices.models import Practice, Status
from search import bitmap_index
from tests.api.helpers import all_slugs, build
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db


# Filter combinations of the public list, the full-text search and "available in" among them.
COMBINATIONS = [
    "",
    "theme=dialogue",
    "theme=dialogue&theme=media",
    "objective=17",
    "theme=dialogue&objective=17",
    "country=MA&target_group=migrants",
    "q=festival",
    "q=cafés",
    "q=rencontres",
    "q=secreto",
    "available=fr",
    "available=es",
    "available=en&theme=media",
    "year=2019",
    "city=Nador&stakeholder_kind=ngo",
    "stakeholder=asticude&level=local",
    "programme=mc2cm&principle=whole-of-society&area=cultural",
    "theme=&country=",
]


@pytest.fixture(params=["tables", "index"] if ON_POSTGRES else ["tables"])
def kb(request, asticude, acpp):
    data = build(asticude, acpp)
    if request.param == "index":
        bitmap_index.refresh_all()
    return data


def page_slugs(client, query: str) -> set[str]:
    response = client.get(f"/en/practices/?{query}")
    assert response.status_code == 200
    return {practice.slug for practice in response.context["page"].paginator.object_list}


@pytest.mark.parametrize("query", COMBINATIONS)
def test_the_api_lists_the_same_practices_as_the_public_list(client, kb, query):
    api = all_slugs(client, f"/api/v1/practices/?{query}&page_size=2")
    assert len(api) == len(set(api))
    assert set(api) == page_slugs(client, query)


def test_the_filters_select_what_they_say(client, kb):
    assert set(all_slugs(client, "/api/v1/practices/?objective=17")) == {
        kb["media"].slug,
        kb["festival"].slug,
    }
    assert all_slugs(client, "/api/v1/practices/?available=fr") == [kb["cafes"].slug]
    # A translation waiting for review is neither read nor searched.
    assert all_slugs(client, "/api/v1/practices/?available=es") == []
    assert all_slugs(client, "/api/v1/practices/?q=secreto") == []


def test_unpublished_practices_are_never_listed_nor_shown(client, kb):
    listed = all_slugs(client, "/api/v1/practices/?page_size=100")
    assert sorted(listed) == sorted(kb[name].slug for name in ("cafes", "media", "festival"))
    for practice in kb["hidden"].values():
        response = client.get(f"/api/v1/practices/{practice.slug}/")
        assert response.status_code == 404
        assert response.json() == {
            "status": 404,
            "detail": "Nothing is published at this address.",
        }


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("theme=no-such-theme", "theme"),
        ("objective=99", "objective"),
        ("objective=99999999999999999999", "objective"),
        ("year=abc", "year"),
        ("country=ZZ", "country"),
        ("available=xx", "available"),
        ("lang=xx", "lang"),
        ("facets=maybe", "facets"),
    ],
)
def test_a_bad_parameter_is_a_400_in_json_naming_it(client, kb, query, parameter):
    response = client.get(f"/api/v1/practices/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == 400 and list(body["errors"]) == [parameter]
    assert body["errors"][parameter][0]


def test_an_invalid_cursor_is_a_404_in_json(client, kb):
    response = client.get("/api/v1/practices/?cursor=not-a-cursor")
    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid cursor"


def test_a_practice_has_its_language_and_only_its_approved_translations(client, kb):
    cafes = client.get(f"/api/v1/practices/{kb['cafes'].slug}/").json()
    assert cafes["language"] == "en"
    assert cafes["title"] == "Intercultural cafés in Nador"
    assert [(t["language"], t["title"]) for t in cafes["translations"]] == [
        ("fr", "Cafés interculturels à Nador")
    ]
    festival = client.get(f"/api/v1/practices/{kb['festival'].slug}/").json()
    assert festival["translations"] == []
    assert "Borrador" not in str(client.get("/api/v1/practices/?page_size=100").content)


def test_a_practice_names_its_categories_by_slug_and_its_stakeholders(client, kb):
    cafes = client.get(f"/api/v1/practices/{kb['cafes'].slug}/").json()
    assert {t["slug"] for t in cafes["themes"]} == {"dialogue", "inclusion"}
    assert cafes["objectives"][0]["number"] == 16
    assert cafes["programme"] == {"slug": "mc2cm", "name": "MC2CM"}
    assert cafes["cooperation_levels"] == ["local"]
    assert cafes["stakeholders"] == [{"slug": "asticude", "name": "ASTICUDE", "role": "lead"}]
    assert cafes["country"] == "MA" and cafes["url"].endswith(f"/en/practices/{kb['cafes'].slug}/")


@pytest.mark.parametrize(
    "query, headers",
    [
        ("?lang=fr", {}),
        ("", {"HTTP_ACCEPT_LANGUAGE": "fr"}),
        ("?lang=fr", {"HTTP_ACCEPT_LANGUAGE": "es"}),
    ],
)
def test_category_names_come_in_the_asked_language_english_where_untranslated(
    client, kb, query, headers
):
    cafes = client.get(f"/api/v1/practices/{kb['cafes'].slug}/{query}", **headers)
    names = {t["slug"]: t["name"] for t in cafes.json()["themes"]}
    assert names == {"dialogue": "Dialogue interculturel", "inclusion": "Social inclusion"}
    assert cafes["Content-Language"] == "fr"
    assert "/fr/practices/" in cafes.json()["url"]


def test_the_facets_are_the_list_pages(client, kb):
    body = client.get("/api/v1/practices/?theme=dialogue&facets=1").json()
    assert body["count"] == 2
    page = client.get("/en/practices/?theme=dialogue")
    expected = {
        facet["name"]: {(o.value, o.count, o.selected) for o in facet["options"]}
        for facet in page.context["facets"]
    }
    got = {
        name: {(o["value"], o["count"], o["selected"]) for o in options}
        for name, options in body["facets"].items()
    }
    assert got == expected
    assert "facets" not in client.get("/api/v1/practices/").json()


def test_cursor_pages_cover_the_list_once_newest_first(client, kb):
    slugs = all_slugs(client, "/api/v1/practices/?page_size=1")
    newest_first = Practice.objects.filter(status=Status.PUBLISHED).order_by("-id")
    assert slugs == [p.slug for p in newest_first]


def test_the_query_count_does_not_grow_with_the_page_size(client, asticude, acpp, theme):
    practices = []
    for number in range(60):
        practice = Practice.objects.create(
            title=f"Practice {number}",
            slug=f"practice-{number}",
            summary="A summary.",
            country="MA",
            organisation=asticude,
            status=Status.PUBLISHED,
        )
        practice.themes.add(theme)
        practice.translations.create(
            language="fr", title="Pratique", summary="Résumé.", status=Status.PUBLISHED
        )
        practices.append(practice)
    counts = {}
    for size in (5, 50):
        for url in (
            f"/api/v1/practices/?page_size={size}",
            f"/api/v1/practices/?page_size={size}&theme={theme.slug}",
        ):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert len(response.json()["results"]) == size
            counts[(size, "theme" in url)] = len(queries)
    assert counts[(5, False)] == counts[(50, False)]
    assert counts[(5, True)] == counts[(50, True)]
    assert counts[(50, True)] <= 10


def test_the_detail_takes_a_fixed_small_number_of_queries(
    client, kb, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        assert client.get(f"/api/v1/practices/{kb['cafes'].slug}/").status_code == 200


def test_errors_speak_the_asked_language(client, kb):
    response = client.get("/api/v1/practices/?theme=nope&lang=fr")
    assert response.json()["detail"] == "Certains paramètres ne sont pas valides."
    missing = client.get("/api/v1/practices/nope/", HTTP_ACCEPT_LANGUAGE="es")
    assert missing.json()["detail"] == "No hay nada publicado en esta dirección."
