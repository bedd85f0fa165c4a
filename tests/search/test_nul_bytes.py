"""A NUL byte cannot be stored in PostgreSQL's text: in a search or a filter it is a bad
request with a clear page, on every page that takes the list's filters; other control
characters are spaces (the fuzz test over every URL is tests/test_control_characters.py)."""

import pytest

from tests.conftest import make_practice

PAGES = ["/en/practices/", "/en/practices/feed/", "/en/themes/intercultural-dialogue/"]
PAGES += [f"/en/reports/open-data/practices.{fmt}" for fmt in ("csv", "json")]


@pytest.mark.parametrize("query", ["q=%00", "q=caf%00e", "city=%00", "city=Nador%00"])
@pytest.mark.parametrize("page", PAGES)
def test_a_nul_byte_in_the_query_is_a_bad_request_that_says_why(
    client, asticude, theme, page, query
):
    make_practice(asticude, "Cafe of Nador", city="Nador").themes.add(theme)
    response = client.get(f"{page}?{query}")
    assert response.status_code == 400
    assert b"a character that is not allowed (a NUL byte)" in response.content
    assert b"Cafe of Nador" not in response.content


@pytest.mark.parametrize("page", PAGES)
def test_a_control_character_in_a_city_matches_nothing_and_breaks_no_page(
    client, asticude, theme, page
):
    make_practice(asticude, "Cafe of Nador", city="Nador").themes.add(theme)
    response = client.get(f"{page}?city=%1B")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["%1B", "a%0Bb", "caf%C3%A9%1F"])
def test_a_control_character_in_a_search_is_a_space_in_the_feeds_title(client, db, query):
    response = client.get(f"/en/practices/feed/?q={query}")
    assert response.status_code == 200
    assert b"\x1b" not in response.content and b"\x0b" not in response.content
