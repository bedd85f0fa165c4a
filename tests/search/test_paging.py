"""Any page of the list, read ids first (search/paging.py), holds exactly the rows the plain
OFFSET query gives, in the same order, for every sort, from either end."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.models import Practice
from practices.views import SORTS
from search.fulltext import rank_by_relevance
from search.paging import IdsFirst
from tests.conftest import make_practice

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
