"""`make bench`: server time and SQL queries of the portal's pages, beside their peers.

Each page scenario is requested through Django's test client: a few warm-up requests, then
up to `requests` timed ones (stopping early once `budget` seconds are spent), with Django's
caches cleared before each timed request unless `warm_cache` is set. The query count comes from
one more request under CaptureQueriesContext. Peers run in the same process on the same data:
the stock admin changelist with facets (perf/bench_urls.py) for list pages and
django-import-export's default `PracticeResource().export()` for the CSV export. Exports run in
a child process each, so that the peak RSS reported is that export's alone.

A scenario whose URL (or import command) does not exist yet is reported as "missing".
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command, get_commands
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from perf.api_scenarios import without_rate_limit
from perf.scenarios import Result, Sample, Scenario, scenarios
from practices.models import Practice
from search import dimensions

BENCH_URLCONF = "perf.bench_urls"
#: A load average above this share of the cores makes the figures slower than on a quiet
#: machine (docs/performance/log.md, "a warning about noise"): the bench says so.
BUSY_LOAD_PER_CPU = 0.5
# The public CSV of all published practices (reports/urls.py) and the import
# command (`import_data practices <file>`); --export-url and --import-command override them.
EXPORT_URL = "/en/reports/open-data/practices.csv"
IMPORT_COMMAND = "import_data"
IMPORT_KIND = "practices"


# -- measuring ---------------------------------------------------------------------------


def clear_caches() -> None:
    for alias in caches:
        caches[alias].clear()


def consume(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def route_exists(path: str) -> bool:
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Settings:
    requests: int = 30
    warmup: int = 3
    budget: float = 20.0
    min_requests: int = 5
    warm_cache: bool = False
    export_url: str = EXPORT_URL
    import_command: str = IMPORT_COMMAND
    peer_timeout: float = 900.0


def measure_page(scenario: Scenario, client: Client, config: Settings) -> Result:
    result = Result(scenario.name, "page", scenario.paths[0], target_ms=scenario.target_ms)
    result.peer, result.plain_peer = scenario.peer, scenario.plain_peer
    if scenario.call is not None:
        return measure_call(scenario, result, config)
    if not all(route_exists(path) for path in scenario.paths):
        result.status = "missing"
        return result
    paths = scenario.paths
    for i in range(config.warmup):
        response = client.get(paths[i % len(paths)])
        consume(response)
        if response.status_code != 200:
            result.status = f"error: HTTP {response.status_code}"
            return result
    times: list[float] = []
    started = time.monotonic()
    for i in range(config.requests):
        if not config.warm_cache:
            clear_caches()
        began = time.perf_counter()
        consume(client.get(paths[i % len(paths)]))
        times.append((time.perf_counter() - began) * 1000)
        spent = time.monotonic() - started
        if spent > config.budget and len(times) >= config.min_requests:
            break
    with CaptureQueriesContext(connection) as queries:
        consume(client.get(paths[0]))
    result.requests = len(times)
    result.p50_ms = round(statistics.median(times), 1)
    result.p95_ms = round(percentile(times, 0.95), 1)
    result.queries = len(queries)
    return result


def measure_call(scenario: Scenario, result: Result, config: Settings) -> Result:
    for _ in range(config.warmup):
        scenario.call()
    times = []
    for _ in range(config.requests):
        began = time.perf_counter()
        scenario.call()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        scenario.call()
    result.requests = len(times)
    result.p50_ms = round(statistics.median(times), 1)
    result.p95_ms = round(percentile(times, 0.95), 1)
    result.queries = len(queries)
    return result


def run_child(probe: str, config: Settings) -> dict:
    """Run one export in a fresh process; its last stdout line is a JSON summary."""
    command = [sys.executable, "manage.py", "bench", "--probe", probe]
    command += ["--export-url", config.export_url]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            command,
            capture_output=True,
            text=True,
            timeout=config.peer_timeout,
            check=False,
            env={**os.environ, "PERF_TOOLS": "1"},  # the child's `bench` command
            cwd=Path(__file__).resolve().parent.parent,
        )
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {config.peer_timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"status": f"error: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def probe_export_ours(export_url: str) -> dict:
    if not route_exists(export_url):
        return {"status": "missing"}
    client = Client()
    began = time.perf_counter()
    response = client.get(export_url)
    size, rows = 0, 0
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        rows += chunk.count(b"\n")
    if response.status_code != 200:
        return {"status": f"error: HTTP {response.status_code}"}
    seconds = time.perf_counter() - began
    return {"status": "ok", "seconds": seconds, "rows": rows, "peak_rss_mb": peak_rss_mb()}


def probe_export_peer() -> dict:
    from reports.resources.practices import PracticeResource

    began = time.perf_counter()
    dataset = PracticeResource().export(queryset=Practice.objects.published())
    text = dataset.csv
    seconds = time.perf_counter() - began
    rows = text.count("\n")
    return {"status": "ok", "seconds": seconds, "rows": rows, "peak_rss_mb": peak_rss_mb()}


PROBES: dict[str, Callable[[Settings], dict]] = {
    "export-ours": lambda config: probe_export_ours(config.export_url),
    "export-peer": lambda config: probe_export_peer(),
}


def measure_exports(config: Settings) -> list[Result]:
    results = []
    for name, probe, peer in (
        ("CSV export", "export-ours", "default Resource.export()"),
        ("default Resource.export()", "export-peer", ""),
    ):
        result = Result(name, "export", config.export_url if peer else "", peer=peer)
        if not peer and results[0].status == "missing":
            # No ratio to give, and at 100k practices the default export takes many minutes.
            result.status = "skipped"
            results.append(result)
            continue
        summary = run_child(probe, config)
        result.status = summary["status"]
        if result.status == "ok":
            result.seconds = round(summary["seconds"], 2)
            result.rows = summary["rows"]
            result.peak_rss_mb = summary["peak_rss_mb"]
        results.append(result)
    return results


def measure_import(config: Settings, rows: int = 10_000) -> Result:
    result = Result(f"import of {rows} rows", "import", config.import_command)
    if config.import_command not in get_commands():
        result.status = "missing"
        return result
    from perf import benchdata

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "practices.csv"
        path.write_text(import_csv(rows), encoding="utf-8")
        began = time.perf_counter()
        try:
            with open(os.devnull, "w") as quiet:
                call_command(config.import_command, IMPORT_KIND, str(path), stdout=quiet)
        except Exception as error:  # noqa: BLE001 - reported, never fatal to the run
            result.status = f"error: {error}"
        result.seconds = round(time.perf_counter() - began, 2)
    result.rows = rows
    benchdata.clear(benchdata.IMPORT_PREFIX)
    # The import's rows deleted and updated leave as many dead ones: the next run's pages
    # would read past them (the 10k lists at twice their time) until autovacuum passed.
    benchdata.analyse(vacuum=True)
    return result


def import_csv(rows: int) -> str:
    """A CSV in PracticeResource's columns: existing bench practices under new slugs."""
    from perf import benchdata
    from reports.resources.practices import PracticeResource

    practices = (
        Practice.objects.filter(slug__startswith=benchdata.PREFIX)
        .exclude(slug__startswith=benchdata.IMPORT_PREFIX)
        .select_related("organisation", "programme")
        .prefetch_related(*(taxonomy.path for taxonomy in dimensions.taxonomies()))
        .order_by("id")[:rows]
    )
    dataset = PracticeResource().export(queryset=practices)
    slugs = dataset["slug"]
    del dataset["slug"]
    dataset.insert_col(0, [f"{benchdata.IMPORT_PREFIX}{slug}" for slug in slugs], header="slug")
    return dataset.csv


def add_ratios(results: list[Result]) -> None:
    by_name = {result.name: result for result in results}
    for result in results:
        plain = by_name.get(result.plain_peer)
        if result.status == "ok" and plain is not None and plain.status == "ok" and plain.p95_ms:
            result.plain_ratio = round(result.p95_ms / plain.p95_ms, 2)
        peer = by_name.get(result.peer)
        if result.status != "ok" or peer is None or peer.status != "ok":
            continue
        if result.kind == "page" and peer.p95_ms:
            result.ratio = round(result.p95_ms / peer.p95_ms, 2)
        elif result.kind == "export" and peer.seconds:
            result.ratio = round(result.seconds / peer.seconds, 2)


def bench_admin_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    # The admin asks a superuser for a second factor: the bench's own has an app, and its
    # session is verified by it as django_otp.login() would leave it.
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def environment() -> dict:
    memory = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
            for name in ("shared_buffers", "work_mem"):
                cursor.execute(f"SHOW {name}")
                memory[name] = cursor.fetchone()[0]
        else:
            server = f"{connection.vendor} {connection.Database.sqlite_version}"
    revision = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "database": server,
        "practices": Practice.objects.count(),
        "published": Practice.objects.published().count(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.get_version(),
        **memory,
        "commit": revision,
    }


def machine(env: dict) -> str:
    """What every figure of a run depends on, in one line to print beside them."""
    memory = ", ".join(
        f"{name} {env[name]}" for name in ("shared_buffers", "work_mem") if name in env
    )
    after = env.get("load_average_after", env["load_average"])
    return (
        f"{env['published']} published of {env['practices']} practices on {env['database']}"
        f"{f' ({memory})' if memory else ''}; Python {env['python']}, Django {env['django']}; "
        f"{env['cpus']} cores, load {env['load_average'][0]:.1f} -> {after[0]:.1f}"
    )


def busy_warning(env: dict) -> str:
    """A sentence when the machine was busy at the start or the end of the run, else ""."""
    loads = [env["load_average"][0], env.get("load_average_after", (0,))[0]]
    limit = BUSY_LOAD_PER_CPU * (env["cpus"] or 1)
    if max(loads) <= limit:
        return ""
    return (
        f"WARNING: the machine is busy (load {max(loads):.1f} on {env['cpus']} cores, above "
        f"{limit:.1f}): these figures are slower than a quiet machine's; compare the ratios "
        "to the peers of the same run, or run again when it is quiet."
    )


def run(config: Settings, only: set[str] | None = None, report=print) -> dict:
    sample = Sample.pick()
    without_rate_limit()
    client, admin_client = Client(), bench_admin_client()
    meta = environment()
    if warning := busy_warning(meta):
        report(warning)
    results: list[Result] = []
    for scenario in scenarios(sample):
        if only and scenario.name not in only:
            continue
        result = measure_page(scenario, admin_client if scenario.as_admin else client, config)
        report(format_row(result))
        results.append(result)
    if not only or "export" in only:
        for result in measure_exports(config):
            report(format_row(result))
            results.append(result)
    if not only or "import" in only:
        results.append(measure_import(config))
        report(format_row(results[-1]))
    add_ratios(results)
    meta["load_average_after"] = os.getloadavg()
    return {
        "environment": meta,
        "settings": asdict(config),
        "results": [asdict(r) for r in results],
    }


# -- printing ------------------------------------------------------------------------------

HEADER = (
    f"{'scenario':<28}{'status':<10}{'n':>4}{'p50 ms':>9}{'p95 ms':>9}{'target':>8}"
    f"{'SQL':>5}{'s':>8}{'MB':>7}  {'ratio to peer':<}"
)


def format_row(r: Result) -> str:
    def num(value, width: int) -> str:
        return f"{value:>{width}}" if value is not None else f"{'-':>{width}}"

    ratio = f"{r.ratio:.2f} x {r.peer}" if r.ratio is not None else (r.peer and f"- ({r.peer})")
    if r.plain_ratio is not None:
        ratio = f"{ratio}; {r.plain_ratio:.2f} x {r.plain_peer}"
    status = r.status if len(r.status) <= 9 else r.status[:9]
    return (
        f"{r.name:<28}{status:<10}{r.requests or '':>4}{num(r.p50_ms, 9)}{num(r.p95_ms, 9)}"
        f"{num(r.target_ms and int(r.target_ms), 8)}{num(r.queries, 5)}{num(r.seconds, 8)}"
        f"{num(r.peak_rss_mb, 7)}  {ratio or ''}"
    )


def format_table(outcome: dict) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    lines += [format_row(Result(**r)) for r in outcome["results"]]
    errors = [r for r in outcome["results"] if r["status"] not in ("ok", "missing", "skipped")]
    lines += [f"{r['name']}: {r['status']}" for r in errors]
    return "\n".join(lines)


def sizes_table(outcomes: list[dict]) -> str:
    """A Markdown table of several runs side by side (docs/performance.md), one column per
    run ordered by its number of practices: p50 / p95 in ms (an export or import: seconds
    and MB), the load average before and after each run under the figures."""
    outcomes = sorted(outcomes, key=lambda outcome: outcome["environment"]["practices"])
    heads = [f"{o['environment']['practices']:,} practices" for o in outcomes]
    lines = ["| scenario | " + " | ".join(heads) + " |", "|---" + "|---:" * len(heads) + "|"]
    names = list(dict.fromkeys(r["name"] for o in outcomes for r in o["results"]))
    for name in names:
        cells = []
        for outcome in outcomes:
            found = next((r for r in outcome["results"] if r["name"] == name), None)
            cells.append(_cell(found))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    loads = [_load(o["environment"]) for o in outcomes]
    lines.append("| load average (2 cores) | " + " | ".join(loads) + " |")
    commits = [o["environment"].get("commit", "") for o in outcomes]
    lines.append("| commit | " + " | ".join(commits) + " |")
    return "\n".join(lines)


def _load(environment: dict) -> str:
    before = f"{environment['load_average'][0]:.1f}"
    after = environment.get("load_average_after")
    return f"{before} → {after[0]:.1f}" if after else before


def _cell(result: dict | None) -> str:
    if result is None:
        return ""
    if result["status"] != "ok":
        return result["status"]
    if result["kind"] != "page":
        peak = result.get("peak_rss_mb")
        return f"{result['seconds']} s" + (f", {peak} MB" if peak is not None else "")
    ratios = [
        (f"{result[key]:.2f}×" if result[key] >= 0.01 else "< 0.01×") + f" {label}"
        for key, label in (("ratio", "admin"), ("plain_ratio", "plain admin"))
        if result.get(key) is not None
    ]
    cell = f"{result['p50_ms']} / {result['p95_ms']}"
    return f"{cell} ({', '.join(ratios)})" if ratios else cell
