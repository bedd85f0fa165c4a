"""The spike test's own logic (make spiketest), without a cluster: the visitors' mix, the
coordinator's TOTP code, which errors were in flight on the stopped server, the summary's
checks and targets, and the check of creations whose answer was lost."""

import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from perf.loadtest.driver import Browser, Recorder, Sample
from perf.loadtest.run import Load
from perf.loadtest.verify import SavedPractice
from perf.spiketest import checks, paths
from perf.spiketest.cluster import read_env, single_server_env
from perf.spiketest.mix import VISITOR_MIX, PageSet, pause, popularity_weights
from perf.spiketest.run import unanswered_creations
from perf.spiketest.totp import code
from tests.conftest import make_practice


def pages() -> PageSet:
    paths = {kind: [f"/{kind}/{n}/" for n in range(50)] for kind in VISITOR_MIX}
    return PageSet.of(paths)


# -- the mix ----------------------------------------------------------------------------------


def test_every_kind_of_page_is_asked_for_about_as_often_as_its_weight():
    rng, page_set = random.Random(1), pages()
    counted = Counter(page_set.next_page(rng)[0] for _ in range(20_000))
    total = sum(VISITOR_MIX.values())
    for kind, weight in VISITOR_MIX.items():
        assert counted[kind] / 20_000 == pytest.approx(weight / total, abs=0.015)


def test_the_popular_pages_of_a_kind_are_asked_for_more_often():
    rng, page_set = random.Random(2), pages()
    counted = Counter(page_set.pick("practice", rng) for _ in range(20_000))
    first, tenth, last = (counted[f"/practice/{n}/"] for n in (0, 9, 49))
    assert first > 5 * tenth > 0
    assert tenth > last
    assert popularity_weights(3) == pytest.approx([1, 1.5, 1.5 + 1 / 3])


def test_each_visit_lands_on_a_link_of_the_article_then_reads_a_few_pages():
    rng, page_set = random.Random(4), pages()
    links = {("practice", "/practice/0/"), ("filter", "/filter/0/"), ("theme", "/theme/0/")}
    assert set(page_set.landing()) == links
    visits = [page_set.visit(rng) for _ in range(2000)]
    assert all(visit[0] in links for visit in visits)
    assert {len(visit) for visit in visits} == {1, 2, 3, 4, 5}
    requests = [page for visit in visits for page in visit]
    share = sum(page in links for page in requests) / len(requests)
    assert 0.3 < share < 0.5


def test_a_kind_without_any_page_is_refused_before_the_run():
    paths = {kind: ["/"] for kind in VISITOR_MIX} | {"feed": []}
    with pytest.raises(ValueError, match="feed"):
        PageSet.of(paths)


def test_a_visitor_pauses_around_the_mean_or_not_at_all():
    rng = random.Random(3)
    pauses = [pause(rng, 1.0) for _ in range(5000)]
    assert min(pauses) >= 0 and max(pauses) <= 2
    assert sum(pauses) / len(pauses) == pytest.approx(1.0, abs=0.05)
    assert pause(rng, 0) == 0


# -- the second factor ----------------------------------------------------------------------------


def test_the_code_is_the_rfc_6238_one():
    # RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", 8 digits.
    key = b"12345678901234567890".hex()
    assert code(key, at=59, digits=8) == "94287082"
    assert code(key, at=1111111109, digits=8) == "07081804"
    assert code(key, at=20000000000, digits=8) == "65353130"


def test_the_code_is_the_one_django_otp_expects_from_the_device():
    device = TOTPDevice(key="3132333435363738393031323334353637383930")
    now = time.time()
    assert code(device.key, at=now) == f"{totp(device.bin_key, t0=0, step=30, digits=6):06d}"


def test_a_coordinator_signs_in_with_the_code_computed_from_the_device_secret(coordinator):
    from tests.conftest import PASSWORD

    device = TOTPDevice.objects.create(user=coordinator, name="Run", confirmed=True)
    client = Client()
    client.post("/en/accounts/login/", {"username": "coordinator", "password": PASSWORD})
    response = client.post("/en/accounts/two-factor/", {"code": code(device.key)})
    assert response.status_code == 302
    assert client.get("/en/review/").status_code == 200


# -- errors and the stopped server ---------------------------------------------------------------


STOP = checks.Stop(signalled=100.0, gone=103.0)


@pytest.mark.parametrize(
    ("sample", "in_flight"),
    [
        (Sample("list", 2.0, 502, "unexpected status", started=99.0), True),
        (Sample("list", 0.5, 0, "RemoteDisconnected", started=102.0), True),
        (Sample("list", 0.5, 502, "unexpected status", started=104.0), False),  # after
        (Sample("list", 0.5, 502, "unexpected status", started=90.0), False),  # before
        (Sample("list", 2.0, 500, "unexpected status", started=99.0), False),  # the app's
        (Sample("list", 2.0, 200, "", started=99.0), False),
    ],
)
def test_only_gateway_errors_of_requests_held_by_the_stopping_server_are_in_flight(
    sample, in_flight
):
    assert checks.in_flight_at(sample, STOP) is in_flight
    assert checks.in_flight_at(sample, None) is False


def test_errors_are_split_and_the_cache_share_counts_hits_of_both_caches_and_misses():
    samples = [
        Sample("list", 2.0, 502, "unexpected status", 99.0),
        Sample("list", 0.1, 404, "unexpected status", 50.0),
        Sample("home", 0.1, 200, "", 1.0, "hit"),
        Sample("home", 0.1, 200, "", 1.0, "hit"),
        Sample("home", 0.1, 200, "", 1.0, "edge"),
        Sample("feed", 0.1, 200, "", 1.0, "miss"),
        Sample("list", 0.1, 200, "", 1.0, "none"),
    ]
    in_flight, beyond = checks.split_errors(samples, STOP)
    assert [s.status for s in in_flight] == [502]
    assert [s.status for s in beyond] == [404]
    assert checks.cache_share(samples) == {
        "hits": 3,
        "edge_hits": 1,
        "misses": 1,
        "not_cacheable": 1,
        "hit_share": 0.75,
    }


def test_the_public_pages_row_counts_only_the_visitors_kinds():
    samples = [Sample("home", n / 1000, 200) for n in range(1, 101)]
    samples.append(Sample("practice edit", 9.0, 302))
    row = checks.public_pages(samples, ("home",), seconds=10)
    assert row == {
        "requests": 100,
        "errors": 0,
        "requests_per_second": 10.0,
        "p50_ms": 50.0,
        "p95_ms": 95.0,
        "p99_ms": 99.0,
    }


# -- the verdict -------------------------------------------------------------------------------


def publication(*delays) -> checks.Publication:
    return checks.Publication("p", "app1", {f"place {n}": d for n, d in enumerate(delays)})


def results(**cluster_changes) -> dict:
    cluster = {
        "errors_beyond_in_flight": 0,
        "saved_practices_check": {"saved_practices": 5, "found_as_saved": 5, "problems": []},
        "coordinator_signed_in": True,
        "publications": checks.publications_summary([publication(0.05, 0.2)]),
        "exports": 3,
        "stop": {"after_seconds": 30, "graceful_seconds": 0.5},
        "requests": {"overall": {"errors": 0}},
        "public_pages": {"p95_ms": 120.0, "errors": 0},
    }
    return {"cluster": cluster | cluster_changes, "throughput_ratio": 12.0}


def test_a_clean_run_passes_and_meets_its_targets():
    assert checks.failed_checks(results()) == []
    assert checks.missed_targets(results()) == []


def test_a_publication_is_seen_when_every_place_showed_it():
    assert publication(0.1, 0.4).delay == 0.4
    assert publication(0.1, None).delay is None
    summary = checks.publications_summary([publication(0.1, 0.4), publication(None, 0.2)])
    assert summary["checked"] == 2
    assert summary["seen_everywhere"] == 1
    assert summary["max_delay_seconds"] == 0.4
    assert summary["delays_seconds"] == [0.4, None]


@pytest.mark.parametrize(
    ("changes", "failure"),
    [
        ({"errors_beyond_in_flight": 2}, "2 errors beyond requests in flight"),
        (
            {"saved_practices_check": {"saved_practices": 5, "problems": ["x: not there"]}},
            "1 saves not in the database as saved",
        ),
        ({"coordinator_signed_in": False}, "the coordinator could not sign in"),
        (
            {"publications": checks.publications_summary([publication(0.1, None)])},
            "a publication was not seen on every server",
        ),
        ({"exports": 0}, "no export was answered"),
        ({"stop": None}, "app server 1 was not stopped halfway"),
    ],
)
def test_each_failed_check_fails_the_run(changes, failure):
    failed = checks.failed_checks(results(**changes))
    assert len(failed) == 1 and failed[0].startswith(failure)


def test_a_partners_request_in_flight_on_the_stopped_server_misses_no_target():
    """No visitor error beyond requests in flight on the stopped server."""
    run = results(requests={"overall": {"errors": 1}}, errors_in_flight_on_stopped_server=1)
    assert checks.missed_targets(run) == []


def test_missed_targets_are_reported_without_failing_the_run():
    run = results(public_pages={"p95_ms": 450.0, "errors": 1}, requests={"overall": {"errors": 3}})
    run["throughput_ratio"] = 6.5
    run["cluster"]["publications"] = checks.publications_summary([publication(1.4)])
    assert checks.failed_checks(run) == []
    assert checks.missed_targets(run) == [
        "0 errors for the visitors (had 1)",
        "public pages p95 <= 300 ms (was 450.0)",
        "throughput >= 10x the uncached server (was 6.5x)",
        "publication visible within 1 s (was 1.4)",
    ]


# -- verification, settings ----------------------------------------------------------------------


def test_an_unanswered_creation_found_in_part_is_reported(asticude):
    load = Load(port=1, deadline=0, run_id="abc")
    whole = SavedPractice("", "Spike whole", "Summary", str(asticude.pk), {})
    partial = SavedPractice("", "Spike partial", "Summary", str(asticude.pk), {})
    never = SavedPractice("", "Spike never saved", "Summary", str(asticude.pk), {})
    load.unanswered_new += [whole, partial, never]
    make_practice(asticude, "Spike whole", summary="Summary")
    make_practice(asticude, "Spike partial", summary="Another summary")
    assert unanswered_creations(load) == ["spike-partial: an unanswered creation, saved in part"]


def test_the_cluster_env_file_is_read_as_the_shell_reads_it():
    text = 'DEBUG=0\n# a comment\nCLUSTER_APP_URLS="http://a:1 http://b:2"\nEMPTY=\n'
    assert read_env(text) == {
        "DEBUG": "0",
        "CLUSTER_APP_URLS": "http://a:1 http://b:2",
        "EMPTY": "",
    }


def test_the_single_server_has_no_page_cache_no_redis_and_no_replica():
    env = single_server_env(
        {"REDIS_URL": "redis://x", "DATABASE_REPLICA_URL": "postgres://r", "DEBUG": "0"}
    )
    assert env["PAGE_CACHE_SECONDS"] == "0"
    assert "REDIS_URL" not in env and "DATABASE_REPLICA_URL" not in env
    assert env["DEBUG"] == "0"


# -- the driver's kept-alive connections ---------------------------------------------------------


class OneRequestPerConnection(BaseHTTPRequestHandler):
    """Answers as if the connection stayed open, then closes it: a server's idle timeout."""

    protocol_version = "HTTP/1.1"
    connections: set = set()

    def handle(self):
        type(self).connections.add(self.client_address)
        self.handle_one_request()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.send_header("X-Page-Cache", "hit")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def closing_server():
    OneRequestPerConnection.connections = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), OneRequestPerConnection)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_get_on_a_connection_the_server_closed_is_sent_again_on_a_new_one(closing_server):
    recorder = Recorder()
    browser = Browser("127.0.0.1", closing_server.server_port, recorder, keep_alive=True)
    assert browser.get("home", "/").status == 200
    time.sleep(0.1)  # the server has closed the kept connection meanwhile
    assert browser.get("home", "/").status == 200
    assert [(s.ok, s.cache) for s in recorder.samples] == [(True, "hit"), (True, "hit")]
    assert len(OneRequestPerConnection.connections) == 2


def test_a_form_is_never_sent_twice_when_its_kept_connection_was_closed(closing_server):
    recorder = Recorder()
    browser = Browser("127.0.0.1", closing_server.server_port, recorder, keep_alive=True)
    browser.get("home", "/")
    time.sleep(0.1)
    assert browser.post("save", "/", [("title", "T")]) is None
    assert recorder.samples[-1].status == 0 and not recorder.samples[-1].ok
    assert len(OneRequestPerConnection.connections) == 1


@pytest.mark.django_db
def test_the_coordinators_open_data_selections_are_all_within_the_download_cap(
    asticude, theme, settings
):
    """A selection over OPEN_DATA_MAX_ROWS is refused with a 400, by design: the run would
    count it as an error, so the test asks only for selections the portal gives."""
    settings.OPEN_DATA_MAX_ROWS = 2
    for number in range(3):
        make_practice(asticude, f"Moroccan {number}", country="MA").themes.add(theme)
    make_practice(asticude, "Spanish", country="ES").themes.add(theme)
    choices = {"country": ["MA", "ES"], "target_group": []}
    found = paths.open_data_selections(random.Random(1), choices, [theme.slug], wanted=5)
    assert found and all("country=ES" in query for query in found)
