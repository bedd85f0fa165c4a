"""`make spiketest`: a traffic spike on `make cluster`, then the same visitors on one server
without the cache, in the same run.

Against the cluster (started when it is not running, and then stopped at the end) with
`--practices` bench practices: `--visitors` anonymous visitors browse the public pages over
HTTPS through nginx, each on its own kept-alive connection, for `--duration` seconds, while
partners save practices through the workspace forms and a coordinator, signed in with a
password and a code of the authenticator app set up for the run, publishes submitted
practices and exports. Each publication, made on app server 1 directly, is looked for on
app server 2 and through nginx, and its delay measured. Halfway, app server 1 is stopped
(gunicorn's graceful SIGTERM); it is started again at the end. The replica's lag is sampled
each second. Then every save is read back from the database.

Then the same visitors for the same time against one gunicorn server with the same workers
and threads, without the page cache, Redis or the replica, and the ratio of throughputs.

Prints a summary, writes JSON (--output); exit status 1 when a check fails (errors beyond
the requests in flight on the stopped server, lost or half-done saves, a publication not
seen, no coordinator's sign-in). The targets (p95, ratio, 1 s) are reported, not asserted."""

# Seeded pseudo-random choices of pages, not secrets.
# ruff: noqa: S311
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import secrets
import ssl
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perf.loadtest.accounts import Account  # noqa: E402
from perf.loadtest.driver import Browser, Recorder, read_form, summarise  # noqa: E402
from perf.loadtest.report import machine  # noqa: E402
from perf.loadtest.run import EXPORTS, Load, log_in, manage, partner  # noqa: E402
from perf.loadtest.server import free_port  # noqa: E402
from perf.loadtest.verify import check  # noqa: E402
from perf.spiketest import checks  # noqa: E402
from perf.spiketest import cluster as cluster_control  # noqa: E402
from perf.spiketest.mix import VISITOR_MIX, PageSet, pause  # noqa: E402
from perf.spiketest.paths import visitor_paths  # noqa: E402
from perf.spiketest.report import print_summary  # noqa: E402
from perf.spiketest.totp import code as totp_code  # noqa: E402

TWO_FACTOR = "/en/accounts/two-factor/"
REVIEW = "/en/review/"
# Look for a publication this long before saying it was never seen.
SEEN_WITHIN = 10.0
POLL_SECONDS = 0.02
# The coordinator publishes through app server 1 directly until this long before its stop.
DIRECT_UNTIL_STOP = 4.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_practices = int(os.environ.get("SPIKE_PRACTICES", "100000"))
    parser.add_argument("--practices", type=int, default=default_practices)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of each phase")
    parser.add_argument("--partners", type=int, default=4, help="partner accounts of the run")
    parser.add_argument(
        "--think", type=float, default=0.0, help="visitors' mean pause between pages (s)"
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("CLUSTER_THREADS", 4)))
    parser.add_argument(
        "--publish-every",
        type=float,
        default=15.0,
        help="seconds between the coordinator's publications (exports in between)",
    )
    parser.add_argument(
        "--skip-single", action="store_true", help="no uncached single-server phase"
    )
    parser.add_argument("--output", default=str(ROOT / "spiketest-results.json"))
    return parser.parse_args(argv)


# -- preparation --------------------------------------------------------------------------


@dataclass
class Coordinator:
    account: Account
    totp_key: str  # hex, as TOTPDevice keeps it


def prepare_database(env: dict, practices: int) -> None:
    # The single server's cache, without Redis: a table of the database.
    manage(cluster_control.single_server_env(env), "createcachetable")
    manage(env, "generate_bench_data", "--practices", str(practices), "--reuse")
    from nador_portal import page_cache

    page_cache.bump()  # pages cached before the bench data are not the site's any more


def prepare_accounts(count: int) -> tuple[list[Account], Coordinator]:
    """Partners of organisations of their own and a coordinator with an authenticator app,
    all made for the spike test with passwords of this run; the demo accounts are left as
    they are (their passwords are in the cluster's passwords file)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from publishing.access import COORDINATORS_GROUP
    from publishing.two_factor import new_secret
    from stakeholders.models import Membership, Stakeholder

    User = get_user_model()

    def with_run_password(username: str):
        user, _created = User.objects.get_or_create(username=username)
        account = Account(username, secrets.token_urlsafe(16))
        user.set_password(account.password)
        user.is_active = True
        user.save()
        return user, account

    partners = []
    organisations = Stakeholder.objects.exclude(slug__in=["asticude", "acpp"]).order_by("pk")
    for number, organisation in enumerate(organisations[:count], start=1):
        user, account = with_run_password(f"spiketest-partner-{number}")
        Membership.objects.filter(user=user).exclude(stakeholder=organisation).delete()
        Membership.objects.get_or_create(user=user, stakeholder=organisation)
        partners.append(account)
    user, account = with_run_password("spiketest-coordinator")
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    key = new_secret()
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Spike test", key=key, confirmed=True)
    return partners, Coordinator(account, key)


def prepare_submissions(run_id: str, count: int) -> list[tuple[str, str]]:
    """Practices submitted for review, for the coordinator to publish: (slug, title)."""
    from django.utils.text import slugify

    from practices.models import Practice, Theme
    from publishing.workflow import Status
    from stakeholders.models import Stakeholder

    organisation = Stakeholder.objects.order_by("pk").first()
    theme = Theme.objects.order_by("pk").first()
    made = []
    for number in range(1, count + 1):
        title = f"Spike publication {run_id} {number}"
        practice = Practice.objects.create(
            title=title,
            slug=slugify(title),
            organisation=organisation,
            status=Status.SUBMITTED,
            summary=f"Published during the spike test {run_id}.",
            country="MA",
            language="en",
        )
        if theme is not None:
            practice.themes.add(theme)
        made.append((practice.slug, title))
    return made


# -- the cluster's load ---------------------------------------------------------------------


def tls_context() -> ssl.SSLContext:
    """The cluster's own certificate is trusted (deploy/cluster.sh made it for 127.0.0.1)."""
    certificate = cluster_control.cluster_dir() / "run" / "tls.crt"
    return ssl.create_default_context(cafile=str(certificate))


@dataclass
class Target:
    """Where requests go: nginx over HTTPS, or an app server over http as nginx talks to
    it (X-Forwarded-Proto https, from loopback)."""

    host: str
    port: int
    scheme: str = "http"
    tls: ssl.SSLContext | None = None

    def browser(self, recorder: Recorder, keep_alive: bool = True) -> Browser:
        headers = {}
        if self.scheme == "http":
            headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        return Browser(
            self.host,
            self.port,
            recorder,
            timeout=120,
            scheme=self.scheme,
            keep_alive=keep_alive,
            tls=self.tls,
            headers=headers,
        )


@dataclass
class SpikeLoad(Load):
    """The load test's shared state (perf/loadtest/run.py), over HTTPS with keep-alive,
    plus the stop of app server 1, the publications and the coordinator's sign-in."""

    front: Target | None = None
    app1: Target | None = None
    app2: Target | None = None
    started: float = 0.0
    stop_planned: float = 0.0
    stop: checks.Stop | None = None
    publications: list[checks.Publication] = field(default_factory=list)
    coordinator_signed_in: bool = False
    probes: Recorder = field(default_factory=Recorder)  # publication look-ups, not counted

    def browser(self) -> Browser:
        return self.front.browser(self.recorder)


def visitor(load: Load, pages: PageSet, seed: int, think: float) -> None:
    """Visits one after the other, each on a connection of its own (a new visitor)."""
    rng = random.Random(seed)
    while load.running():
        browser = load.browser()
        for kind, path in pages.visit(rng):
            if not load.running():
                break
            browser.get(kind, path)
            if think:
                time.sleep(pause(rng, think))
        browser.close()


def sign_in_with_code(browser: Browser, coordinator: Coordinator) -> bool:
    """The password, then the code the authenticator app would show now."""
    if not log_in(browser, coordinator.account):
        return False
    response = browser.get("two-factor form", TWO_FACTOR)
    form = response and response.status == 200 and read_form(response.body, "record-form")
    if not form:
        return False
    form.set("code", totp_code(coordinator.totp_key))
    response = browser.post("two-factor", TWO_FACTOR, form.values, expect=(302,))
    if response is None or response.status != 302:
        return False
    response = browser.get("review queue", REVIEW)
    return response is not None and response.status == 200


def publish(browser: Browser, slug: str) -> bool:
    path = f"/en/review/practices/{slug}/"
    response = browser.get("review page", path)
    form = response and response.status == 200 and read_form(response.body, "record-form")
    if not form:
        return False
    response = browser.post("publish", f"{path}publish/", form.values, expect=(302,))
    return response is not None and response.status == 302


def look_for(load: SpikeLoad, slug: str, title: str, through: str, places: dict) -> None:
    """Ask each place, anonymously and all at once, for the practice's page and the list
    (newest first) until both show it. The delay of a place is when the first request
    that showed it was sent, after the publish's answer: a server's queue under load
    delays the answer, not what the answer shows; the answer's own delay is kept too."""
    published_at = time.monotonic()
    publication = checks.Publication(slug, through)
    places_pages = [(name, page) for name in sorted(places) for page in ("page", "list")]
    publication.seen = {f"{name} {page}": None for name, page in places_pages}

    def poll(name: str, page: str) -> None:
        browser = places[name].browser(load.probes)
        path = f"/en/practices/{slug}/" if page == "page" else "/en/practices/"
        while time.monotonic() - published_at < SEEN_WITHIN:
            sent = time.monotonic()
            response = browser.get(f"seen {page}", path)
            if response is not None and response.status == 200 and title in response.body:
                publication.seen[f"{name} {page}"] = round(sent - published_at, 3)
                publication.answered[f"{name} {page}"] = round(time.monotonic() - published_at, 3)
                break
            time.sleep(POLL_SECONDS)
        browser.close()

    threads = [threading.Thread(target=poll, args=pair) for pair in places_pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with load.lock:
        load.publications.append(publication)


def coordinator(load: SpikeLoad, browser: Browser, submissions, every: float) -> None:
    """Signed in with the second factor before the spike (the session is shared by the app
    servers), publishes the next submitted practice every `every` seconds. Before app
    server 1 stops, it publishes on that server directly and looks for the practice on the
    other and through nginx."""
    if not load.coordinator_signed_in:
        return
    direct = load.app1.browser(load.recorder, keep_alive=False)
    direct.cookies = browser.cookies  # the same browser, talking to app server 1
    for slug, title in submissions:
        if not load.running():
            break
        next_publication = time.monotonic() + every
        if time.monotonic() < load.stop_planned - DIRECT_UNTIL_STOP:
            through, places = "app1", {"app2": load.app2, "nginx": load.front}
        else:
            through, places = "nginx", {"nginx": load.front}
            if load.stop is not None:  # app server 1 is gone: app server 2 answers alone
                places["app2"] = load.app2
        if publish(direct if through == "app1" else browser, slug):
            look_for(load, slug, title, through, places)
        time.sleep(max(0.0, min(next_publication, load.deadline) - time.monotonic()))


def exporter(load: SpikeLoad, desk: Browser, paths, seed: int) -> None:
    """The coordinator's other tab: an export of a selection every few seconds."""
    rng, exports = random.Random(seed), itertools.cycle(EXPORTS.items())
    if not load.coordinator_signed_in:
        return
    browser = load.browser()
    browser.cookies = desk.cookies
    while load.running():
        kind, path = next(exports)
        selection = paths["open-data filter" if kind.startswith("open-data") else "export filter"]
        browser.get(kind, f"{path}?{rng.choice(selection)}")
        time.sleep(rng.uniform(2, 4))
    browser.close()


def stopper(load: SpikeLoad) -> None:
    """Halfway, app server 1 stops gracefully; nginx sends everything to app server 2."""
    time.sleep(max(0.0, load.stop_planned - time.monotonic()))
    signalled = time.monotonic()
    print(f"Halfway: stopping app server 1 ({load.app1.host}:{load.app1.port})", flush=True)
    cluster_control.stop_app("app1")
    load.stop = checks.Stop(signalled, time.monotonic())
    print(f"App server 1 stopped in {load.stop.gone - signalled:.1f} s", flush=True)


WARM_PAGES = 16  # of each kind


def warm_up(target: Target, pages: PageSet, parallel: int = 8) -> None:
    """Each kind's most popular pages once, unrecorded, as a site with its usual traffic
    has them: a fresh worker's first answers (imports, templates) are not what is measured,
    and the popular pages are in the cache (when there is one) before the spike."""
    recorder = Recorder()
    step = WARM_PAGES // parallel

    def browse(offset: int) -> None:
        browser = target.browser(recorder)
        for kind, paths in pages.paths.items():
            for path in paths[offset : offset + step]:
                browser.get(kind, path)
        browser.close()

    threads = [threading.Thread(target=browse, args=(step * n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Phase:
    recorder: Recorder
    seconds: float
    load_average: list[float]
    client_cpu_share: float  # of one core, the driver's own


def run_phase(load: Load, threads: list[threading.Thread], duration: float) -> Phase:
    load_average = [os.getloadavg()[0]]
    cpu, started = cpu_seconds(), time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, load.deadline + 180 - time.monotonic()))
    elapsed = time.monotonic() - started
    load_average.append(os.getloadavg()[0])
    client = (cpu_seconds() - cpu) / elapsed
    return Phase(load.recorder, elapsed, load_average, round(client, 2))


def cluster_phase(args, env, pages, paths, partners, who, submissions) -> tuple:
    front_host, front_port = cluster_control.address(env["CLUSTER_URL"])
    app_urls = env["CLUSTER_APP_URLS"].split()
    front = Target(front_host, front_port, "https", tls_context())
    app1 = Target(*cluster_control.address(app_urls[0]))
    app2 = Target(*cluster_control.address(app_urls[1]))
    warm_up(front, pages)
    load = SpikeLoad(front_port, 0.0, secrets.token_hex(3), front=front, app1=app1, app2=app2)
    # The coordinator is at work when the spike comes: signed in beforehand.
    desk = load.browser()
    load.coordinator_signed_in = sign_in_with_code(desk, who)
    started = time.monotonic()
    load.started, load.deadline = started, started + args.duration
    load.stop_planned = started + args.duration / 2
    threads = [
        threading.Thread(target=visitor, args=(load, pages, n, args.think), daemon=True)
        for n in range(args.visitors)
    ]
    threads += [
        threading.Thread(target=partner, args=(load, account, 1000 + n), daemon=True)
        for n, account in enumerate(partners)
    ]
    threads.append(
        threading.Thread(
            target=coordinator, args=(load, desk, submissions, args.publish_every), daemon=True
        )
    )
    threads.append(threading.Thread(target=exporter, args=(load, desk, paths, 3000), daemon=True))
    threads.append(threading.Thread(target=stopper, args=(load,), daemon=True))
    lag = cluster_control.LagSampler(env["DATABASE_URL"], env["DATABASE_REPLICA_URL"])
    lag.start()
    print(
        f"Cluster: {args.visitors} visitors, {len(partners)} partners, 1 coordinator, "
        f"{args.duration:g} s on {env['CLUSTER_URL']}/",
        flush=True,
    )
    try:
        phase = run_phase(load, threads, args.duration)
    finally:
        lag.stop()
        print("Starting app server 1 again", flush=True)
        cluster_control.start_app("app1")
    return load, phase, lag


def single_phase(args, env, pages) -> Phase:
    """The same visitors against one gunicorn server without the page cache."""
    port = free_port()
    log = ROOT / "var" / "spiketest-single.log"
    log.parent.mkdir(exist_ok=True)
    server = cluster_control.start_single_server(
        cluster_control.single_server_env(env), port, args.workers, args.threads, log
    )
    target = Target("127.0.0.1", port)
    try:
        _wait_until_up(server, target)
        warm_up(target, pages)
        load = SpikeLoad(port, time.monotonic() + args.duration, "single", front=target)
        print(
            f"Single server without the cache: {args.visitors} visitors, {args.duration:g} s "
            f"on http://127.0.0.1:{port}/",
            flush=True,
        )
        threads = [
            threading.Thread(target=visitor, args=(load, pages, n, args.think), daemon=True)
            for n in range(args.visitors)
        ]
        return run_phase(load, threads, args.duration)
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except Exception:  # noqa: BLE001 (a server that will not stop is killed)
            server.kill()
            server.wait()


def _wait_until_up(server, target: Target, seconds: float = 60) -> None:
    probe = target.browser(Recorder(), keep_alive=False)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit status {server.returncode}).")
        response = probe.get("start", "/healthz")
        if response is not None and response.status == 200:
            return
        time.sleep(0.3)
    sys.exit("The single server did not answer /healthz within a minute.")


# -- results -----------------------------------------------------------------------------------


def unanswered_creations(load: Load) -> list[str]:
    """A creation whose answer was lost is in the database whole, or not at all."""
    from perf.loadtest.verify import differences, stored_practices
    from practices.models import Practice

    problems = []
    for sent in load.unanswered_new:
        # A partner whose creation was not answered creates again, under the same title.
        found = Practice.objects.filter(title=sent.title).exclude(slug__in=load.saves.states)
        slugs = list(found.values_list("slug", flat=True))
        for slug, stored in stored_practices(slugs).items():
            wanted = type(sent)(slug, sent.title, sent.summary, sent.organisation, sent.taxonomies)
            if differences(wanted, stored):
                problems.append(f"{slug}: an unanswered creation, saved in part")
    return problems


def results_of(args, load: SpikeLoad, phase: Phase, lag, single: Phase | None, practices):
    kinds = tuple(VISITOR_MIX)
    expected = (*kinds, *EXPORTS, "login", "practice create", "practice edit", "publish")
    samples = phase.recorder.samples
    in_flight, beyond = checks.split_errors(samples, load.stop)
    verification = check(load.saves)
    verification["unanswered_creates"] = load.unanswered_creates
    verification["problems"] += unanswered_creations(load)
    public = checks.public_pages(samples, kinds, phase.seconds)
    cluster = {
        "seconds": round(phase.seconds, 1),
        "load_average_start_end": [round(value, 2) for value in phase.load_average],
        "client_cpu_share_of_a_core": phase.client_cpu_share,
        "requests": summarise(samples, phase.seconds, expected),
        "public_pages": public,
        "page_cache": checks.cache_share([s for s in samples if s.kind in kinds]),
        "page_cache_by_kind": checks.cache_share_by_kind(samples, kinds),
        "errors_in_flight_on_stopped_server": len(in_flight),
        "errors_beyond_in_flight": len(beyond),
        "error_examples": sorted({f"{s.kind}: {s.status} {s.error}" for s in beyond})[:10],
        "stop": None
        if load.stop is None
        else {
            "after_seconds": round(load.stop.signalled - load.started, 1),
            "graceful_seconds": round(load.stop.gone - load.stop.signalled, 1),
        },
        "saved_practices_check": verification,
        "coordinator_signed_in": load.coordinator_signed_in,
        "publications": checks.publications_summary(load.publications),
        "exports": sum(1 for s in samples if s.kind in EXPORTS and s.ok),
        "replica_lag": lag.summary(),
    }
    results = {
        "command": " ".join(["make spiketest", *sys.argv[1:]]),
        "machine": machine(),
        "setup": {
            "practices": practices,
            "visitors": args.visitors,
            "think_seconds": args.think,
            "partners": args.partners,
            "publish_every_seconds": args.publish_every,
            "duration_seconds": args.duration,
            "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread) per server",
        },
        "cluster": cluster,
    }
    if single is not None:
        single_public = checks.public_pages(single.recorder.samples, kinds, single.seconds)
        results["single_server"] = {
            "seconds": round(single.seconds, 1),
            "load_average_start_end": [round(value, 2) for value in single.load_average],
            "client_cpu_share_of_a_core": single.client_cpu_share,
            "requests": summarise(single.recorder.samples, single.seconds, kinds),
            "public_pages": single_public,
        }
        base = single_public["requests_per_second"]
        results["throughput_ratio"] = (
            round(public["requests_per_second"] / base, 1) if base else None
        )
    results["failed_checks"] = checks.failed_checks(results)
    results["missed_targets"] = checks.missed_targets(results)
    results["passed"] = not results["failed_checks"]
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started_here = not cluster_control.is_running()
    if started_here:
        cluster_control.start()
    try:
        return spike(args)
    finally:
        if started_here:
            cluster_control.stop()


def spike(args) -> int:
    env = cluster_control.settings()
    env |= {"PERF_TOOLS": "1", "DJANGO_SETTINGS_MODULE": "nador_portal.settings"}
    os.environ.update(env)
    import django

    django.setup()
    prepare_database({**os.environ}, args.practices)
    partners, who = prepare_accounts(args.partners)
    rng = random.Random(7)
    paths = visitor_paths(rng)
    pages = PageSet.of(paths)
    run_id = secrets.token_hex(3)
    submissions = prepare_submissions(run_id, max(10, int(args.duration)))
    from practices.models import Practice

    practices = Practice.objects.count()
    load, phase, lag = cluster_phase(args, env, pages, paths, partners, who, submissions)
    single = None if args.skip_single else single_phase(args, env, pages)
    results = results_of(args, load, phase, lag, single, practices)
    Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_summary(results, args.output)
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
