"""The list's cards read their themes as names (practices/views.py attach_card_themes)
rather than as prefetched records: the same names in the same order as the practice's own
themes, in every language, English where a name is not translated."""

import pytest
from django.utils import translation

from practices.models import Practice, Theme
from practices.views import attach_card_themes
from tests.conftest import make_practice

LANGUAGES = ["en", "fr", "ar", "es"]


@pytest.fixture
def practices(asticude):
    zeta = Theme.objects.create(name_en="Zeta", name_fr="Alpha", name_ar="ثقافة", slug="zeta")
    beta = Theme.objects.create(name_en="Beta", name_fr="", slug="beta")
    same = Theme.objects.create(name_en="Beta bis", name_fr="Beta", slug="beta-bis")
    several = make_practice(asticude, "Several themes")
    several.themes.add(zeta, beta, same)
    one = make_practice(asticude, "One theme")
    one.themes.add(beta)
    none = make_practice(asticude, "No theme")
    return [several, one, none]


@pytest.mark.parametrize("language", LANGUAGES)
def test_card_themes_are_the_names_of_the_practices_themes_in_their_order(practices, language):
    with translation.override(language):
        cards = list(Practice.objects.filter(pk__in=[p.pk for p in practices]))
        attach_card_themes(cards)
        for card in cards:
            assert card.card_themes == [theme.name for theme in card.themes.all()]


def test_a_theme_without_a_french_name_is_named_in_english(practices):
    with translation.override("fr"):
        attach_card_themes(practices)
    assert practices[0].card_themes == ["Alpha", "Beta", "Beta"]
    assert practices[1].card_themes == ["Beta"]
    assert practices[2].card_themes == []


def test_card_themes_take_one_query_for_a_page(practices, django_assert_num_queries):
    with django_assert_num_queries(1):
        attach_card_themes(practices)
