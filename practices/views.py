"""Public pages of the knowledge base: home, the filterable practice list, themes and
practice pages. Only published practices are ever shown here."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from attachments.models import attach_card_images
from events.models import Event
from practices.languages import localise, published_languages
from practices.models import Practice, StakeholderRole, Theme
from practices.names import localised_sql
from search import counts, dimensions
from search.facet_options import facets_and_total
from search.filters import PracticeFilter
from search.fulltext import rank_by_relevance, snippets
from search.paging import IdsFirst

PER_PAGE = 20
PDF_LIST_LIMIT = 200  # practices in the list's PDF (practices/pdf.py)
# Ranking reads every match's search vector: beyond this many matches (a common word over
# a large base) the results come newest first instead (docs/performance/design.md).
RANK_LIMIT = 2_000
CARD_FIELDS = ["title", "slug", "city", "country", "is_sample", "language"]
CARD_FIELDS += ["start_date", "end_date"]
CARD_TEXTS = ("title", "summary")  # of a translation, what a card of the list shows
SORTS = {
    "newest": (_("Newest"), ["-published_at", "pk"]),
    "title": (_("Title"), ["title", "pk"]),
    "start": (_("Start date"), ["-start_date", "-published_at", "pk"]),
}


def home(request: HttpRequest) -> HttpResponse:
    # Real records before the demo's sample ones, newest first.
    practices = Practice.objects.published().order_by("is_sample", "-published_at")[:6]
    practices = localise(practices, get_language())
    attach_card_images(practices)
    events = Event.objects.published().upcoming()[:5]
    return render(
        request,
        "practices/home.html",
        {"practices": practices, "events": events, "themes": themes_with_counts()},
    )


def practice_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request, request.GET, "practices/practice_list.html", {})


def theme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "practices/theme_list.html", {"themes": themes_with_counts()})


def themes_with_counts() -> list[Theme]:
    """Every theme with `count`, its published practices."""
    found = counts.practices_per_value("theme")
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.count = found.get(str(theme.pk), 0)
    return themes


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    params = request.GET.copy()
    params.setlist("theme", [theme.slug])
    return _render_list(request, params, "practices/theme_detail.html", {"theme": theme})


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    # isascii(): "²" is a digit to isdigit() but not to int().
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _sort(params: QueryDict, searching: bool) -> str:
    sort = params.get("sort", "")
    if sort in SORTS or (sort == "relevance" and searching):
        return sort
    return "relevance" if searching else "newest"


def _ranked(sort: str, total: int | None) -> bool:
    """Ordered by relevance: asked for, and RANK_LIMIT matches at most (ranking reads each
    match's vectors); more are shown newest first."""
    return sort == "relevance" and (total is None or total <= RANK_LIMIT)


def _ordered(practices, sort: str, search_text: str, total: int | None):
    if _ranked(sort, total):
        return rank_by_relevance(practices, search_text)
    return practices.order_by(*SORTS["newest" if sort == "relevance" else sort][1])


def _walk(request: HttpRequest, filterset: PracticeFilter, sort: str, total: int | None):
    """The selected practices in the list's order by the index's condition, for the pages
    after the first (search/paging.py); None when the list is ranked by relevance or the
    index cannot help."""
    if _page_number(request) == 1 or not total or _ranked(sort, total):
        return None
    condition = counts.walk_condition(filterset.indexed(), filterset.search_text(), total)
    if condition is None:
        return None
    return _ordered(Practice.objects.published().filter(condition), sort, "", total)


def _page(request: HttpRequest, practices, search_text: str, total: int | None, walk=None):
    """The asked-for page (a malformed number is page 1, one past the end the last page),
    each practice with its search snippet. `total`, when the facet index counted it,
    spares the paginator its COUNT."""
    # A card's fields only: the long texts of the practice (impact, lessons) are not shown.
    practices = practices.only(*CARD_FIELDS, "summary")
    paginator = Paginator(IdsFirst(practices, total, walk), PER_PAGE)
    page = paginator.page(min(_page_number(request), max(paginator.num_pages, 1)))
    page.object_list = localise(page.object_list, get_language(), CARD_TEXTS)
    attach_card_themes(page.object_list)
    found = snippets(page.object_list, search_text) if search_text else {}
    for practice in page.object_list:
        practice.snippet = found.get(practice.pk)
    attach_card_images(page.object_list)
    return page


def attach_card_themes(practices: list[Practice]) -> None:
    """Sets `card_themes` on each practice: the names of its themes in the page's language,
    in the themes' order (practices.models.InNameOrder). Read as pairs of (practice, name)
    in SQL: a prefetch built a Theme with its four descriptions per link (1.7 ms of a page)
    and the same query through the ORM cost 0.5 ms of compiling."""
    names: dict[int, list[str]] = {}
    ids = [practice.pk for practice in practices]
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(_card_themes_sql(len(ids)), ids)
            for practice_id, theme_name in cursor.fetchall():
                names.setdefault(practice_id, []).append(theme_name)
    for practice in practices:
        practice.card_themes = names.get(practice.pk, [])


def _card_themes_sql(count: int) -> str:
    quote = connection.ops.quote_name
    links, themes = Practice.themes.through._meta, Theme._meta
    practice = f"l.{quote(links.get_field('practice').column)}"
    theme = f"t.{quote(themes.pk.column)}"
    name = localised_sql(Theme, "name", lambda column: f"t.{quote(column)}")
    return (
        f"SELECT {practice}, {name} FROM {quote(links.db_table)} l "  # noqa: S608 - names from _meta
        f"JOIN {quote(themes.db_table)} t ON {theme} = l.{quote(links.get_field('theme').column)} "
        f"WHERE {practice} IN ({', '.join(['%s'] * count)}) ORDER BY {name}, {theme}"
    )


def _render_list(request, params: QueryDict, template: str, context: dict) -> HttpResponse:
    filterset = PracticeFilter(params, queryset=Practice.objects.published())
    practices = filterset.qs
    search_text = filterset.search_text()
    sort = _sort(params, bool(search_text))
    facets, total = facets_and_total(params, filterset=filterset)
    ordered = _ordered(practices, sort, search_text, total)
    walk = _walk(request, filterset, sort, total)
    page = _page(request, ordered, search_text, total, walk)
    if page.number < _page_number(request):
        return _redirect_to_page(request, page.number)
    base = context.get("theme")
    # The list's selection as a query string, encoded once for the feed and the exports.
    selection = _query(params, drop=("page", "sort")).rstrip("?")
    context |= {
        "filterset": filterset,
        "errors": filterset.error_messages(),
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "facets": _facets_with_urls(facets, params, base),
        "chips": _chips(facets, params, filterset, base),
        "sort": sort,
        "sorts": _sort_options(bool(search_text)),
        "searching": bool(search_text),
        "query": search_text,
        "hidden_filters": _hidden_filters(params, base),
        "feed_url": reverse("practices:feed") + selection,
        "export_links": [
            (fmt.upper(), reverse("reports:open_data", kwargs={"fmt": fmt}) + selection)
            for fmt in ("csv", "xlsx", "json")
        ],
        "pdf_url": reverse("practices:list_pdf") + _query(params, drop=("page",)).rstrip("?"),
        "pdf_limit": PDF_LIST_LIMIT,
        "open_data_licence": settings.OPEN_DATA_LICENCE,
        "page_prefix": _page_prefix(params, base),
        "in_my_language": get_language() in params.getlist("available"),
        "in_my_language_url": _toggled(params, "available", get_language(), base),
        "clear_url": request.path,
    }
    return render(request, template, context)


def _redirect_to_page(request: HttpRequest, number: int) -> HttpResponse:
    """An old bookmark past the end (the list has shrunk) lands on the last page, with its
    filters, rather than on a bare "Page not found"."""
    query = request.GET.copy()
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = str(number)
    return redirect(f"{request.path}?{query.urlencode()}".rstrip("?"))


def _sort_options(searching: bool) -> list[tuple[str, str]]:
    options = [(key, label) for key, (label, _order) in SORTS.items()]
    if searching:
        options.insert(0, ("relevance", _("Relevance")))
    return options


def _query(params: QueryDict, drop=(), keep_theme: bool = True, **changes) -> str:
    query = params.copy()
    for name in drop:
        query.pop(name, None)
    if not keep_theme:
        query.pop("theme", None)
    for name, values in changes.items():
        query.setlist(name, values)
    return f"?{query.urlencode()}"


def _page_prefix(params: QueryDict, base) -> str:
    query = _query(params, drop=("page",), keep_theme=base is None)
    return query if query == "?" else f"{query}&"


def _toggled(params: QueryDict, name: str, value: str, base) -> str:
    values = params.getlist(name)
    values = [v for v in values if v != value] if value in values else [*values, value]
    return _query(params, drop=("page",), keep_theme=base is None, **{name: values})


def _facets_with_urls(facets: dict, params: QueryDict, base) -> list[dict]:
    shown = []
    # The query the options' links start from, copied once for every facet.
    query = params.copy()
    query.pop("page", None)
    if base is not None:
        query.pop("theme", None)
    for dimension in dimensions.DIMENSIONS:
        name = dimension.name
        if base is not None and name == "theme":
            continue  # the theme page is pre-filtered by its theme
        options = facets.get(name, [])
        toggled = _toggler(query, name)
        for option in options:
            option.url = toggled(option.value)
        if options:
            selected = any(option.selected for option in options)
            shown.append(
                {
                    "name": name,
                    "title": dimension.label,
                    "options": options,
                    "open": selected or dimension.open,
                }
            )
    return shown


def _toggler(query: QueryDict, name: str):
    """A function giving, for a value of filter `name`, the list's URL with that value
    toggled: what _toggled() gives, with the rest of the query encoded once per facet
    rather than once per option (hundreds of options at scale). `query` is the list's,
    without its page (and the theme of a theme's page)."""
    keys = list(query.keys())
    position = keys.index(name) if name in keys else len(keys)
    before = _encoded(query, keys[:position])
    after = _encoded(query, keys[position + 1 :])
    current = query.getlist(name)
    # What urlencode() writes, the name quoted once rather than per option and value.
    key = quote_plus(name)
    # An option not selected (most of them) adds its value after the selected ones.
    added = [before] if before else []
    added += [f"{key}={_quoted(v)}" for v in current]
    start = "?" + "".join(f"{part}&" for part in added) + f"{key}="
    end = f"&{after}" if after else ""

    def toggled(value: str) -> str:
        if value not in current:
            return f"{start}{_quoted(value)}{end}"
        middle = "&".join(f"{key}={_quoted(v)}" for v in current if v != value)
        return "?" + "&".join(part for part in (before, middle, after) if part)

    return toggled


# The same few hundred option values on every page.
_quoted = lru_cache(maxsize=4096)(quote_plus)


def _encoded(query: QueryDict, keys: list[str]) -> str:
    return urlencode([(key, value) for key in keys for value in query.getlist(key)])


def _chips(facets: dict, params: QueryDict, filterset: PracticeFilter, base) -> list[dict]:
    """One removable chip per active value, with the link of the list without it."""
    chips = []
    if filterset.search_text():
        chips.append(
            {
                "title": _("Search"),
                "label": filterset.search_text(),
                "url": _query(params, drop=("page", "q"), keep_theme=base is None),
            }
        )
    labels = {
        (name, option.value): option.label
        for name, options in facets.items()
        for option in options
        if option.selected
    }
    for dimension in dimensions.DIMENSIONS:
        name = dimension.name
        if base is not None and name == "theme":
            continue
        for value in params.getlist(name):
            chips.append(
                {
                    "title": dimension.label,
                    "label": labels.get((name, value), value),
                    "url": _toggled(params, name, value, base),
                }
            )
    return chips


def _hidden_filters(params: QueryDict, base) -> list[tuple[str, str]]:
    """The active filters kept by the search-and-sort form as hidden fields."""
    return [
        (name, value)
        for name in dimensions.names()
        if not (base is not None and name == "theme")
        for value in params.getlist(name)
    ]


def published_practice(slug: str, *related) -> Practice:
    """A published practice as a visitor reads it (practices/languages.py), with its
    categories, indicators and roles, or 404: its page and its PDF."""
    practice = get_object_or_404(
        Practice.objects.published()
        .select_related("programme")
        .prefetch_related(
            *(taxonomy.path for taxonomy in dimensions.taxonomies()),
            "indicators",
            "links",
            Prefetch(
                "roles",
                queryset=StakeholderRole.objects.select_related("stakeholder").order_by(
                    "role", "stakeholder__name"
                ),
            ),
            *related,
        ),
        slug=slug,
    )
    localise([practice], get_language())
    for indicator in practice.indicators.all():
        indicator.shown_label = practice.shown.indicator_label(indicator)
    return practice


def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    events = Prefetch("events", queryset=Event.objects.published().order_by("-starts_at"))
    practice = published_practice(slug, events)
    return render(
        request,
        "practices/practice_detail.html",
        {
            "practice": practice,
            "related": related_practices(practice),
            "alternates": _alternates(request, published_languages(practice)),
            "original_url": translate_url(request.path, practice.language),
        },
    )


def _alternates(request: HttpRequest, languages: list[str]) -> list[tuple[str, str]]:
    """(language, absolute URL) of the page in each language the practice is readable in."""
    return [
        (language, request.build_absolute_uri(translate_url(request.path, language)))
        for language in languages
    ]


def related_practices(practice: Practice, limit: int = 5):
    """Published practices sharing a theme or a GCM objective, most recent first."""
    theme_ids = [t.pk for t in practice.themes.all()]
    objective_ids = [o.pk for o in practice.objectives.all()]
    shared = counts.sharing_any({"theme": theme_ids, "objective": objective_ids})
    related = (
        Practice.objects.published()
        .exclude(pk=practice.pk)
        .filter(shared)
        .order_by("is_sample", "-published_at")
        .only(*CARD_FIELDS)[:limit]
    )
    return localise(related, get_language())
