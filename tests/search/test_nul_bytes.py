"""A NUL byte cannot be stored in PostgreSQL's text: in a search or a filter it matches
nothing, with no server error, on every page that takes the list's filters."""

import pytest

from tests.conftest import make_practice

PAGES = ["/en/practices/", "/en/practices/feed/", "/en/themes/intercultural-dialogue/"]
PAGES += [f"/en/reports/open-data/practices.{fmt}" for fmt in ("csv", "json")]


@pytest.mark.parametrize("query", ["q=%00", "q=caf%00e", "city=%00", "city=Nador%00"])
@pytest.mark.parametrize("page", PAGES)
def test_a_nul_byte_in_the_query_is_no_server_error(client, asticude, theme, page, query):
    make_practice(asticude, "Cafe of Nador", city="Nador").themes.add(theme)
    response = client.get(f"{page}?{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Cafe of Nador" not in body
