"""The facet options' links are built from the query encoded once per facet
(practices/views.py `_toggler`): each is the link `_toggled` builds for one value, whatever
the query (repeated, blank, unicode and reserved values, a page number, a theme's page)."""

import pytest
from django.http import QueryDict

from practices.views import _facets_with_urls, _toggled
from search import dimensions
from search.facet_options import FacetOption

QUERIES = [
    "",
    "page=3",
    "theme=a",
    "theme=a&theme=b&page=2",
    "country=MA&theme=a&city=Nador&q=caf%C3%A9+%26+co",
    "city=&city=S%C3%A9ville&theme=a",
    "q=x&year=2020&year=2021&sort=title&available=fr",
    "theme=a&theme=a&stakeholder=s%2Fb",
]
VALUES = ["a", "b", "MA", "ES", "Nador", "Séville", "s/b", "x y&z", "2020", "fr", ""]


@pytest.mark.parametrize("raw", QUERIES)
@pytest.mark.parametrize("base", [None, "a theme"], ids=["list", "theme page"])
def test_each_option_links_to_the_list_with_its_value_toggled(raw, base):
    params = QueryDict(raw)
    facets = {
        dimension.name: [FacetOption(value, value, 1, False) for value in VALUES]
        for dimension in dimensions.DIMENSIONS
    }
    shown = _facets_with_urls(facets, params, base)
    assert shown
    for facet in shown:
        for option in facet["options"]:
            assert option.url == _toggled(params, facet["name"], option.value, base)
