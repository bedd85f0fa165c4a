"""Categories in the page's language where people choose them: the partner's practice
form; and the admin that edits their names in every language."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from practices.models import GcmObjective, Theme
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo")


def labels(html: str, name: str) -> list[str]:
    """The texts of the boxes or options of the field `name`, in the page's order."""
    boxes = re.findall(
        rf'<label for="id_{name}_\d+"><input type="checkbox" name="{name}"[^>]*>\s*([^<]+)</label>',
        html,
    )
    return [label.strip() for label in boxes]


def test_the_partners_practice_form_offers_categories_in_the_pages_language_and_order(
    partner, demo
):
    html = logged_in(partner).get("/fr/workspace/practices/new/").content.decode()
    themes = labels(html, "themes")
    expected = sorted(Theme.objects.values_list("name_fr", flat=True), key=str.casefold)
    assert themes[:2] == expected[:2]
    assert "Dialogue interculturel" in themes
    assert "Intercultural dialogue" not in themes
    assert "17. Éliminer les discriminations" in labels(html, "objectives")
    assert "Personnes migrantes" in labels(html, "target_groups")
    assert "Sensibilisation" in labels(html, "areas")
    assert "Priorité à la dimension humaine" in labels(html, "principles")
    # The boxes still send the records' keys, whatever the language.
    dialogue = Theme.objects.get(slug="intercultural-dialogue")
    assert f'name="themes" value="{dialogue.pk}"' in html


def test_the_admin_edits_a_themes_name_in_every_language(superuser, theme):
    client = logged_in(superuser)
    url = reverse("admin:practices_theme_change", args=[theme.pk])
    html = client.get(url).content.decode()
    for field in ["name_en", "name_fr", "name_ar", "name_es", "description_fr"]:
        assert f'name="{field}"' in html
    assert "ajax.googleapis.com" not in html
    response = client.post(
        url,
        {
            "name_en": "Intercultural dialogue",
            "name_fr": "Dialogue interculturel",
            "name_ar": "الحوار بين الثقافات",
            "name_es": "Diálogo intercultural",
            "slug": theme.slug,
            "description_en": "",
            "description_fr": "",
            "description_ar": "",
            "description_es": "",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name_fr, theme.name_ar, theme.name_es) == (
        "Dialogue interculturel",
        "الحوار بين الثقافات",
        "Diálogo intercultural",
    )
    assert theme.slug == "intercultural-dialogue"


def test_the_admin_edits_an_objectives_titles_in_every_language(superuser):
    objective = GcmObjective.objects.get(number=17)
    html = (
        logged_in(superuser)
        .get(reverse("admin:practices_gcmobjective_change", args=[objective.pk]))
        .content.decode()
    )
    assert 'name="short_title_fr"' in html
    assert "Éliminer les discriminations" in html
