"""Who does what during the spike (perf/spiketest/run.py): the visitors, the coordinator who
publishes and looks for the publication on every server, the coordinator's exports, the
stop of app server 1 halfway, and the warm-up. Partners are the load test's own
(perf/loadtest/run.py: partner)."""

# Seeded pseudo-random choices of pages, not secrets.
# ruff: noqa: S311
from __future__ import annotations

import itertools
import random
import ssl
import threading
import time
from dataclasses import dataclass, field

from perf.loadtest.driver import Browser, Recorder, read_form
from perf.loadtest.run import EXPORTS, Load, log_in
from perf.spiketest import checks
from perf.spiketest import cluster as cluster_control
from perf.spiketest.mix import PageSet, pause
from perf.spiketest.prepare import Coordinator
from perf.spiketest.totp import code as totp_code

TWO_FACTOR = "/en/accounts/two-factor/"
REVIEW = "/en/review/"
# Look for a publication this long before saying it was never seen.
SEEN_WITHIN = 10.0
POLL_SECONDS = 0.02
# The coordinator publishes through app server 1 directly until this long before its stop.
DIRECT_UNTIL_STOP = 4.0


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
