"""The dimensions of the list, each one entry: a new entry is a filter, a facet, chips and
counts from the bitmap index at once; the rule of each dimension reads the same in its
ORM condition, the index and the plain counts."""

from datetime import date

import pytest

from practices.models import Practice, Status
from search import counts, dimensions, index
from search.dimensions import Dimension
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def language(monkeypatch):
    """A throwaway dimension: the language a practice is written in."""
    entry = Dimension("language", "Language of the text", "language")
    monkeypatch.setattr(dimensions, "DIMENSIONS", [*dimensions.DIMENSIONS, entry])
    return entry


@pytest.fixture
def written(asticude):
    for title, language in [("Welcome", "en"), ("Accueil", "fr"), ("Ateliers", "fr")]:
        make_practice(asticude, title, language=language)
    make_practice(asticude, "Brouillon", language="fr", status=Status.DRAFT)
    index.refresh_all()


def test_a_new_entry_filters_the_list_and_shows_its_facet_and_chip(language, written, client):
    response = client.get("/en/practices/", {"language": "fr"})
    assert {p.title for p in response.context["page"].object_list} == {"Accueil", "Ateliers"}
    (facet,) = [f for f in response.context["facets"] if f["name"] == "language"]
    assert facet["title"] == "Language of the text"
    options = {o.value: (o.label, o.count, o.selected) for o in facet["options"]}
    assert options == {"fr": ("French", 2, True), "en": ("English", 1, False)}
    assert [chip["label"] for chip in response.context["chips"]] == ["French"]


def test_a_new_entry_is_counted_alike_by_the_index_and_the_tables(language, written):
    for active in ({}, {"language": ["fr"]}, {"language": ["en"], "country": ["MA"]}):
        from_index = counts.facet_rows(active)
        assert sorted(from_index) == sorted(counts.rows_from_tables(active)), active
    assert counts.facet_counts({})["language"] == {"fr": 2, "en": 1}


def test_a_new_entry_refuses_a_value_it_does_not_have(language, written, client):
    response = client.get("/en/practices/", {"language": "klingon"})
    assert list(response.context["page"].object_list) == []
    assert response.context["errors"]


def test_the_feed_and_the_open_data_take_a_new_entry_too(language, written, client):
    feed = client.get("/en/practices/feed/", {"language": "en"}).content.decode()
    assert "Welcome" in feed and "Accueil" not in feed
    csv = b"".join(client.get("/en/reports/open-data/practices.csv", {"language": "en"}))
    assert b"Welcome" in csv and b"Accueil" not in csv


SPANS = [
    (date(2019, 3, 1), None),
    (date(2018, 1, 1), date(2020, 6, 30)),
    (date(2021, 5, 1), date(2021, 5, 2)),
    (None, None),
    (date.today().replace(month=1, day=1), None),
    (date(date.today().year + 3, 1, 1), date(date.today().year + 4, 12, 31)),
]


@pytest.fixture
def spans(asticude):
    for number, (start, end) in enumerate(SPANS):
        make_practice(asticude, f"Span {number}", start_date=start, end_date=end)
    make_practice(asticude, "Unpublished", start_date=date(2019, 1, 1), status=Status.DRAFT)
    index.refresh_all()


def test_active_in_year_reads_the_same_in_the_orm_the_index_and_the_facet(spans):
    year = dimensions.get("year")
    facet = counts.facet_counts({})["year"]
    for y in range(2016, date.today().year + 6):
        expected = Practice.objects.published().filter(year.active_in(y)).count()
        assert counts.facet_counts({"year": [y]})["total"] == {"": expected}, y
        assert facet.get(str(y), 0) == expected, y


def test_no_value_of_a_dimension_selects_no_practice(asticude):
    make_practice(asticude, "Anything", city="Nador", start_date=date(2020, 1, 1))
    published = Practice.objects.published()
    for dimension in dimensions.DIMENSIONS:
        assert not published.filter(dimension.condition([])).exists(), dimension.name
