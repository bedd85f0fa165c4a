"""The scenarios of `make bench` (perf/benchmark.py measures them): the pages of the
issues with their targets and peers, the facet counts alone, the admin peers, the API's
(perf/api_scenarios.py) and the full open-data files' first byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.test import Client

from perf.api_scenarios import api_scenarios
from practices.models import Practice, TargetGroup, Theme
from practices.sitemaps import PracticeSitemap
from practices.views import PER_PAGE
from reports import open_data
from search.counts import facet_counts
from stakeholders.models import Stakeholder

ADMIN_LIST = "/bench-admin/practices/practice/"
PLAIN_ADMIN_LIST = "/bench-plain-admin/practices/practice/"
COMMON_WORD = "migrants"
RARE_WORD = "tramontane"
TWO_WORDS = "local community"  # two common words, in that order in many summaries


@dataclass
class Scenario:
    name: str
    paths: list[str]
    target_ms: float | None = None
    peer: str = ""
    as_admin: bool = False
    kind: str = "page"  # page, export, import
    call: Callable[[], object] | None = None  # timed instead of requesting paths
    plain_peer: str = ""  # the plain admin's scenario of the same list


@dataclass
class Result:
    name: str
    kind: str
    path: str
    status: str = "ok"
    requests: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    target_ms: float | None = None
    peer: str = ""
    ratio: float | None = None
    plain_peer: str = ""
    plain_ratio: float | None = None
    seconds: float | None = None
    peak_rss_mb: float | None = None
    rows: int | None = None
    note: str = ""


@dataclass
class Sample:
    """The concrete values the scenarios filter and search on, picked from the data."""

    theme: Theme
    target_group: TargetGroup
    country: str
    detail_slugs: list[str] = field(default_factory=list)
    published: int = 0  # the list's length, for its last pages
    published_in_theme: int = 0
    busiest_stakeholder: str = ""  # the organisation with most practices: the longest page

    @classmethod
    def pick(cls) -> Sample:
        theme = Theme.objects.annotate(n=Count("practices")).order_by("-n").first()
        group = TargetGroup.objects.annotate(n=Count("practices")).order_by("-n").first()
        slugs = list(
            Practice.objects.published().order_by("id").values_list("slug", flat=True)[:2000]
        )
        published = Practice.objects.published()
        busiest = Stakeholder.objects.annotate(n=Count("practice_roles")).order_by("-n").first()
        return cls(
            theme,
            group,
            "MA",
            slugs[::40] or slugs,
            published.count(),
            published.filter(themes=theme).count(),
            busiest.slug if busiest else "",
        )

    @staticmethod
    def last_page(count: int) -> int:
        return max(1, -(-count // PER_PAGE))


def scenarios(sample: Sample) -> list[Scenario]:
    """The scenarios of the issue. List filters use the public list's parameter names
    (search/filters.py); the admin peers the admin's own."""
    theme, group, country = sample.theme, sample.target_group, sample.country
    one = {"theme": theme.slug}
    three = {**one, "country": country, "target_group": group.slug}
    admin_base = {"status__exact": "published"}
    admin_one = {**admin_base, "themes__id__exact": theme.pk}
    admin_three = {**admin_one, "country__exact": country, "target_groups__id__exact": group.pk}

    last = sample.last_page(sample.published)

    def url(path: str, query: dict | None = None) -> list[str]:
        return [f"{path}?{urlencode(query)}" if query else path]

    return [
        Scenario("home", url("/en/"), 50),
        Scenario("list", url("/en/practices/"), 100, "admin list", plain_peer="plain admin list"),
        Scenario(
            "list, one filter",
            url("/en/practices/", one),
            100,
            "admin one filter",
            plain_peer="plain admin one filter",
        ),
        Scenario(
            "list, three filters",
            url("/en/practices/", three),
            100,
            "admin three filters",
            plain_peer="plain admin three filters",
        ),
        Scenario(
            "search, common word",
            url("/en/practices/", {"q": COMMON_WORD}),
            100,
            "admin search",
            plain_peer="plain admin search",
        ),
        Scenario("search, rare word", url("/en/practices/", {"q": RARE_WORD}), 100),
        Scenario(
            "search + two filters",
            url("/en/practices/", {"q": COMMON_WORD, **one, "country": country}),
            100,
        ),
        Scenario(
            "rare word + two filters",
            url("/en/practices/", {"q": RARE_WORD, **one, "country": country}),
            100,
        ),
        Scenario(
            "list, city+year+kind",
            url("/en/practices/", {"city": "Nador", "year": "2022", "stakeholder_kind": "ngo"}),
            100,
        ),
        Scenario("list, page 50", url("/en/practices/", {"page": 50}), 100),
        Scenario("list, middle page", url("/en/practices/", {"page": last // 2 or 1}), 100),
        Scenario("list, last page", url("/en/practices/", {"page": last}), 100),
        Scenario(
            "one filter, last page",
            url("/en/practices/", {**one, "page": sample.last_page(sample.published_in_theme)}),
            100,
        ),
        Scenario("search, two common words", url("/en/practices/", {"q": TWO_WORDS}), 100),
        Scenario("search, a phrase", url("/en/practices/", {"q": f'"{TWO_WORDS}"'}), 100),
        Scenario("practice detail", [f"/en/practices/{s}/" for s in sample.detail_slugs], 25),
        Scenario("theme page", url(f"/en/themes/{theme.slug}/"), 100, peer="admin one filter"),
        Scenario("calendar.ics", url("/en/events/calendar.ics")),
        Scenario("stakeholders", url("/en/stakeholders/"), 100),
        Scenario(
            "stakeholder, most practices",
            url(f"/en/stakeholders/{sample.busiest_stakeholder}/"),
            100,
        ),
        Scenario("events", url("/en/events/"), 100),
        Scenario("practice feed", url("/en/practices/feed/"), 100),
        Scenario("sitemap index", url("/sitemap.xml"), 100),
        Scenario(
            "sitemap, last practices page",
            url("/sitemap-practices.xml", {"p": -(-sample.published // PracticeSitemap.limit)}),
            100,
        ),
        Scenario("numbers", url("/en/numbers/"), 100),
        Scenario("numbers, one filter", url("/en/numbers/", one), 100),
        # The facet counts alone, as the list page gets them (search/counts.py).
        Scenario("facet counts, none", ["facet_index"], call=lambda: facet_counts({})),
        Scenario(
            "facet counts, 3 filters",
            ["facet_index"],
            call=lambda: facet_counts(
                {"theme": [theme.pk], "country": [country], "target_group": [group.pk]}
            ),
        ),
        Scenario("admin list", url(ADMIN_LIST, admin_base), as_admin=True),
        Scenario("admin one filter", url(ADMIN_LIST, admin_one), as_admin=True),
        Scenario("admin three filters", url(ADMIN_LIST, admin_three), as_admin=True),
        Scenario("admin search", url(ADMIN_LIST, {**admin_base, "q": COMMON_WORD}), as_admin=True),
        Scenario("plain admin list", url(PLAIN_ADMIN_LIST, admin_base), as_admin=True),
        Scenario("plain admin one filter", url(PLAIN_ADMIN_LIST, admin_one), as_admin=True),
        Scenario("plain admin three filters", url(PLAIN_ADMIN_LIST, admin_three), as_admin=True),
        Scenario(
            "plain admin search",
            url(PLAIN_ADMIN_LIST, {**admin_base, "q": COMMON_WORD}),
            as_admin=True,
        ),
        *api_scenarios(sample, Scenario, COMMON_WORD, RARE_WORD),
        *[
            Scenario(f"open data {kind}.{fmt}", [path], 50, call=first_byte(kind, fmt, path))
            for kind, fmt in (("practices", "csv"), ("practices", "xlsx"), ("categories", "json"))
            for path in [f"/en/reports/open-data/{kind}.{fmt}"]
        ],
    ]


def first_byte(kind: str, fmt: str, path: str) -> Callable[[], None]:
    """The time to a full open-data file's first chunk: a download's own length is the
    network's, the portal's part is to start sending (reports/open_data.py). The files
    are built first if they are not (the warm-up pays it, once)."""
    client, built = Client(), []

    def call() -> None:
        if not built:
            open_data.build_if_stale()
            built.append(True)
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        next(iter(response.streaming_content), b"")
        response.close()

    return call
