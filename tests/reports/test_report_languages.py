"""The coordinators' dashboard names categories in the page's language: its filters and
its tables, with the same counts in every language."""

import pytest
from django.core.management import call_command

from practices.models import GcmObjective, Theme
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo")


def table_rows(response, position: int) -> dict[str, int]:
    """The rows of a practice table, by its place (0 status, 1 theme, 2 objective...)."""
    return {row.label: row.count for row in response.context["practice_tables"][position].rows}


def test_the_report_filters_offer_categories_in_the_pages_language(coordinator, demo):
    html = logged_in(coordinator).get("/ar/reports/").content.decode()
    assert '<option value="intercultural-dialogue">الحوار بين الثقافات</option>' in html
    assert '<option value="17">17. القضاء على التمييز</option>' in html
    assert ">Intercultural dialogue<" not in html


def test_the_dashboards_tables_name_categories_in_the_pages_language(coordinator, demo):
    response = logged_in(coordinator).get("/fr/reports/")
    themes = table_rows(response, 1)
    assert set(themes) <= set(Theme.objects.values_list("name_fr", flat=True))
    assert "Dialogue interculturel" in themes
    objectives = table_rows(response, 2)
    assert f"17. {GcmObjective.objects.get(number=17).short_title_fr}" in objectives
    principles = table_rows(response, 3)
    assert "Approche mobilisant l’ensemble de la société" in principles
    assert "Coopération internationale" in principles
    assert "Whole-of-society approach" not in principles


def test_the_dashboard_counts_each_category_once_whatever_the_language(coordinator, demo):
    def counts(language: str) -> list[list[int]]:
        response = logged_in(coordinator).get(f"/{language}/reports/")
        return [sorted(table_rows(response, n).values()) for n in range(1, 4)]

    assert counts("fr") == counts("en") == counts("ar") == counts("es")
