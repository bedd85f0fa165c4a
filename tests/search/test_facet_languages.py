"""The practice list's facets and chips name categories in the page's language, from the
tables (SQLite, and PostgreSQL before the index is built) as from the bitmap index, with
English where a translation is missing; the URLs keep the categories' keys."""

import pytest
from django.http import QueryDict
from django.utils import translation

from practices.models import Programme, TargetGroup, Theme
from search import bitmap_index
from search.facet_options import compute_facets
from tests import public_data
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.django_db

FRENCH = {
    Theme: {"dialogue": "Dialogue interculturel", "media": "Discours public et médias"},
    TargetGroup: {"migrants": "Personnes migrantes"},
    Programme: {"mc2cm": "MC2CM"},
}


# The bitmap index is PostgreSQL's: on SQLite the facets always count from the tables.


@pytest.fixture(params=["tables", "index"] if ON_POSTGRES else ["tables"])
def kb(request, asticude, acpp):
    data = public_data.build(asticude, acpp)
    for model, names in FRENCH.items():
        for slug, name in names.items():
            model.objects.filter(slug=slug).update(name_fr=name)
    if request.param == "index":
        bitmap_index.refresh_all()
    return data


def labels(params: str, dimension: str, language: str) -> dict[str, str]:
    with translation.override(language):
        facets = compute_facets(QueryDict(params))
    return {option.value: option.label for option in facets[dimension]}


def test_facet_options_are_named_in_the_pages_language(kb):
    themes = labels("", "theme", "fr")
    assert themes["dialogue"] == "Dialogue interculturel"
    assert themes["media"] == "Discours public et médias"
    assert labels("", "objective", "fr")["17"] == "17. Éliminer les discriminations"
    assert labels("", "objective", "ar")["17"] == "17. القضاء على التمييز"
    assert labels("", "objective", "es")["23"] == "23. Cooperación internacional"
    assert labels("", "principle", "es")["whole-of-society"] == "Enfoque pansocial"
    assert labels("", "target_group", "fr")["migrants"] == "Personnes migrantes"
    assert labels("", "objective", "en")["17"] == "17. Eliminate discrimination"


def test_a_facet_option_without_a_translation_is_named_in_english(kb):
    assert labels("", "theme", "fr")["inclusion"] == "Social inclusion"
    assert labels("", "theme", "ar")["dialogue"] == "Intercultural dialogue"
    assert labels("", "area", "es")["cultural"] == "Cultural activities"


def test_a_selected_option_is_named_in_the_pages_language_even_when_counted_zero(kb):
    themes = labels("theme=media&country=ES&city=Oujda", "theme", "fr")
    assert themes["media"] == "Discours public et médias"


def test_chips_name_the_active_filters_in_the_pages_language(client, kb):
    response = client.get("/fr/practices/?theme=dialogue&objective=17&principle=human-rights")
    chips = {chip["label"] for chip in response.context["chips"]}
    assert {"Dialogue interculturel", "17. Éliminer les discriminations"} <= chips
    assert "Droits de l’homme" in chips
    html = response.content.decode()
    assert "Intercultural dialogue" not in html
    assert "?theme=dialogue" in html or "theme=dialogue&amp;" in html


def test_facet_links_keep_the_categories_keys_in_every_language(client, kb):
    for language in ["en", "fr", "ar", "es"]:
        response = client.get(f"/{language}/practices/")
        urls = [
            option.url
            for facet in response.context["facets"]
            if facet["name"] == "theme"
            for option in facet["options"]
        ]
        assert "?theme=dialogue" in urls


def test_a_renamed_category_shows_its_new_name_on_the_next_request(client, kb):
    assert labels("", "theme", "fr")["inclusion"] == "Social inclusion"
    client.get("/fr/practices/")
    Theme.objects.filter(slug="inclusion").update(name_fr="Inclusion sociale")
    response = client.get("/fr/practices/")
    facet = next(f for f in response.context["facets"] if f["name"] == "theme")
    assert "Inclusion sociale" in [option.label for option in facet["options"]]
