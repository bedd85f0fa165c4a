"""The facet counts of a selection are counted once, then read from the cache until the
content changes (search/counts.py, under nador_portal/page_cache.py's version)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from practices.models import Status
from search import bitmap_index, counts, index
from tests.conftest import logged_in, make_practice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def facet_cache_on(settings):
    settings.FACET_CACHE_SECONDS = 600
    cache.clear()
    yield
    if bitmap_index.is_indexed():  # committed rows outlive the test: leave none behind
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM practices_facet_bitmap")


def welcome_desk(asticude, theme):
    """A published practice of the theme, with the derived data (the facet index on
    PostgreSQL) rebuilt from what the database holds now: a transactional test starts
    with none of another test's rows."""
    make_practice(asticude, "Welcome desk").themes.add(theme)
    index.refresh_all()


def _counting_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "practices_" in q["sql"]]


def test_a_selection_is_counted_once_then_read_from_the_cache(asticude, theme):
    welcome_desk(asticude, theme)
    first = counts.facet_rows({"theme": [str(theme.pk)]}, search="welcome")
    with CaptureQueriesContext(connection) as queries:
        second = counts.facet_rows({"theme": [str(theme.pk)]}, search="welcome")
    assert second == first
    assert _counting_queries(queries) == []
    assert counts.facet_counts({})[counts.TOTAL][""] == 1


def test_another_selection_or_language_is_counted_for_itself(asticude, theme):
    welcome_desk(asticude, theme)
    counts.facet_rows({})
    with CaptureQueriesContext(connection) as queries:
        counts.facet_rows({"theme": [str(theme.pk)]})
        counts.facet_rows({}, search="desk")
        with translation.override("fr"):
            counts.facet_rows({})
    assert len(_counting_queries(queries)) >= 3


def test_a_publication_is_counted_at_once(client, asticude, coordinator, theme):
    welcome_desk(asticude, theme)
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 1}
    submitted = make_practice(asticude, "Language cafe", status=Status.SUBMITTED)
    submitted.themes.add(theme)
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 1}  # not public yet
    response = logged_in(coordinator).post(f"/en/review/practices/{submitted.slug}/publish/")
    assert response.status_code == 302
    assert counts.facet_counts({})["theme"] == {str(theme.pk): 2}
    assert counts.facet_counts({})[counts.TOTAL][""] == 2


def test_a_renamed_theme_shows_its_new_name(asticude, theme):
    welcome_desk(asticude, theme)
    before = {row[4] for row in counts.facet_rows({}) if row[0] == "theme"}
    theme.name = "Living together"
    theme.save()
    after = {row[4] for row in counts.facet_rows({}) if row[0] == "theme"}
    assert "Living together" in after
    assert "Living together" not in before


def test_with_the_setting_at_zero_every_request_counts(settings, asticude, theme):
    settings.FACET_CACHE_SECONDS = 0
    welcome_desk(asticude, theme)
    counts.facet_rows({})
    with CaptureQueriesContext(connection) as queries:
        counts.facet_rows({})
    assert _counting_queries(queries) != []
