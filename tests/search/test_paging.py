"""Any page of the list, read ids first (search/paging.py), holds exactly the rows the plain
OFFSET query gives, in the same order, for every sort, from either end."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.models import Practice
from practices.views import SORTS
from search import bitmap_index, index
from search.fulltext import rank_by_relevance
from search.paging import IdsFirst
from tests.conftest import ON_POSTGRES, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(asticude):
    start = timezone.now() - datetime.timedelta(days=100)
    for number in range(47):
        make_practice(
            asticude,
            f"Practice {number % 9} number {number}",
            # Ties on every sort key but the id: the order must still be total.
            published_at=start + datetime.timedelta(days=number // 3),
            start_date=datetime.date(2020, 1 + number % 4, 1) if number % 5 else None,
            summary="Migrants and the local community." if number % 2 else "Radio.",
        )
    return Practice.objects.published()


def _slices(total: int, size: int) -> list[slice]:
    return [slice(start, start + size) for start in range(0, total + size, size)]


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("size", [20, 7])
def test_every_page_holds_the_rows_of_the_plain_query_in_its_order(practices, sort, size):
    ordered = practices.order_by(*SORTS[sort][1])
    total = ordered.count()
    for known in (total, None):
        for part in _slices(total, size):
            expected = [row.pk for row in ordered[part]]
            assert [row.pk for row in IdsFirst(ordered, known)[part]] == expected


def test_pages_of_a_search_by_relevance_keep_their_order(practices):
    ordered = rank_by_relevance(practices.filter(summary__contains="community"), "community")
    total = ordered.count()
    assert total == 23
    for part in _slices(total, 5):
        assert [r.pk for r in IdsFirst(ordered, total)[part]] == [r.pk for r in ordered[part]]


def test_the_last_page_is_read_from_the_end_of_the_order(practices):
    ordered = practices.order_by(*SORTS["newest"][1])
    with CaptureQueriesContext(connection) as queries:
        rows = IdsFirst(ordered, 47)[40:60]
    assert [row.pk for row in rows] == [row.pk for row in ordered[40:60]]
    ids_query = queries.captured_queries[0]["sql"].upper()
    assert '"PUBLISHED_AT" ASC' in ids_query  # the newest order, reversed
    assert "OFFSET" not in ids_query  # nothing walked before it
    assert len(queries) == 2  # the page's ids, then its rows


def test_the_first_page_is_one_query(practices):
    ordered = practices.order_by(*SORTS["title"][1])
    with CaptureQueriesContext(connection) as queries:
        rows = IdsFirst(ordered, 47)[0:20]
    assert len(rows) == 20
    assert len(queries) == 1


def test_a_deep_page_of_the_public_list_shows_its_practices(client, practices):
    response = client.get("/en/practices/", {"page": 3})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == 3
    expected = practices.order_by(*SORTS["newest"][1])[40:60]
    assert [p.pk for p in page.object_list] == [p.pk for p in expected]
    assert all(p.title in response.content.decode() for p in expected)


WALKED = [
    {"theme": ["intercultural-dialogue"], "sort": "title"},
    {"country": ["MA"], "sort": "start"},
    {"q": "community", "sort": "newest"},
    {"q": "local community", "sort": "title"},
]
# What only PostgreSQL's full-text search reads: OR, and a phrase (the GIN index's bitmap).
WALKED_ON_POSTGRES = [
    {"q": "migrants or radio", "theme": ["intercultural-dialogue"], "sort": "title"},
    {"q": '"local community"', "sort": "start"},
]


@pytest.fixture
def indexed(practices, theme):
    """The practices with a theme on two of three and Spain on one of four, the facet index
    built (it is derived data, kept by the saves; the fixture writes rows directly)."""
    for practice in practices.order_by("pk"):
        if practice.pk % 3:
            practice.themes.add(theme)
        if practice.pk % 4 == 0:
            Practice.objects.filter(pk=practice.pk).update(country="ES")
    index.refresh_all()
    return practices


@pytest.mark.parametrize("params", WALKED + (WALKED_ON_POSTGRES if ON_POSTGRES else []))
def test_every_page_of_a_filtered_list_walked_by_the_index_holds_the_plain_querys_rows(
    client, indexed, params
):
    """On PostgreSQL pages after the first walk the order with one bit per row (elsewhere
    the filters' conditions are walked); each holds the rows the filters' own conditions
    give, in the list's order."""
    first = client.get("/en/practices/", params).context["page"]
    plain = first.paginator.object_list.queryset
    total = first.paginator.count
    assert total > 20  # a second page, walked
    for number in range(2, first.paginator.num_pages + 1):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/en/practices/", {**params, "page": number}).context["page"]
        walked = "get_bit" in " ".join(q["sql"] for q in queries.captured_queries)
        assert walked == ON_POSTGRES
        start = (number - 1) * 20
        assert [p.pk for p in page.object_list] == [p.pk for p in plain[start : start + 20]]


def test_a_sparse_selection_is_not_walked(indexed):
    """Fewer than one match in fifty published practices: the walk would pass too many rows
    for each it keeps, and the plain plan sorts the few matches."""
    total = Practice.objects.published().count()
    dense = bitmap_index.walk_condition({"country": ["ES"]}, "", total // 4)
    assert (dense is not None) == ON_POSTGRES
    assert bitmap_index.walk_condition({"country": ["ES"]}, "", total // 60) is None


def test_without_the_index_pages_are_read_by_the_filters_own_conditions(client, indexed):
    """SQLite, or PostgreSQL before the index is built: no walk, the same pages."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_facet_bitmap") if ON_POSTGRES else None
    page = client.get("/en/practices/", {"country": "MA", "page": 2}).context["page"]
    plain = Practice.objects.published().filter(country="MA").order_by(*SORTS["newest"][1])
    assert [p.pk for p in page.object_list] == [p.pk for p in plain[20:40]]
