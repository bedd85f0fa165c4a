import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from perf import benchmark
from perf.management.commands.bench import BENCH_SETTINGS

pytestmark = pytest.mark.django_db

QUICK = benchmark.Settings(requests=2, warmup=1, budget=1, min_requests=1)


@pytest.fixture
def bench_data():
    call_command("generate_bench_data", "--practices", "30", stdout=io.StringIO())


def by_name(outcome: dict) -> dict:
    return {result["name"]: result for result in outcome["results"]}


def test_bench_times_existing_pages_and_reports_pages_not_built_yet_as_missing(bench_data):
    only = {"home", "practice detail", "admin list", "admin one filter", "theme page"}
    only |= {"calendar.ics", "list, three filters", "search, common word"}
    with override_settings(**BENCH_SETTINGS):
        outcome = benchmark.run(QUICK, only, report=lambda line: None)
        missing = benchmark.measure_page(
            benchmark.Scenario("not built", ["/en/not-built-yet/"]), None, QUICK
        )

    results = by_name(outcome)
    for name in only:
        assert results[name]["status"] == "ok", results[name]
        assert results[name]["p95_ms"] >= results[name]["p50_ms"] > 0
        assert results[name]["queries"] >= 1
    assert missing.status == "missing"
    assert results["theme page"]["ratio"] is not None
    assert "admin one filter" in benchmark.format_table(outcome)


def test_admin_peer_shows_facets_without_changing_the_real_admin():
    from django.contrib import admin

    from perf.bench_urls import bench_admin
    from practices.models import Practice

    assert bench_admin._registry[Practice].show_facets == admin.ShowFacets.ALWAYS
    assert admin.site._registry[Practice].show_facets != admin.ShowFacets.ALWAYS


def test_missing_import_command_is_reported_not_raised():
    config = benchmark.Settings(import_command="no_such_command")
    assert benchmark.measure_import(config).status == "missing"


def test_default_resource_export_probe_counts_the_published_rows(bench_data):
    from practices.models import Practice

    summary = benchmark.probe_export_peer()
    assert summary["status"] == "ok"
    assert summary["rows"] >= Practice.objects.published().count()


def test_import_csv_has_new_slugs_for_every_row(bench_data):
    text = benchmark.import_csv(10)
    lines = text.strip().splitlines()
    assert len(lines) == 11
    assert all(line.startswith("bench-import-") for line in lines[1:])


def test_bench_command_writes_json_results(bench_data, tmp_path):
    output = tmp_path / "results.json"
    call_command(
        "bench", "--only", "home", "--requests", "2", "--output", str(output), stdout=io.StringIO()
    )
    outcome = json.loads(output.read_text())
    assert [r["name"] for r in outcome["results"]] == ["home"]
    assert outcome["environment"]["practices"] >= 30


# Transactional: the open-data scenarios build the files, and the build lets go of its
# database connection, which would end a test's wrapping transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_pages_are_built_not_served_from_the_caches_and_skip_exports(
    bench_data, tmp_path, settings
):
    """--pages: every page scenario and nothing else; with the page and facet caches on in
    the settings, the bench still times and counts the pages as they are built."""
    settings.PAGE_CACHE_SECONDS = settings.FACET_CACHE_SECONDS = 600
    output = tmp_path / "results.json"
    call_command(
        "bench", "--pages", "--requests", "1", "--warmup", "1", "--budget", "0",
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    results = by_name(json.loads(output.read_text()))
    assert {"home", "list", "admin list", "api list"} <= set(results)
    assert {r["kind"] for r in results.values()} == {"page"}  # no export, no import
    assert results["list"]["queries"] >= 4  # facets, ids, rows, themes: not one cache read


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_pages_with_only_times_only_those_pages(bench_data, tmp_path):
    output = tmp_path / "results.json"
    call_command(
        "bench", "--pages", "--only", "home", "--only", "sitemap index", "--requests", "1",
        "--warmup", "1", "--budget", "0", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    results = by_name(json.loads(output.read_text()))
    assert set(results) == {"home", "sitemap index"}
    assert {r["status"] for r in results.values()} == {"ok"}


def test_facet_counts_are_timed_beside_the_pages(bench_data):
    with override_settings(**BENCH_SETTINGS):
        outcome = benchmark.run(QUICK, {"facet counts, 3 filters"}, report=lambda line: None)
    result = by_name(outcome)["facet counts, 3 filters"]
    assert result["status"] == "ok"
    assert result["queries"] >= 1


def test_without_our_export_the_slow_default_export_is_skipped():
    config = benchmark.Settings(export_url="/en/no-such-export.csv")
    ours, peer = benchmark.measure_exports(config)
    assert (ours.status, peer.status) == ("missing", "skipped")


def test_both_admin_peers_are_timed_and_each_list_gets_a_ratio_to_each(bench_data):
    only = {"list, one filter", "admin one filter", "plain admin one filter"}
    with override_settings(**BENCH_SETTINGS):
        outcome = benchmark.run(QUICK, only, report=lambda line: None)
    results = by_name(outcome)
    assert results["plain admin one filter"]["status"] == "ok"
    mine = results["list, one filter"]
    assert mine["ratio"] is not None and mine["plain_ratio"] is not None
    expected = round(mine["p95_ms"] / results["plain admin one filter"]["p95_ms"], 2)
    assert mine["plain_ratio"] == expected
    assert "x plain admin one filter" in benchmark.format_table(outcome)


def test_the_plain_admin_peer_has_five_filters_and_no_facets():
    from django.contrib import admin

    from perf.bench_urls import plain_admin
    from practices.models import Practice

    peer = plain_admin._registry[Practice]
    assert len(peer.list_filter) == 5
    assert peer.show_facets != admin.ShowFacets.ALWAYS


def test_the_run_says_its_machine_and_warns_when_it_is_busy(bench_data):
    env = benchmark.environment()
    assert env["django"] and env["python"]
    line = benchmark.machine({**env, "load_average": (0.2, 0, 0)})
    assert f"Django {env['django']}" in line and "load 0.2" in line
    if env["database"].startswith("PostgreSQL"):
        assert "shared_buffers" in line
    quiet = {**env, "cpus": 2, "load_average": (0.4, 0, 0), "load_average_after": (0.9, 0, 0)}
    assert benchmark.busy_warning(quiet) == ""
    busy = {**quiet, "load_average_after": (3.5, 0, 0)}
    assert "busy (load 3.5 on 2 cores" in benchmark.busy_warning(busy)


def test_saved_runs_print_side_by_side_by_size_with_their_load(tmp_path):
    def run(practices: int, p50: float, load: float) -> dict:
        page = {"name": "list", "kind": "page", "status": "ok", "p50_ms": p50, "p95_ms": p50 + 1}
        page |= {"ratio": 0.1, "plain_ratio": None}
        export = {"name": "CSV export", "kind": "export", "status": "ok", "seconds": 1.5}
        export |= {"peak_rss_mb": 90.0}
        environment = {"practices": practices, "load_average": [load, 0, 0], "commit": "abc"}
        return {"environment": environment, "results": [page, export]}

    files = []
    for practices, p50, load in ((100_000, 23.0, 2.0), (10_000, 12.0, 1.0)):
        files.append(tmp_path / f"{practices}.json")
        files[-1].write_text(json.dumps(run(practices, p50, load)))
    out = io.StringIO()
    call_command("bench", "--table", *map(str, files), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "| scenario | 10,000 practices | 100,000 practices |"
    assert "| list | 12.0 / 13.0 (0.10× admin) | 23.0 / 24.0 (0.10× admin) |" in lines
    assert "| CSV export | 1.5 s, 90.0 MB | 1.5 s, 90.0 MB |" in lines
    assert lines[-2] == "| load average (2 cores) | 1.0 | 2.0 |"


def test_a_missing_results_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read saved results"):
        call_command("bench", "--table", str(tmp_path / "none.json"), stdout=io.StringIO())


def test_the_sizes_table_gives_an_imports_seconds_without_a_peak_it_did_not_measure():
    from dataclasses import asdict

    from perf.benchmark import sizes_table
    from perf.scenarios import Result

    results = [
        asdict(Result("list", "page", "/en/practices/", p50_ms=11.2, p95_ms=13.5)),
        asdict(Result("import of 10000 rows", "import", "import_data", seconds=39.2)),
        asdict(Result("CSV export", "export", "/x", seconds=0.07, peak_rss_mb=166.2)),
    ]
    outcome = {
        "environment": {"practices": 10_000, "load_average": [1.1], "commit": "abc1234"},
        "results": results,
    }
    table = sizes_table([outcome])
    assert "| list | 11.2 / 13.5 |" in table
    assert "| import of 10000 rows | 39.2 s |" in table
    assert "| CSV export | 0.07 s, 166.2 MB |" in table
