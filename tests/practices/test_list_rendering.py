"""The list's cards and facet options are written by simple tags
(practices/templatetags/practice_list.py) rather than by template includes and loops, for
speed: they write what the templates wrote, byte for byte, whatever the
practice, the language and the values (markup included)."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from practices.languages import localise
from practices.models import Practice, PracticeTranslation
from practices.templatetags.practice_list import (
    facet_list,
    facet_options,
    pagination,
    practice_card,
)
from publishing.workflow import Status
from search.facet_options import FacetOption
from tests.conftest import make_practice

# templates/includes/practice_card.html before the tag replaced it (commit d9a0ddc).
FORMER_CARD = Template(
    "{% load i18n %}{% with shown=practice.shown %}{% get_language_info for shown.lan"
    'guage as text_language %}\n<li class="card">\n  {% if practice.card_image %}{% wit'
    'h image=practice.card_image %}<img class="card-image" src="{{ image.card_url }}"'
    ' alt="{{ image.alt }}" width="{{ image.card_width }}" height="{{ image.card_heig'
    'ht }}" loading="lazy" decoding="async">{% endwith %}{% endif %}\n  <h3 class="car'
    'd-title"><a href="{{ practice.get_absolute_url }}" lang="{{ shown.language }}" d'
    'ir="auto">{{ shown.title }}</a></h3>\n  <p class="meta">{% if practice.city %}{{ '
    "practice.city }}, {% endif %}{{ practice.country.name }}{% if practice.start_dat"
    'e %} · {{ practice.start_date|date:"Y" }}{% if practice.end_date %}–{{ practice.'
    'end_date|date:"Y" }}{% endif %}{% endif %} · <span class="language">{% if shown.'
    "is_translation %}{% blocktranslate with language=text_language.name_translated %"
    "}In {{ language }} (translation){% endblocktranslate %}{% else %}{% blocktransla"
    "te with language=text_language.name_translated %}In {{ language }}{% endblocktra"
    'nslate %}{% endif %}</span>{% if practice.is_sample %} <span class="badge">{% tr'
    'anslate "Sample content" %}</span>{% endif %}</p>\n  {% if practice.snippet %}<p '
    'class="snippet" lang="{{ shown.language }}" dir="auto">{{ practice.snippet }}</p'
    '>{% elif show_summary %}<p class="summary" lang="{{ shown.language }}" dir="auto'
    '">{{ shown.summary|truncatewords:30 }}</p>{% endif %}\n  {% if show_themes %}{% w'
    'ith themes=practice.card_themes %}{% if themes %}<p class="tags"><span class="vi'
    'sually-hidden">{% translate "Themes:" %} </span>{% for theme in themes %}<span c'
    'lass="tag">{{ theme.name }}</span>{% endfor %}</p>{% endif %}{% endwith %}{% end'
    "if %}\n</li>{% endwith %}\n"
)
# The option loop of templates/includes/facets.html before the tag replaced it.
FORMER_OPTIONS = Template(
    '{% load i18n %}{% for option in options %}\n      <li><a href="{{ option.url }}" '
    'class="option{% if option.selected %} selected{% endif %}"{% if option.selected %} '
    'aria-current="true"{% endif %}>{% if option.selected %}<span class="visually-hidden">'
    '{% translate "Remove filter:" %} </span>{% endif %}{{ option.label }} <span class="count">'
    '{{ option.count }}<span class="visually-hidden"> '
    "{% blocktranslate count counter=option.count %}practice{% plural %}practices"
    "{% endblocktranslate %}</span></span></a></li>\n      {% endfor %}"
)
# templates/includes/facets.html before the tag replaced it.
FORMER_FACETS = Template(
    '{% load i18n practice_list %}\n<aside class="facets" aria-labelledby="facets-heading">\n'
    '  <h2 id="facets-heading">{% translate "Narrow the list" %}</h2>\n  {% for facet in facets %}'
    '\n  <details class="facet"{% if facet.open %} open{% endif %}>\n    <summary>{{ facet.title }}'
    "</summary>\n    <ul>\n      {% facet_options facet.options %}\n    </ul>\n  </details>\n  "
    "{% endfor %}\n</aside>\n"
)
LANGUAGES = ["en", "fr", "ar", "es"]


@pytest.fixture
def practices(asticude, theme):
    words = " ".join(f"word{n}" for n in range(40))
    plain = make_practice(
        asticude,
        "Welcome desk",
        city="Nador",
        start_date=date(2021, 3, 1),
        end_date=date(2023, 6, 30),
        summary=words,
    )
    plain.themes.add(theme)
    hostile = make_practice(
        asticude,
        "<script>alert(1)</script> & co",
        city='Nador "<b>" & Oujda',
        start_date=date(2022, 1, 1),
        is_sample=True,
        summary="<i>Short</i> & 'quoted'",
    )
    bare = make_practice(asticude, "Bare practice", country="ES")
    translated = make_practice(asticude, "Original text", start_date=date(999, 1, 1))
    for language in ("fr", "ar"):
        PracticeTranslation.objects.create(
            practice=translated,
            language=language,
            status=Status.PUBLISHED,
            title=f"Texte {language} <traduit>",
            summary="Résumé « traduit » & plus",
        )
    return [plain, hostile, bare, translated]


def cards(language: str, images: bool, snippets: bool) -> list[Practice]:
    found = list(Practice.objects.prefetch_related("themes").order_by("pk"))
    localise(found, language)
    for number, practice in enumerate(found):
        practice.card_themes = list(practice.themes.all())
        if images and number % 2 == 0:
            practice.card_image = SimpleNamespace(
                card_url=lambda: "/files/abc/card/?a=1&b=2",
                alt='A "view" <of> the port & town',
                card_width=400,
                card_height=225,
            )
        if snippets and number % 2 == 1:
            practice.snippet = mark_safe("a <mark>word</mark> &amp; more")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("images", "snippets"), [(False, False), (True, True)])
@pytest.mark.parametrize(
    "flags",
    [{}, {"show_summary": True, "show_themes": True}, {"show_summary": True}],
    ids=["home", "list", "summary"],
)
def test_a_card_is_what_the_former_template_wrote(practices, language, images, snippets, flags):
    with translation.override(language):
        for practice in cards(language, images, snippets):
            former = FORMER_CARD.render(Context({"practice": practice, **flags}))
            # The list gives the tag the themes' names (practices/views.py attach_card_themes).
            practice.card_themes = [theme.name for theme in practice.card_themes]
            assert practice_card(practice, **flags) == former


@pytest.mark.parametrize("language", LANGUAGES)
def test_facet_options_are_what_the_former_loop_wrote(language):
    options = [
        FacetOption("a", "Plain", 0, True),
        FacetOption("b", "<b>Bold</b> & 'quoted'", 1, False, url="?theme=b&x=%22"),
        FacetOption("c", "Two", 2, True, url="?theme=c"),
        FacetOption("d", "Eleven", 11, False, url="?q=%3Cscript%3E"),
        FacetOption("e", "Many", 1234, False, url="?e=1"),
    ]
    with translation.override(language):
        former = FORMER_OPTIONS.render(Context({"options": options}))
        assert facet_options(options) == former


def test_the_list_page_writes_its_cards_and_options_with_the_tags(client, practices):
    content = client.get("/en/practices/", {"country": "MA"}).content.decode()
    assert content.count('<li class="card">') == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in content
    assert "<script>alert(1)" not in content
    assert 'aria-current="true"><span class="visually-hidden">Remove filter: </span>' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_facets_block_is_what_the_former_include_wrote(language):
    title = lazy(lambda: "Th<e>me & co", str)()
    facets = [
        {
            "name": "theme",
            "title": title,
            "open": True,
            "options": [
                FacetOption("a", "<b>A</b>", 3, True, url="?theme=a&x=1"),
                FacetOption("b", "B", 1, False, url="?theme=b"),
            ],
        },
        {
            "name": "city",
            "title": "City",
            "open": False,
            "options": [
                FacetOption("Nador", "Nador", 12, False, url="?city=Nador"),
            ],
        },
    ]
    with translation.override(language):
        former = FORMER_FACETS.render(Context({"facets": facets}))
        assert facet_list(facets) == former


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [0, 20, 21, 200, 2000])
@pytest.mark.parametrize("prefix", ["?", "?theme=a&q=%3Cb%3E&"])
def test_the_list_pages_links_are_what_the_pagination_include_writes(language, count, prefix):
    paginator = Paginator(range(count), 20)
    include = get_template("includes/pagination.html")
    for number in sorted({1, 2, 5, 50, paginator.num_pages - 1, paginator.num_pages}):
        if not 1 <= number <= paginator.num_pages:
            continue
        page = paginator.page(number)
        with translation.override(language):
            context = {"page": page, "page_prefix": prefix}
            former = include.render(
                {**context, "page_range": paginator.get_elided_page_range(number, on_each_side=2)}
            )
            pages = paginator.get_elided_page_range(number, on_each_side=2)
            assert pagination(page, pages, prefix) == former
