"""The facet counts of a selection are counted once, then read from the cache until the
content changes (search/counts.py, under nador_portal/page_cache.py's version)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from practices.models import Status
from search import counts
from tests.conftest import logged_in, make_practice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def facet_cache_on(settings):
    settings.FACET_CACHE_SECONDS = 600
    cache.clear()


def _counting_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "practices_" in q["sql"]]


def test_a_selection_is_counted_once_then_read_from_the_cache(asticude, theme):
    make_practice(asticude, "Welcome desk").themes.add(theme)
    first = counts.facet_rows({"theme": [str(theme.pk)]}, search="welcome")
    with CaptureQueriesContext(connection) as queries:
        second = counts.facet_rows({"theme": [str(theme.pk)]}, search="welcome")
    assert second == first
    assert _counting_queries(queries) == []
    assert counts.facet_counts({})[counts.TOTAL][""] == 1


def test_another_selection_or_language_is_counted_for_itself(asticude, theme):
    make_practice(asticude, "Welcome desk").themes.add(theme)
    counts.facet_rows({})
    with CaptureQueriesContext(connection) as queries:
        counts.facet_rows({"theme": [str(theme.pk)]})
        counts.facet_rows({}, search="desk")
        with translation.override("fr"):
            counts.facet_rows({})
    assert len(_counting_queries(queries)) >= 3


def test_a_publication_is_counted_at_once(client, asticude, coordinator, theme):
    make_practice(asticude, "Welcome desk").themes.add(theme)
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 1}
    submitted = make_practice(asticude, "Language cafe", status=Status.SUBMITTED)
    submitted.themes.add(theme)
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 1}  # not public yet
    response = logged_in(coordinator).post(f"/en/review/practices/{submitted.slug}/publish/")
    assert response.status_code == 302
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 2}
    assert counts.facet_counts({})[counts.TOTAL][""] == 2


def test_a_renamed_theme_shows_its_new_name(asticude, theme):
    make_practice(asticude, "Welcome desk").themes.add(theme)
    before = {row[4] for row in counts.facet_rows({}) if row[0] == "theme"}
    theme.name = "Living together"
    theme.save()
    after = {row[4] for row in counts.facet_rows({}) if row[0] == "theme"}
    assert "Living together" in after
    assert "Living together" not in before


def test_with_the_setting_at_zero_every_request_counts(settings, asticude, theme):
    settings.FACET_CACHE_SECONDS = 0
    make_practice(asticude, "Welcome desk").themes.add(theme)
    counts.facet_rows({})
    with CaptureQueriesContext(connection) as queries:
        counts.facet_rows({})
    assert _counting_queries(queries) != []
