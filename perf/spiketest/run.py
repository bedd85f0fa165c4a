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
import json
import os
import random
import resource
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perf.loadtest.driver import Recorder, summarise  # noqa: E402
from perf.loadtest.report import machine  # noqa: E402
from perf.loadtest.run import EXPORTS, Load, partner  # noqa: E402
from perf.loadtest.server import free_port, wait_until_up  # noqa: E402
from perf.loadtest.verify import check  # noqa: E402
from perf.spiketest import checks  # noqa: E402
from perf.spiketest import cluster as cluster_control  # noqa: E402
from perf.spiketest.actors import (  # noqa: E402
    SpikeLoad,
    Target,
    coordinator,
    exporter,
    sign_in_with_code,
    stopper,
    tls_context,
    visitor,
    warm_up,
)
from perf.spiketest.cpu import CpuSampler, cluster_roots  # noqa: E402
from perf.spiketest.mix import VISITOR_MIX, PageSet  # noqa: E402
from perf.spiketest.paths import visitor_paths  # noqa: E402
from perf.spiketest.prepare import (  # noqa: E402
    prepare_accounts,
    prepare_database,
    prepare_submissions,
)
from perf.spiketest.report import print_summary  # noqa: E402


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
    cpu = CpuSampler(cluster_roots(cluster_control.cluster_dir(), os.getpid()))
    cpu.start()
    print(
        f"Cluster: {args.visitors} visitors, {len(partners)} partners, 1 coordinator, "
        f"{args.duration:g} s on {env['CLUSTER_URL']}/",
        flush=True,
    )
    try:
        phase = run_phase(load, threads, args.duration)
    finally:
        lag.stop()
        cpu.stop()
        print("Starting app server 1 again", flush=True)
        cluster_control.start_app("app1")
    return load, phase, lag, cpu


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
        wait_until_up(server, target.browser(Recorder(), keep_alive=False))
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


def results_of(args, load: SpikeLoad, phase: Phase, lag, cpu, single: Phase | None, practices):
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
        "cpu_cores": cpu.summary(),
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
    load, phase, lag, cpu = cluster_phase(args, env, pages, paths, partners, who, submissions)
    single = None if args.skip_single else single_phase(args, env, pages)
    results = results_of(args, load, phase, lag, cpu, single, practices)
    Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_summary(results, args.output)
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
