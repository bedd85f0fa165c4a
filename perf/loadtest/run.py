"""`make loadtest`: the portal under load on loopback, then a check that nothing was lost.

On DATABASE_URL (PostgreSQL) holding the benchmark data (generated when fewer practices are
there than asked), it starts gunicorn with production settings (DEBUG off, a SECRET_KEY made
for the run, plain http on 127.0.0.1) on a free port; for `--duration` seconds `--visitors`
anonymous visitors browse the public pages without pause while partners create and edit
practices through the workspace forms and a coordinator exports CSV; then it stops the
server, reads back every practice a partner saved, prints a table and writes JSON.

Exit status 0 when no request failed and every save is in the database as saved."""

# Seeded pseudo-random choices of pages, not secrets; the subprocesses are this checkout's
# own manage.py with arguments built here (gunicorn: server.py).
# ruff: noqa: S311, S603
from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

# Run as a script (`make loadtest`), the checkout is not on sys.path: perf is imported from it.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perf.loadtest.accounts import Account, prepare_accounts  # noqa: E402
from perf.loadtest.driver import Browser, Recorder, read_form, summarise  # noqa: E402
from perf.loadtest.report import machine, print_summary  # noqa: E402
from perf.loadtest.server import HOST, free_port, production_env, start_gunicorn, stop  # noqa: E402
from perf.loadtest.verify import SavedPractice, SaveLog, category_fields, check  # noqa: E402

EDIT_PATH = re.compile(r"^/en/workspace/practices/(?P<slug>[-\w]+)/edit/$")
NEW_PRACTICE = "/en/workspace/practices/new/"
LOGIN = "/en/accounts/login/"
# The coordinator exports a selection (a country and a theme, as the dashboard's filters
# send them): the whole 100k set is 500 MB of CSV, longer than gunicorn's 30 s worker timeout
# (see docs/performance/log.md, "Load test on main").
EXPORTS = {
    "export csv": "/en/reports/export/practices.csv",
    "open-data csv": "/en/reports/open-data/practices.csv",
}
# What an anonymous visitor asks for, and how often (weights).
VISITOR_MIX = {"home": 10, "list": 15, "filter": 25, "search": 20, "detail": 25, "calendar": 5}
SEARCH_WORDS = ["migrants", "tramontane", "integration", "women", "youth", "employment"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--extra-partners", type=int, default=3, help="accounts made for the run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--output", default=str(ROOT / "loadtest-results.json"))
    return parser.parse_args(argv)


def manage(env: dict, *args: str) -> None:
    print("$ manage.py", " ".join(args), flush=True)
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict, practices: int) -> None:
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
        ["compile_translations"],
        ["load_demo", "--with-accounts"],
    ):
        manage(env, *command)
    from practices.models import Practice

    if Practice.objects.count() < practices:
        manage(env, "generate_bench_data", "--practices", str(practices), "--reuse")


@dataclass
class VisitorPaths:
    """Sample URLs of each kind, taken from the data so that each one has an answer."""

    paths: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, kind: str, rng: random.Random) -> str:
        return rng.choice(self.paths[kind])


def visitor_paths(rng: random.Random) -> VisitorPaths:
    from practices.models import Practice, TargetGroup, Theme

    published = Practice.objects.published()
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:2000])
    countries = list(
        published.exclude(country="").values_list("country", flat=True).distinct()[:20]
    )
    choices = {
        "theme": list(Theme.objects.values_list("slug", flat=True)),
        "country": [str(code) for code in countries],
        "target_group": list(TargetGroup.objects.values_list("slug", flat=True)),
    }
    filters = []
    for _ in range(300):
        names = rng.sample(sorted(name for name in choices if choices[name]), rng.randint(1, 3))
        filters.append(_list_url({name: rng.choice(choices[name]) for name in names}))
    exports = [
        urlencode(
            {"country": rng.choice(choices["country"]), "theme": rng.choice(choices["theme"])}
        )
        for _ in range(20)
    ]
    return VisitorPaths(
        {
            "export filter": exports,
            "home": ["/en/"],
            "list": ["/en/practices/"] + [_list_url({"page": n}) for n in range(2, 6)],
            "filter": filters,
            "search": [_list_url({"q": word}) for word in SEARCH_WORDS],
            "detail": [f"/en/practices/{slug}/" for slug in slugs],
            "calendar": ["/en/events/calendar.ics"],
        }
    )


def _list_url(query: dict) -> str:
    return f"/en/practices/?{urlencode(query)}"


def warm_up(port: int, paths: VisitorPaths, workers: int) -> None:
    """Ask for each kind of page `workers` times at once, unrecorded: the first answers of
    a fresh worker (imports, templates, caches) are not what the load test measures."""
    recorder = Recorder()

    def browse(seed: int) -> None:
        browser, rng = Browser(HOST, port, recorder), random.Random(seed)
        for kind in VISITOR_MIX:
            browser.get(kind, paths.pick(kind, rng))

    threads = [threading.Thread(target=browse, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slowest = {}
    for sample in recorder.samples:
        slowest[sample.kind] = max(slowest.get(sample.kind, 0), sample.seconds)
    timings = ", ".join(f"{kind} {seconds * 1000:.0f}" for kind, seconds in slowest.items())
    print(f"Warm-up, slowest of {workers} (ms): {timings}", flush=True)


@dataclass
class Load:
    """What the threads share: where to send requests, when to stop, what they recorded."""

    port: int
    deadline: float
    run_id: str
    recorder: Recorder = field(default_factory=Recorder)
    saves: SaveLog = field(default_factory=SaveLog)
    unanswered_creates: int = 0
    # What each unanswered creation sent (its slug unknown): found by title, or not at all.
    unanswered_new: list[SavedPractice] = field(default_factory=list)
    load_average: list[float] = field(default_factory=list)  # at the start and the end
    lock: threading.Lock = field(default_factory=threading.Lock)

    def browser(self) -> Browser:
        return Browser(HOST, self.port, self.recorder)

    def running(self) -> bool:
        return time.monotonic() < self.deadline


def visitor(load: Load, paths: VisitorPaths, seed: int) -> None:
    rng, browser = random.Random(seed), load.browser()
    kinds, weights = list(VISITOR_MIX), list(VISITOR_MIX.values())
    while load.running():
        kind = rng.choices(kinds, weights)[0]
        browser.get(kind, paths.pick(kind, rng))


def log_in(browser: Browser, account: Account) -> bool:
    response = browser.get("login form", LOGIN)
    form = response and response.status == 200 and read_form(response.body, "record-form")
    if not form:
        return False
    form.set("username", account.username)
    form.set("password", account.password)
    response = browser.post("login", LOGIN, form.values, expect=(302,))
    return response is not None and response.status == 302


def partner(load: Load, account: Account, seed: int) -> None:
    """Log in once; then, a second or so apart, add a practice or edit one added before."""
    rng, browser = random.Random(seed), load.browser()
    if not log_in(browser, account):
        return
    added: list[str] = []
    while load.running():
        if not added or rng.random() < 0.4:
            slug = save_practice(load, browser, NEW_PRACTICE, rng, account, len(added) + 1)
            if slug:
                added.append(slug)
        else:
            slug = rng.choice(added)
            path = f"/en/workspace/practices/{slug}/edit/"
            save_practice(load, browser, path, rng, account, added.index(slug) + 1)
        time.sleep(rng.uniform(0.5, 1.5))


def save_practice(load: Load, browser: Browser, path: str, rng, account: Account, number: int):
    """Open the form, change title, summary and taxonomies, send it with the page's CSRF
    token and version; record what was sent. Returns the practice's slug when saved."""
    creating = path == NEW_PRACTICE
    response = browser.get("practice form", path)
    form = response and response.status == 200 and read_form(response.body, "record-form")
    if not form:
        return None
    fill_practice_form(form, rng, f"{account.username} {number} {load.run_id}", creating)
    values = [*form.values, ("save", "")]
    kind = "practice create" if creating else "practice edit"
    response = browser.post(kind, path, values, expect=(302,))
    # No answer, or a proxy's or server's error (an app server stopped meanwhile): the save
    # may or may not have happened, but never in part.
    if response is None or response.status >= 500:
        _unanswered(load, path, values, creating)
        return None
    match = EDIT_PATH.match(response.location) if response.status == 302 else None
    if match is None:
        return None
    with load.lock:
        load.saves.accepted(SavedPractice.from_form(match["slug"], values))
    return match["slug"]


def _unanswered(load: Load, path: str, values: list, creating: bool) -> None:
    with load.lock:
        if creating:
            load.unanswered_creates += 1
            load.unanswered_new.append(SavedPractice.from_form("", values))
        else:
            slug = EDIT_PATH.match(path)["slug"]
            load.saves.unanswered(SavedPractice.from_form(slug, values))


def fill_practice_form(form, rng: random.Random, label: str, creating: bool) -> None:
    edition = rng.randint(1, 10**6)
    if creating:
        form.set("title", f"Load test practice {label}")
    else:
        form.set("title", re.sub(r"( \(edit \d+\))?$", f" (edit {edition})", form.get("title")))
    form.set("summary", f"Saved under load ({label}, edition {edition}).\nSecond line.")
    if not form.get("language"):
        form.set("language", "en")
    if not form.get("country"):
        form.set("country", "MA")
    for name in category_fields():
        offered = form.checkboxes.get(name, [])
        ticked = rng.sample(
            offered, rng.randint(1 if name == "themes" else 0, min(3, len(offered)))
        )
        form.set(name, *ticked)


def coordinator(load: Load, account: Account, paths: VisitorPaths, seed: int) -> None:
    rng, browser = random.Random(seed), load.browser()
    if not log_in(browser, account):
        return
    while load.running():
        for kind, path in EXPORTS.items():
            if load.running():
                browser.get(kind, f"{path}?{paths.pick('export filter', rng)}")
                time.sleep(rng.uniform(1, 3))


def run_load(args, port: int, paths: VisitorPaths, partners, coordinator_account) -> tuple:
    load = Load(port, time.monotonic() + args.duration, secrets.token_hex(3))
    threads = [
        threading.Thread(target=visitor, args=(load, paths, n), daemon=True)
        for n in range(args.visitors)
    ]
    threads += [
        threading.Thread(target=partner, args=(load, account, 1000 + n), daemon=True)
        for n, account in enumerate(partners)
    ]
    threads.append(
        threading.Thread(
            target=coordinator, args=(load, coordinator_account, paths, 2000), daemon=True
        )
    )
    load.load_average = [os.getloadavg()[0]]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, load.deadline + 180 - time.monotonic()))
    load.load_average.append(os.getloadavg()[0])
    return load, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://...).")
    env = production_env(database_url)
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(env, args.practices)
    partners, coordinator_account = prepare_accounts(args.extra_partners)
    paths = visitor_paths(random.Random(7))
    from practices.models import Practice

    practices = Practice.objects.count()
    log = ROOT / "var" / "loadtest-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text("")  # this run's lines only: its worker timeouts are counted at the end
    port = free_port()
    server = start_gunicorn(env, port, args.workers, log)
    try:
        warm_up(port, paths, args.workers)
        print(
            f"Load: {args.visitors} visitors, {len(partners)} partners, 1 coordinator, "
            f"{args.duration:g} s on http://{HOST}:{port}/ ({practices} practices)",
            flush=True,
        )
        load, elapsed = run_load(args, port, paths, partners, coordinator_account)
    finally:
        stop(server)
    timeouts = log.read_text(errors="replace").count("WORKER TIMEOUT")
    return report(args, load, elapsed, practices, timeouts)


def report(args, load: Load, elapsed: float, practices: int, worker_timeouts: int) -> int:
    expected = (*VISITOR_MIX, *EXPORTS, "login", "practice create", "practice edit")
    rows = summarise(load.recorder.samples, elapsed, expected)
    verification = check(load.saves)
    verification["unanswered_creates"] = load.unanswered_creates
    passed = (
        rows["overall"]["errors"] == 0
        and not verification["problems"]
        and verification["saved_practices"] > 0
        and sum(rows[kind]["requests"] for kind in EXPORTS) > 0
    )
    results = {
        "command": " ".join(["make loadtest", *sys.argv[1:]]),
        "machine": machine(),
        "setup": {
            "practices": practices,
            "gunicorn_workers": args.workers,
            "visitors": args.visitors,
            "partners": 2 + args.extra_partners,
            "coordinators": 1,
            "load_seconds": round(elapsed, 1),
            "load_average_start_end": [round(value, 2) for value in load.load_average],
            "gunicorn_worker_timeouts": worker_timeouts,
        },
        "requests": rows,
        "saved_practices_check": verification,
        "passed": passed,
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print_summary(results, args.output)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
