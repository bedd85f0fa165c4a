"""The import writes its rows in bulk, a chunk at a time (django-import-export's use_bulk):
no query of its own per new or updated row, only the changed columns updated, and a row
the database refuses still reported on its row, with nothing written."""

import pytest

from practices.models import Practice
from reports.imports import Problem, run_import
from reports.resources.bulk import PrefetchingInstanceLoader
from tests.spreadsheet_helpers import import_queries, practices_file

pytestmark = pytest.mark.django_db


# SQLite splits an INSERT of many columns and rows by its limit of bound variables.
SPLIT_INSERTS = 3


def test_forty_new_rows_cost_no_more_queries_than_ten(reference, django_assert_max_num_queries):
    ten = import_queries(practices_file(10))
    with django_assert_max_num_queries(ten + SPLIT_INSERTS):
        report = run_import("practices", practices_file(40, first=10), "p.csv", dry_run=False)
    assert report.new == 40
    assert Practice.objects.count() == 50


def test_forty_updated_rows_cost_no_more_queries_than_ten(reference, django_assert_max_num_queries):
    import_queries(practices_file(40))
    ten = import_queries(practices_file(10, title="Renamed"))
    with django_assert_max_num_queries(ten + SPLIT_INSERTS):
        report = run_import("practices", practices_file(40, title="Again"), "p.csv", dry_run=False)
    assert report.updated == 40


def test_each_chunk_of_rows_costs_a_bounded_number_of_queries(
    reference, monkeypatch, django_assert_max_num_queries
):
    from reports.resources.practices import PracticeResource

    monkeypatch.setattr(PracticeResource._meta, "batch_size", 5)
    five = import_queries(practices_file(5))
    # Four chunks of five new rows instead of one: each chunk is one insert of its
    # practices in two savepoints (django-import-export's and the one that lets a refused
    # chunk be saved again row by row), and one insert of each of the tables their links,
    # roles and indicators go to (three in this file), written by chunk so that the
    # import does not hold them to its end; the history stays in bulk.
    per_chunk = 5 + 3
    with django_assert_max_num_queries(five + 3 * per_chunk + SPLIT_INSERTS):
        run_import("practices", practices_file(20, first=5), "p.csv", dry_run=False)
    assert Practice.objects.count() == 25


def test_an_update_writes_the_changed_columns_and_who_changed_them_when(reference, coordinator):
    import_queries(practices_file(3))
    before = {p.slug: p for p in Practice.objects.all()}
    Practice.objects.filter(slug="practice-1").update(summary="Changed in the portal.")
    import_queries(practices_file(3, title="Renamed"), user=coordinator)
    for practice in Practice.objects.all():
        assert practice.title.startswith("Renamed")
        assert practice.updated_by == coordinator
        assert practice.updated_at > before[practice.slug].updated_at
        assert practice.created_at == before[practice.slug].created_at
    # The file's summary differs from the one changed in the portal: it is written back.
    assert Practice.objects.get(slug="practice-1").summary == "What it did."


def test_an_update_keeps_the_links_in_its_version(reference, coordinator):
    import_queries(practices_file(2))
    import_queries(practices_file(2, title="Renamed"), user=coordinator)
    for practice in Practice.objects.all():
        latest = practice.history.latest("history_date", "history_id")
        assert latest.history_type == "~"
        assert {link.theme.slug for link in latest.themes.all()} == set(
            practice.themes.values_list("slug", flat=True)
        )


def test_a_row_the_database_refuses_is_reported_on_its_row_and_nothing_is_written(
    reference, monkeypatch
):
    import_queries(practices_file(1, first=1))  # practice-1 exists
    existing = list(Practice.objects.values_list("slug", "title"))
    # A loader that misses practice-1: its row is taken for a new practice, whose insert
    # breaks the unique slug, in the middle of a chunk of good rows.
    get_instance = PrefetchingInstanceLoader.get_instance
    monkeypatch.setattr(
        PrefetchingInstanceLoader,
        "get_instance",
        lambda loader, row: None if row["slug"] == "practice-1" else get_instance(loader, row),
    )
    report = run_import("practices", practices_file(3, title="New"), "p.csv", dry_run=False)
    assert [(problem.row, problem.column) for problem in report.problems] == [(3, None)]
    assert isinstance(report.problems[0], Problem)
    assert "could not be saved" in report.problems[0].message
    assert list(Practice.objects.values_list("slug", "title")) == existing


def test_a_dry_run_of_new_and_changed_rows_writes_nothing(reference):
    import_queries(practices_file(2))
    state = list(Practice.objects.order_by("pk").values())
    versions = Practice.history.count()
    report = run_import("practices", practices_file(4, title="New"), "p.csv", dry_run=True)
    assert (report.new, report.updated, report.unchanged) == (2, 2, 0)
    assert list(Practice.objects.order_by("pk").values()) == state
    assert Practice.history.count() == versions


@pytest.mark.parametrize(
    ("rows", "calls", "chunk_sizes"),
    [
        (5, 10, [2, 2, 1]),  # a chunk at a time
        (11, 3, [4, 4, 3]),  # many practices: a bounded number of calls, larger chunks
        (11, 2, [5, 5, 1]),  # no more in a call than the phrases are refreshed for
    ],
)
def test_the_facet_bits_of_saved_practices_are_refreshed_in_chunks_of_a_bounded_number(
    reference, monkeypatch, rows, calls, chunk_sizes
):
    from reports.resources import bulk

    chunks = []
    monkeypatch.setattr(bulk, "BITS_CHUNK", 2)
    monkeypatch.setattr(bulk, "BITS_CALLS", calls)
    monkeypatch.setattr(bulk.bitmap_index.word_bits, "MAX_PHRASE_REFRESH", 5)
    monkeypatch.setattr(bulk.bitmap_index, "refresh_practices", chunks.append)
    monkeypatch.setattr(bulk.bitmap_index, "refresh_all", lambda: pytest.fail("rebuilt"))
    report = run_import("practices", practices_file(rows), "p.csv", dry_run=False)
    assert report.new == rows
    assert [len(chunk) for chunk in chunks] == chunk_sizes
    ids = sorted(Practice.objects.values_list("pk", flat=True))
    assert [pk for chunk in chunks for pk in chunk] == ids


def test_an_import_that_would_need_more_calls_rebuilds_the_facet_index_once(
    reference, asticude, monkeypatch
):
    from reports.resources import bulk
    from search import bitmap_index, counts, index
    from tests.conftest import ON_POSTGRES, make_practice

    make_practice(asticude, "Radio")
    index.refresh_all()
    rebuilt = []
    refresh_all = bitmap_index.refresh_all
    monkeypatch.setattr(bulk, "BITS_CHUNK", 2)
    monkeypatch.setattr(bulk, "BITS_CALLS", 2)
    monkeypatch.setattr(
        bulk.bitmap_index.word_bits, "MAX_PHRASE_REFRESH", 2
    )  # 7 rows: 4 calls of 2
    monkeypatch.setattr(bulk.bitmap_index, "REBUILD_AFTER_CALLS", 3)
    monkeypatch.setattr(
        bulk.bitmap_index, "refresh_practices", lambda ids: pytest.fail("a call of a chunk")
    )
    monkeypatch.setattr(bulk.bitmap_index, "refresh_all", lambda: rebuilt.append(refresh_all()))

    report = run_import("practices", practices_file(7), "p.csv", dry_run=False)

    assert report.new == 7 and len(rebuilt) == 1
    # The rebuilt index counts the imported practices as the tables do.
    if ON_POSTGRES:
        assert sorted(bitmap_index.facet_rows({})) == sorted(counts.rows_from_tables({}))
    totals = {(dimension, value): n for dimension, value, n, *_rest in counts.facet_rows({})}
    assert totals[("total", "")] == Practice.objects.published().count() == 8


def test_an_import_leaves_the_garbage_collector_as_it_found_it(reference):
    import gc

    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count() > 0
    assert run_import("practices", practices_file(3), "p.csv", dry_run=False).ok
    assert not run_import("practices", b"slug\n", "p.csv", dry_run=True).ok
    assert gc.get_threshold() == thresholds
    # Frozen as before, or not (a web worker is: nador_portal/collector.py).
    assert (gc.get_freeze_count() > 0) == frozen


def test_an_import_of_more_practices_than_a_phrase_refresh_keeps_the_stored_phrases_exact(
    reference, asticude, monkeypatch
):
    from reports.resources import bulk
    from search import index, word_bits
    from search.fulltext import search_condition
    from tests.conftest import ON_POSTGRES, make_practice
    from tests.search.test_phrase_bits import _stored_titles, _titles_matching

    make_practice(asticude, "Radio", summary="Radio for the local community.")
    index.refresh_all()
    monkeypatch.setattr(bulk, "BITS_CHUNK", 2)
    monkeypatch.setattr(word_bits, "MAX_PHRASE_REFRESH", 3)  # 7 rows: calls of 3, 3 and 1

    content = practices_file(7, title="Local community")
    report = run_import("practices", content, "p.csv", dry_run=False)

    assert report.new == 7
    published = Practice.objects.published()
    assert published.filter(search_condition("local community")).count() == 8
    if ON_POSTGRES:
        phrase = "'local' <-> 'communiti'"
        assert len(_stored_titles(phrase)) == 8
        assert _stored_titles(phrase) == _titles_matching(phrase)
