"""Categories in the page's language: the GCM reference data, the demo's categories on
every public page that shows them, the fallback to English, slugs that stay one."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from practices.models import (
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Programme,
    TargetGroup,
    Theme,
)
from tests.conftest import make_practice

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "ar", "es"]
CATEGORIES = [Theme, TargetGroup, InterventionArea, Programme]


@pytest.fixture
def demo(db):
    call_command("load_demo")


def shows(html: str, name: str) -> bool:
    """The name is the whole text of an element (a tag, a facet option, a link), not a
    word in a practice's English text."""
    return re.search(rf">\s*(?:\d+\. )?{re.escape(name)}\s*<", html) is not None


def english_only_names(language: str) -> list[str]:
    """The demo's category names that read differently in `language` (not "MC2CM")."""
    names = []
    for model in CATEGORIES:
        for category in model.objects.all():
            if getattr(category, f"name_{language}") != category.name_en:
                names.append(category.name_en)
    return names


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_objective_17_is_the_uns_french_short_title_with_arabic_and_spanish_names():
    objective = GcmObjective.objects.get(number=17)
    assert objective.short_title_fr == "Éliminer les discriminations"
    assert objective.short_title_es == "Eliminar la discriminación"
    assert objective.short_title_ar == "القضاء على التمييز"
    assert objective.title_fr.startswith("Éliminer toutes les formes de discrimination")
    assert objective.title_es.startswith("Eliminar todas las formas de discriminación")
    assert objective.title_ar.startswith("القضاء على جميع أشكال التمييز")


def test_every_objective_and_principle_has_its_names_in_the_four_languages():
    assert GcmObjective.objects.count() == 23
    assert GuidingPrinciple.objects.count() == 10
    for objective in GcmObjective.objects.all():
        for language in LANGUAGES:
            assert getattr(objective, f"short_title_{language}"), (objective.number, language)
            assert getattr(objective, f"title_{language}"), (objective.number, language)
        assert len({objective.title_fr, objective.title_es, objective.title_ar}) == 3
    for principle in GuidingPrinciple.objects.all():
        for language in LANGUAGES:
            assert getattr(principle, f"title_{language}"), (principle.slug, language)


def test_every_demo_category_has_its_name_in_the_four_languages(demo):
    for model in CATEGORIES:
        for category in model.objects.all():
            for language in LANGUAGES:
                assert getattr(category, f"name_{language}"), (category.slug, language)
                if category.description_en:
                    assert getattr(category, f"description_{language}"), category.slug


def test_the_arabic_themes_page_shows_no_english_category_name(client, demo):
    html = page(client, "/ar/themes/")
    assert shows(html, "الحوار بين الثقافات")
    assert "فضاءات وأنشطة يلتقي فيها السكان والمهاجرون." in html
    assert not [name for name in english_only_names("ar") if shows(html, name)]


def test_the_french_practice_list_shows_no_english_category_name(client, demo):
    html = page(client, "/fr/practices/")
    assert shows(html, "Dialogue interculturel")
    assert shows(html, "17. Éliminer les discriminations")
    assert not [name for name in english_only_names("fr") if shows(html, name)]
    english_objectives = GcmObjective.objects.values_list("short_title_en", flat=True)
    assert not [title for title in english_objectives if shows(html, title)]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Intercultural dialogue"),
        ("fr", "Dialogue interculturel"),
        ("ar", "الحوار بين الثقافات"),
        ("es", "Diálogo intercultural"),
    ],
)
def test_home_themes_and_theme_page_name_the_theme_in_the_pages_language(
    client, demo, language, name
):
    assert shows(page(client, f"/{language}/"), name)
    assert shows(page(client, f"/{language}/themes/"), name)
    theme_page = page(client, f"/{language}/themes/intercultural-dialogue/")
    assert f"<h1>{name}</h1>" in theme_page


def test_the_practice_page_names_its_categories_in_the_pages_language(client, demo):
    html = page(client, "/es/practices/social-and-sustainable-nador/")
    nador = Theme.objects.filter(practices__slug="social-and-sustainable-nador")
    assert nador.exists()
    for theme in nador:
        assert shows(html, theme.name_es)
    objective = GcmObjective.objects.get(number=17)
    assert f"{objective.title_es}</a>" in html
    assert not shows(html, objective.title_en)


def test_the_practice_pages_objectives_and_principles_read_in_arabic(client, asticude):
    practice = make_practice(asticude, "Cafes")
    practice.objectives.set(GcmObjective.objects.filter(number=17))
    practice.principles.set(GuidingPrinciple.objects.filter(slug="human-rights"))
    html = page(client, f"/ar/practices/{practice.slug}/")
    assert "القضاء على جميع أشكال التمييز" in html
    assert shows(html, "حقوق الإنسان")


def test_a_category_without_a_translation_reads_in_english(client, asticude):
    theme = Theme.objects.create(name="Housing", slug="housing", name_fr="Logement")
    make_practice(asticude, "Shelter").themes.add(theme)
    assert shows(page(client, "/fr/themes/"), "Logement")
    for url in ["/ar/themes/", "/ar/practices/", "/es/themes/housing/"]:
        assert shows(page(client, url), "Housing"), url
    with translation.override("ar"):
        assert Theme.objects.get(slug="housing").name == "Housing"


def test_an_empty_translation_also_falls_back_to_english(client, asticude):
    theme = Theme.objects.create(name="Housing", slug="housing", name_es="")
    make_practice(asticude, "Shelter").themes.add(theme)
    assert shows(page(client, "/es/practices/"), "Housing")


def test_categories_come_in_the_order_of_their_names_in_the_pages_language(db):
    Theme.objects.create(name="Arts", slug="arts", name_fr="Culture")
    Theme.objects.create(name="Bread", slug="bread", name_fr="Alimentation")
    Theme.objects.create(name="Care", slug="care")  # no French: "Care" between the two
    with translation.override("en"):
        assert [t.slug for t in Theme.objects.all()] == ["arts", "bread", "care"]
    with translation.override("fr"):
        assert [t.slug for t in Theme.objects.all()] == ["bread", "care", "arts"]


def test_slugs_and_filter_parameters_do_not_change_with_the_language(client, demo):
    for language in LANGUAGES:
        html = page(client, f"/{language}/themes/")
        assert f'href="/{language}/themes/intercultural-dialogue/"' in html
        listing = page(client, f"/{language}/practices/")
        assert 'href="?objective=17"' in listing
    assert Theme.objects.filter(slug="intercultural-dialogue").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/{lang}/",
        "/{lang}/themes/",
        "/{lang}/themes/intercultural-dialogue/",
        "/{lang}/practices/?objective=17&theme=social-inclusion",
        "/{lang}/practices/social-and-sustainable-nador/",
    ],
)
def test_pages_take_as_many_queries_in_every_language(client, demo, url):
    counts = []
    for language in LANGUAGES:
        client.get(url.format(lang=language))  # the first request warms up the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(lang=language)).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
