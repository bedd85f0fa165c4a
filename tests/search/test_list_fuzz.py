"""Property test: no query string makes the public list, a theme, the feed or the open-data
download answer with a server error.

Parameters are drawn among the real ones (filters, search, sort, page, status, format)
and junk names; values are any text (NUL bytes, right-to-left marks, other scripts' digits,
very long strings), numbers and known slugs, repeated at will.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practices.models import Programme, TargetGroup
from search import dimensions
from tests.conftest import make_practice, make_stakeholder

PATHS = [
    "/en/practices/",
    "/en/themes/intercultural-dialogue/",
    "/en/practices/feed/",
    "/en/reports/open-data/practices.csv",
]
REAL_NAMES = [*dimensions.names(), "q", "sort", "page", "status", "format", "lang"]
# Values worth trying beside random text: known slugs, edge numbers, digits that are
# digits to str.isdigit() but not to int() ("²"), other scripts' digits, markup.
SPECIAL_VALUES = [
    "intercultural-dialogue",
    "MA",
    "ES",
    "ngo",
    "asticude",
    "0",
    "-1",
    "99999999999999999999999",
    "9223372036854775808",  # one beyond a 64-bit integer: SQLite cannot even compare it
    "1e309",
    "NaN",
    "²",
    "١٢",
    "2023",
    "1949",
    "relevance",
    "newest",
    "published",
    "draft",
    "\x00",
    "a\x00b",
    "%",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "&:*|!()",
    "x" * 5000,
]

names = st.one_of(st.sampled_from(REAL_NAMES), st.text(max_size=20))
values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.text(min_size=1000, max_size=3000),
)
queries = st.lists(st.tuples(names, values), max_size=8)


@pytest.fixture
def listed(theme, partner, outsider, asticude):
    """A few published and unpublished practices so that filters have something to match."""
    make_stakeholder("Junta", kind="public")
    programme = Programme.objects.create(name="Interreg", slug="interreg")
    group = TargetGroup.objects.create(name="Young people", slug="young-people")
    for number in range(3):
        practice = make_practice(asticude, f"Practice {number}", programme=programme)
        practice.themes.add(theme)
        practice.target_groups.add(group)
    make_practice(asticude, "Draft", status="draft")


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(PATHS), query=queries)
def test_no_query_string_makes_the_public_list_fail(listed, path, query):
    client = Client(raise_request_exception=False)
    response = client.get(f"{path}?{urlencode(query)}")
    assert response.status_code < 500, (path, query)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "raw",
    ["%ZZ", "&&==&", "q=%00", "page=%C2%B2", "year=%C2%B2", "q=%FF%FE", "theme[]=x", "%00=1"],
)
def test_malformed_query_strings_are_not_server_errors(listed, path, raw):
    response = Client(raise_request_exception=False).get(f"{path}?{raw}")
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "32768"])
def test_a_number_beyond_what_the_database_holds_is_an_invalid_choice(listed, client, value):
    response = client.get("/en/practices/", {"objective": value})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert response.context["errors"], value
