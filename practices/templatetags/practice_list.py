"""Parts of the public practice list written in Python rather than in template loops.

A facet offers up to fifty options and the list shows about two hundred and fifty of them:
in the template language each option cost a dozen variable lookups and a
{% blocktranslate %}, the largest part of the page's time at 10,000 practices
(docs/performance/log.md). The HTML is the template's, byte for byte
(tests/practices/test_list_rendering.py holds them equal). As in templates, the texts
of the catalogues are not escaped, the values are."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info, gettext, ngettext
from django_countries.fields import Country

register = template.Library()

INDENT = "\n      "
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's <slug:> converter


def _escape(value) -> str:
    """conditional_escape() without its check for lazy arguments, a third of its time
    and called some 700 times a page: the same characters escaped the same way."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    return html.escape(text)


def _escape_text(value) -> str:
    """_escape() of the options' labels and links, kept: the same few hundred on every
    page. Plain strings only, as a safe string equal to one would share its entry."""
    return _escaped(value) if type(value) is str else _escape(value)


@register.simple_tag
def facet_options(options) -> SafeString:
    """The <li> of each option of a facet (search/facet_options.FacetOption): a link to
    the list with that option toggled, with its count."""
    language = get_language()
    remove = _texts(language).remove
    html = []
    for option in options:
        url = _escape_text(option.url)
        if option.selected:
            link = (
                f'<a href="{url}" class="option selected" aria-current="true">'
                f'<span class="visually-hidden">{remove} </span>'
            )
        else:
            link = f'<a href="{url}" class="option">'
        label = _escape_text(option.label)
        html.append(f"{INDENT}<li>{link}{label} {_count(language, option.count)}")
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def facet_list(facets) -> SafeString:
    """The facets' block of the list (<aside class="facets">): each facet (a dict of the
    view's `_facets_with_urls`) folded or open, with its options."""
    html = [
        '\n<aside class="facets" aria-labelledby="facets-heading">\n'
        f'  <h2 id="facets-heading">{_texts(get_language()).narrow}</h2>\n  '
    ]
    for facet in facets:
        opened = " open" if facet["open"] else ""
        html.append(
            f'\n  <details class="facet"{opened}>\n    <summary>{_escape(facet["title"])}</summary>'
            f"\n    <ul>\n      {facet_options(facet['options'])}\n    </ul>\n  </details>\n  "
        )
    html.append("\n</aside>\n")
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def pagination(page, page_range, page_prefix: str) -> SafeString:
    """templates/includes/pagination.html, for the list: its pages' links."""
    if page.paginator.num_pages <= 1:
        return mark_safe("\n")
    texts = _texts(get_language())
    prefix = f"{_escape(page_prefix)}page="
    hidden = f'<span class="visually-hidden">{texts.page} </span>'
    html = [f'\n<nav class="pagination" aria-label="{texts.pages}">\n  <ul>\n    ']
    if page.has_previous():
        number = page.previous_page_number()
        html.append(f'<li><a href="{prefix}{number}" rel="prev">{texts.previous}</a></li>')
    html.append("\n    ")
    for number in page_range:
        if number == page.paginator.ELLIPSIS:
            html.append('\n      <li><span aria-hidden="true">…</span></li>\n      \n    ')
        elif number == page.number:
            html.append(
                f'\n      <li><a href="{prefix}{number}" aria-current="page">{hidden}{number}'
                "</a></li>\n      \n    "
            )
        else:
            html.append(f'\n      <li><a href="{prefix}{number}">{hidden}{number}</a></li>\n    ')
    html.append("\n    ")
    if page.has_next():
        number = page.next_page_number()
        html.append(f'<li><a href="{prefix}{number}" rel="next">{texts.next}</a></li>')
    html.append("\n  </ul>\n</nav>\n\n")
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped


@dataclass(frozen=True)
class _Texts:
    """The tags' fixed texts in one language, translated once: each gettext() call costs
    a walk through the translation machinery (and django-countries' fallback catalogue),
    and a page made some four hundred of them."""

    remove: str
    narrow: str
    pages: str
    page: str
    previous: str
    next: str
    themes: str
    sample: str
    written_in: str
    translated_into: str


@lru_cache(maxsize=16)
def _texts(language: str) -> _Texts:
    """`language` is the active one: the key of what gettext() gives."""
    return _Texts(
        remove=gettext("Remove filter:"),
        narrow=gettext("Narrow the list"),
        pages=gettext("Pages of results"),
        page=gettext("Page"),
        previous=gettext("Previous"),
        next=gettext("Next"),
        themes=gettext("Themes:"),
        sample=gettext("Sample content"),
        written_in=gettext("In %(language)s"),
        translated_into=gettext("In %(language)s (translation)"),
    )


@lru_cache(maxsize=8192)
def _count(language: str, count: int) -> str:
    """The end of an option's link: its count, and "practices" in the language's plural
    form for that number (the same few hundred counts on every page)."""
    word = ngettext("practice", "practices", count)
    return (
        f'<span class="count">{count}<span class="visually-hidden"> {word}</span>'
        f"</span></a></li>{INDENT}"
    )


@register.simple_tag
def practice_card(practice, show_summary: bool = False, show_themes: bool = False) -> SafeString:
    """A practice's card (<li class="card">) in the lists of practices: its image, title,
    place, years, the language it is shown in, its snippet or summary and its themes.

    `practice.shown` is set by practices/languages.py localise(); `card_image` by
    attachments.models.attach_card_images() and `snippet` by the list, when they are;
    `card_themes`, the names of its themes (practices/views.py), when `show_themes`."""
    shown = practice.shown
    language = _escape(shown.language)
    return mark_safe(  # noqa: S308 - every value in it is escaped
        f'\n<li class="card">\n  {_card_image(getattr(practice, "card_image", None))}'
        f'\n  <h3 class="card-title"><a href="{_escape(_practice_url(practice))}"'
        f' lang="{language}" dir="auto">{_escape(shown.title)}</a></h3>'
        f'\n  <p class="meta">{_card_meta(practice, shown)}</p>'
        f"\n  {_card_text(practice, shown, language, show_summary)}"
        f"\n  {_card_themes(practice) if show_themes else ''}\n</li>\n"
    )


def _practice_url(practice) -> str:
    """practice.get_absolute_url() without a reverse() per card: the page's address with
    the slug put in, for a slug as the URL pattern takes it."""
    if not SLUG.fullmatch(practice.slug):
        return practice.get_absolute_url()  # reverse() says what is wrong with it
    before, after = _practice_url_parts(get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{practice.slug}{after}"


@lru_cache(maxsize=64)
def _practice_url_parts(language: str, script_prefix: str, urlconf) -> tuple[str, str]:
    before, _slug, after = reverse("practices:detail", kwargs={"slug": "0"}).rpartition("/0/")
    return f"{before}/", f"/{after}"


def _card_image(image) -> str:
    if not image:
        return ""
    return (
        f'<img class="card-image" src="{_escape(image.card_url())}"'
        f' alt="{_escape(image.alt)}" width="{_escape(image.card_width)}"'
        f' height="{_escape(image.card_height)}" loading="lazy" decoding="async">'
    )


def _card_meta(practice, shown) -> str:
    place = f"{_escape(practice.city)}, " if practice.city else ""
    years = ""
    if practice.start_date:
        years = f" · {practice.start_date.year:04d}"
        if practice.end_date:
            years += f"–{practice.end_date.year:04d}"
    language = get_language()
    written = _written(language, str(shown.language), shown.is_translation)
    sample = ""
    if practice.is_sample:
        sample = f' <span class="badge">{_texts(language).sample}</span>'
    country = _country_name(language, practice.country.code)
    return f'{place}{country}{years} · <span class="language">{written}</span>{sample}'


@lru_cache(maxsize=256)
def _written(language: str, text_language: str, is_translation: bool) -> str:
    """ "In French" or "In French (translation)", escaped, on a page in `language`."""
    name = _escape(str(get_language_info(text_language)["name_translated"]))
    texts = _texts(language)
    written = texts.translated_into if is_translation else texts.written_in
    return written % {"language": name}


@lru_cache(maxsize=1024)
def _country_name(language: str, code: str) -> str:
    """A country's name, escaped, on a page in `language`: django-countries translates it
    anew at every read."""
    return _escape(Country(code).name)


def _card_text(practice, shown, language: str, show_summary: bool) -> str:
    snippet = getattr(practice, "snippet", None)
    if snippet:
        return f'<p class="snippet" lang="{language}" dir="auto">{_escape(snippet)}</p>'
    if show_summary:
        summary = Truncator(shown.summary).words(30, truncate=" …")
        return f'<p class="summary" lang="{language}" dir="auto">{_escape(summary)}</p>'
    return ""


def _card_themes(practice) -> str:
    themes = practice.card_themes
    if not themes:
        return ""
    names = "".join(f'<span class="tag">{_escape(name)}</span>' for name in themes)
    label = _texts(get_language()).themes
    return f'<p class="tags"><span class="visually-hidden">{label} </span>{names}</p>'
