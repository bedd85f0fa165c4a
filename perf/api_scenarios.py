"""The API's scenarios of `make bench` (api/): the practice list with the public list's
filters and search, and a practice by its slug, each against its target."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

LIST_MS, DETAIL_MS = 60, 25
API = "/api/v1/practices/"


def api_scenarios(sample, scenario, common_word: str, rare_word: str) -> list:
    theme, group, country = sample.theme, sample.target_group, sample.country
    one = {"theme": theme.slug}
    three = {**one, "country": country, "target_group": group.slug}

    def url(query: dict | None = None) -> list[str]:
        return [f"{API}?{urlencode(query)}" if query else API]

    return [
        scenario("api list", url(), LIST_MS),
        scenario("api list, three filters", url(three), LIST_MS),
        scenario("api list, 50 per page", url({**one, "page_size": 50}), LIST_MS),
        scenario("api search + filter", url({"q": common_word, **one}), LIST_MS),
        scenario("api rare word", url({"q": rare_word}), LIST_MS),
        scenario("api list, in French", url({"available": "fr", "objective": 17}), LIST_MS),
        scenario("api list + facets", url({**three, "facets": 1}), LIST_MS),
        scenario("api detail", [f"{API}{slug}/" for slug in sample.detail_slugs], DETAIL_MS),
    ]


def without_rate_limit() -> None:
    """The bench sends hundreds of requests a minute from one address: the API's limit
    stays on (its cache reads are part of each request's cost) with room for them."""
    settings.API_ANON_RATE = "1000000/min"
