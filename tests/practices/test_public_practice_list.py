"""The public practice list: filters (OR within one, AND across), facet counts under the
other filters against hand counts, chips, sorting, pagination and bad input."""

import pytest
from django.http import QueryDict

from search import fulltext
from search.facet_options import compute_facets
from tests import public_data

LIST = "/en/practices/"


@pytest.fixture
def kb(asticude, acpp):
    return public_data.build(asticude, acpp)


def titles(response) -> list[str]:
    return [practice.title for practice in response.context["page"].object_list]


def counts(query: str, facet: str) -> dict[str, int]:
    return {option.value: option.count for option in compute_facets(QueryDict(query))[facet]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"cafes", "media", "festival"}),
        ("theme=dialogue", {"cafes", "festival"}),
        ("objective=17", {"media", "festival"}),
        ("principle=whole-of-society", {"cafes"}),
        ("target_group=migrants", {"cafes"}),
        ("area=cultural", {"cafes"}),
        ("country=ES", {"festival"}),
        ("city=Oujda", {"media"}),
        ("stakeholder_kind=municipality", {"media"}),
        ("stakeholder_kind=ngo", {"cafes", "media", "festival"}),
        ("stakeholder=acpp", {"media", "festival"}),
        ("programme=mc2cm", {"cafes"}),
        ("level=national", {"media"}),
        ("year=2021", {"cafes"}),
        ("year=2019", {"festival"}),
        ("year=2023", {"media"}),
        ("q=festival", {"festival"}),
    ],
)
def test_each_filter_alone_gives_the_hand_counted_practices(client, kb, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == {kb[key].title for key in expected}


def test_several_values_of_one_filter_combine_with_or(client, kb):
    response = client.get(f"{LIST}?theme=inclusion&theme=media")
    assert set(titles(response)) == {kb["cafes"].title, kb["media"].title, kb["festival"].title}
    response = client.get(f"{LIST}?year=2019&year=2021")
    assert set(titles(response)) == {kb["cafes"].title, kb["festival"].title}


def test_different_filters_combine_with_and(client, kb):
    response = client.get(f"{LIST}?theme=dialogue&country=MA")
    assert titles(response) == [kb["cafes"].title]
    response = client.get(f"{LIST}?objective=17&stakeholder=acpp&level=local")
    assert titles(response) == [kb["festival"].title]


def test_facet_counts_without_filters_count_only_published_practices(kb):
    assert counts("", "theme") == {"dialogue": 2, "media": 2, "inclusion": 1}
    assert counts("", "country") == {"MA": 2, "ES": 1}
    assert counts("", "objective") == {"16": 1, "17": 2, "23": 1}
    assert counts("", "stakeholder") == {"asticude": 2, "acpp": 2, "municipality-of-nador": 1}
    assert counts("", "stakeholder_kind") == {"ngo": 3, "municipality": 1}
    assert counts("", "city") == {"Nador": 1, "Oujda": 1, "Seville": 1}
    assert counts("", "level") == {"local": 2, "national": 1}
    assert counts("", "programme") == {"mc2cm": 1}
    assert counts("", "target_group") == {"migrants": 1}
    assert counts("", "area") == {"cultural": 1}
    assert counts("", "principle") == {"whole-of-society": 1}


def test_the_year_facet_counts_practices_active_each_year(kb):
    years = counts("", "year")
    assert years["2019"] == 1  # festival
    assert years["2020"] == 1  # cafes
    assert years["2021"] == 1  # cafes
    assert years["2022"] == 1  # media, still running
    assert "2018" not in years


def test_each_facet_counts_under_the_other_active_filters(kb):
    query = "theme=dialogue&country=MA"
    # The theme facet ignores the theme filter: practices in MA by theme.
    assert counts(query, "theme") == {"dialogue": 1, "inclusion": 1, "media": 1}
    # The country facet ignores the country filter: dialogue practices by country.
    assert counts(query, "country") == {"MA": 1, "ES": 1}
    # Other facets see both filters: only the cafes.
    assert counts(query, "objective") == {"16": 1}
    assert counts(query, "stakeholder") == {"asticude": 1}


def test_facet_options_know_which_are_selected(kb):
    facets = compute_facets(QueryDict("theme=dialogue&theme=media"))
    selected = {option.value for option in facets["theme"] if option.selected}
    assert selected == {"dialogue", "media"}


def test_a_selected_option_stays_visible_at_zero(kb):
    facets = compute_facets(QueryDict("country=ES&level=national"))
    national = [option for option in facets["level"] if option.value == "national"]
    assert national and national[0].selected
    assert {o.value: o.count for o in facets["level"]} == {"local": 1, "national": 0}


def test_facet_options_in_the_page_link_to_the_list_with_the_option_toggled(client, kb):
    response = client.get(f"{LIST}?theme=dialogue")
    content = response.content.decode()
    assert 'href="?theme=dialogue&amp;country=ES"' in content
    assert 'href="?"' in content  # unselecting the only filter


def test_chips_show_each_active_value_with_a_link_that_removes_it(client, kb):
    response = client.get(f"{LIST}?theme=dialogue&country=MA")
    chips = {chip["label"]: chip["url"] for chip in response.context["chips"]}
    assert chips == {"Intercultural dialogue": "?country=MA", "Morocco": "?theme=dialogue"}


def test_sorting_by_title_newest_and_start(client, kb):
    by_title = titles(client.get(f"{LIST}?sort=title"))
    assert by_title == sorted(by_title)
    assert titles(client.get(f"{LIST}?sort=newest"))[0] == kb["festival"].title
    assert titles(client.get(f"{LIST}?sort=start"))[0] == kb["media"].title


def test_the_list_pages_twenty_practices_at_a_time_with_numbered_pages(client, asticude):
    for number in range(45):
        public_data.make_practice(asticude, f"Practice number {number:02}")
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 20
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?page=3"' in first.content.decode()
    third = client.get(f"{LIST}?page=3")
    assert len(third.context["page"].object_list) == 5


@pytest.mark.parametrize(
    "query",
    ["page=-1", "page=abc", "page=0", "page=1.5", "page=" + "9" * 30, "sort=nope", "sort="],
)
def test_malformed_page_or_sort_falls_back_to_the_first_page(client, kb, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(titles(response)) == 3


def test_an_old_bookmark_past_the_last_page_is_sent_to_the_last_page_keeping_its_filters(
    client, asticude
):
    for number in range(25):
        public_data.make_practice(asticude, f"Practice number {number:02}")
    response = client.get(f"{LIST}?sort=title&page=999")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?sort=title&page=2"
    last = client.get(response["Location"])
    assert last.context["page"].number == 2 and len(titles(last)) == 5


def test_a_page_past_the_end_of_a_short_list_is_sent_to_the_list_itself(client, kb):
    response = client.get(f"{LIST}?theme=dialogue&page=2")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?theme=dialogue"


def test_a_page_past_the_end_of_a_theme_page_is_sent_to_the_theme_page(client, kb):
    theme = "/en/themes/dialogue/"
    response = client.get(f"{theme}?page=999")
    assert response.status_code == 302
    assert response["Location"] == theme
    assert client.get(theme).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "theme=nope",
        "objective=99",
        "objective=abc",
        "country=XX",
        "level=galactic",
        "year=abc",
        "year=12345",
        "stakeholder=nobody",
        "stakeholder_kind=alien",
        "programme=nope",
        "theme=dialogue&theme=nope",
    ],
)
def test_an_unknown_filter_value_gives_an_empty_list_with_a_message(client, kb, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["errors"]
    assert "Some filter values do not exist" in response.content.decode()


def test_an_unknown_city_simply_matches_nothing(client, kb):
    response = client.get(f"{LIST}?city=Atlantis")
    assert response.status_code == 200
    assert titles(response) == []
    assert "No practice matches." in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "x" * 5000,
        "word " * 2000,
        "مهاجرين",
        "café ñandú 移民",
        "'; DROP TABLE x; --",
        "a & b | !c",
        '"unclosed',
        "<>",
        "\x1b",
    ],
)
def test_odd_searches_never_fail(client, kb, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200


def test_a_nul_in_a_search_is_a_bad_request_not_a_failure(client, kb):
    # PostgreSQL cannot store or compare a NUL: the middleware refuses it (tests/search).
    assert client.get(LIST, {"q": "\x00"}).status_code == 400


def test_a_search_without_hit_suggests_removing_filters(client, kb):
    response = client.get(LIST, {"q": "zzzunknownword", "theme": "dialogue"})
    assert "Try removing a filter" in response.content.decode()


def test_the_list_links_to_a_feed_with_the_same_filters(client, kb):
    response = client.get(f"{LIST}?theme=dialogue&page=1&sort=title")
    assert response.context["feed_url"] == "/en/practices/feed/?theme=dialogue"


def test_the_theme_page_is_the_list_pre_filtered_by_its_theme(client, kb):
    response = client.get("/en/themes/dialogue/?country=MA")
    assert response.status_code == 200
    assert titles(response) == [kb["cafes"].title]
    assert [f["name"] for f in response.context["facets"]].count("theme") == 0
    assert client.get("/en/themes/nope/").status_code == 404


def test_the_theme_index_counts_published_practices(client, kb):
    response = client.get("/en/themes/")
    counted = {theme.slug: theme.count for theme in response.context["themes"]}
    assert counted == {"dialogue": 2, "media": 2, "inclusion": 1}


def test_the_list_keeps_a_constant_number_of_queries(
    client, asticude, acpp, django_assert_max_num_queries
):
    kb = public_data.build(asticude, acpp)
    query = f"{LIST}?theme=dialogue&theme=media&country=MA&country=ES&objective=17&q=migration"
    # One of them: the cards' images; another, on PostgreSQL, the search's words as a
    # formula over the stored common words (search/word_bits.py).
    with django_assert_max_num_queries(14):
        client.get(query)
    for number in range(40):
        practice = public_data.make_practice(asticude, f"Migration practice {number}")
        practice.themes.set([kb["cafes"].themes.first()])
        practice.objectives.set(kb["festival"].objectives.all())
    fulltext.write_vectors(public_data.Practice.objects.all())
    with django_assert_max_num_queries(14):
        response = client.get(query)
    with django_assert_max_num_queries(10):  # the page's translations, the cards' images
        client.get(LIST)
    assert response.status_code == 200


def test_a_blank_filter_value_is_no_filter(client, kb):
    everything = client.get("/en/practices/").context["page"].paginator.count
    response = client.get("/en/practices/?theme=&country=&year=")
    assert response.context["errors"] == []
    assert response.context["page"].paginator.count == everything
