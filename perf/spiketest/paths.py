"""The public pages the spike's visitors ask for, taken from the database so that each one
has an answer: practices, themes, lists with one to three filters, searches, feeds. Within
each kind, the order is the popularity (perf/spiketest/mix.py): the first are the pages an
article would link to."""

from __future__ import annotations

import random
from urllib.parse import urlencode

SEARCH_WORDS = [
    "migrants",
    "integration",
    "women",
    "youth",
    "employment",
    "health",
    "language",
    "housing",
    "education",
    "tramontane",
]


def list_url(query: dict) -> str:
    return f"/en/practices/?{urlencode(query)}" if query else "/en/practices/"


def visitor_paths(rng: random.Random, practices: int = 1000, filters: int = 150) -> dict:
    from practices.models import Practice, TargetGroup, Theme

    published = Practice.objects.published()
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:practices])
    countries = published.exclude(country="").values_list("country", flat=True).distinct()
    themes = list(Theme.objects.order_by("?").values_list("slug", flat=True))
    choices = {
        "theme": themes,
        "country": [str(code) for code in countries[:20]],
        "target_group": list(TargetGroup.objects.values_list("slug", flat=True)),
    }
    names = sorted(name for name in choices if choices[name])
    filtered = []
    for _ in range(filters):
        chosen = rng.sample(names, rng.randint(1, min(3, len(names))))
        filtered.append(list_url({name: rng.choice(choices[name]) for name in chosen}))
    searches = [list_url({"q": word}) for word in SEARCH_WORDS]
    searches += [list_url({"q": word, "theme": rng.choice(themes)}) for word in SEARCH_WORDS]
    return {
        "home": ["/en/"],
        "list": [list_url({})] + [list_url({"page": n}) for n in range(2, 11)],
        "filter": filtered,
        "search": searches,
        "practice": [f"/en/practices/{slug}/" for slug in slugs],
        "theme": ["/en/themes/"] + [f"/en/themes/{slug}/" for slug in themes],
        "feed": ["/en/practices/feed/", "/en/events/calendar.ics"]
        + [f"/en/practices/feed/?{urlencode({'theme': slug})}" for slug in themes],
        # A coordinator's exports: a country and a theme, as the dashboard's filters send
        # them; the public selections of open data also a target group (at most
        # OPEN_DATA_MAX_ROWS practices, 2,000: a country and a theme can hold more at 100k).
        "export filter": [
            urlencode({"country": rng.choice(choices["country"]), "theme": rng.choice(themes)})
            for _ in range(20)
        ],
        "open-data filter": open_data_selections(rng, choices, themes),
    }


def open_data_selections(rng: random.Random, choices: dict, themes: list, wanted: int = 20):
    """Public selections the portal gives: at most OPEN_DATA_MAX_ROWS practices each (a
    larger one is refused with a 400, as designed, which the run would count as an error)."""
    from django.conf import settings

    from practices.models import Practice
    from search.filters import PracticeFilter

    found = []
    for _ in range(wanted * 10):
        query = {
            "country": rng.choice(choices["country"]),
            "theme": rng.choice(themes),
            "target_group": rng.choice(choices["target_group"] or [""]),
        }
        matched = PracticeFilter(query, queryset=Practice.objects.published()).qs.count()
        if matched <= settings.OPEN_DATA_MAX_ROWS:
            found.append(urlencode(query))
        if len(found) == wanted:
            break
    return found
