"""The bitmap of a search's matches that the facet counts start from (the SQL function
practice_search_bits, PostgreSQL): bit n set exactly when practice n matches, at any
length. On SQLite the counts come from the tables and the function does not exist."""

import pytest
from django.db import connection

from practices.models import Practice
from search import bitmap_index, fulltext
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db


def search_bits(words: str, size: int) -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT practice_search_bits(nador_query(%s), %s)::text", [words, size])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("size", [64, 65_536, 200])
def test_the_bits_of_a_search_are_its_matches_and_only_them(asticude, size):
    matching = [make_practice(asticude, f"Migrants welcome desk {n}") for n in range(3)]
    make_practice(asticude, "Football for all")
    fulltext.write_vectors(Practice.objects.all())
    bits = search_bits("migrants", max(size, max(p.pk for p in matching) + 1))
    if bits is None:  # SQLite: the counts of a search come from the tables
        assert bitmap_index.facet_rows({}, "migrants") is None
        return
    assert len(bits) >= size
    assert {n for n, bit in enumerate(bits) if bit == "1"} == {p.pk for p in matching}
    assert search_bits("tramontane", size) == "0" * size
