"""The spike test's verdict, from what the driver recorded (no Django, no network): which
errors were requests in flight on the app server stopped halfway, the share of pages served
from the page cache, the publications' delays, the targets and the checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from perf.loadtest.driver import Sample, percentile

# What a proxy answers, or a client sees, for a request its server dropped while stopping.
IN_FLIGHT_STATUSES = {0, 502, 503, 504}
TARGET_P95_MS = 300
TARGET_RATIO = 10
TARGET_PUBLICATION_SECONDS = 1.0


@dataclass
class Stop:
    """When app server 1 was sent SIGTERM, and when its process was gone (monotonic)."""

    signalled: float
    gone: float


def in_flight_at(sample: Sample, stop: Stop | None) -> bool:
    """Sent before the stopped server had gone, answered (or failed) after it was told to
    stop, with a proxy's or connection's error: a request the stopped server held."""
    if stop is None or sample.ok or sample.status not in IN_FLIGHT_STATUSES:
        return False
    return sample.started <= stop.gone and sample.started + sample.seconds >= stop.signalled


def split_errors(samples: list[Sample], stop: Stop | None) -> tuple[list[Sample], list[Sample]]:
    """(errors of requests in flight on the stopped server, every other error)."""
    errors = [sample for sample in samples if not sample.ok]
    in_flight = [sample for sample in errors if in_flight_at(sample, stop)]
    return in_flight, [sample for sample in errors if not in_flight_at(sample, stop)]


def cache_share(samples: list[Sample]) -> dict:
    """Hits of the portal's shared cache and of nginx's copy (edge), and misses."""
    edge = sum(1 for sample in samples if sample.cache == "edge")
    hits = edge + sum(1 for sample in samples if sample.cache == "hit")
    misses = sum(1 for sample in samples if sample.cache == "miss")
    answered = hits + misses
    return {
        "hits": hits,
        "edge_hits": edge,
        "misses": misses,
        "not_cacheable": sum(1 for s in samples if s.ok and s.cache not in ("hit", "miss", "edge")),
        "hit_share": round(hits / answered, 3) if answered else None,
    }


def cache_share_by_kind(samples: list[Sample], kinds) -> dict:
    return {kind: cache_share([s for s in samples if s.kind == kind]) for kind in kinds}


def public_pages(samples: list[Sample], kinds, seconds: float) -> dict:
    """All the visitors' pages together: count, errors, throughput, percentiles."""
    chosen = [sample for sample in samples if sample.kind in kinds]
    times = sorted(sample.seconds * 1000 for sample in chosen)
    return {
        "requests": len(chosen),
        "errors": sum(1 for sample in chosen if not sample.ok),
        "requests_per_second": round(len(chosen) / seconds, 1) if seconds else None,
        **{f"p{p}_ms": _rounded(percentile(times, p)) for p in (50, 95, 99)},
    }


def _rounded(value):
    return None if value is None else round(value, 1)


@dataclass
class Publication:
    """One practice published by the coordinator, and when each place showed it: seconds
    after the publish's answer, for the practice page and the list (None: never seen),
    counted when the request that showed it was sent; `answered`, when its answer came."""

    slug: str
    through: str
    seen: dict[str, float | None] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)

    @property
    def delay(self) -> float | None:
        if not self.seen or any(value is None for value in self.seen.values()):
            return None
        return max(self.seen.values())


def publications_summary(publications: list[Publication]) -> dict:
    delays = [p.delay for p in publications if p.delay is not None]
    return {
        "checked": len(publications),
        "seen_everywhere": len(delays),
        "max_delay_seconds": round(max(delays), 3) if delays else None,
        "delays_seconds": [None if p.delay is None else round(p.delay, 3) for p in publications],
        "details": [
            {
                "slug": p.slug,
                "published_through": p.through,
                "seen_by_a_request_sent_after_seconds": p.seen,
                "its_answer_after_seconds": p.answered,
            }
            for p in publications
        ],
    }


def failed_checks(results: dict) -> list[str]:
    """The checks that make the run fail (exit status 1); targets only show as missed."""
    cluster = results["cluster"]
    failed = []
    if cluster["errors_beyond_in_flight"]:
        failed.append(f"{cluster['errors_beyond_in_flight']} errors beyond requests in flight")
    saves = cluster["saved_practices_check"]
    if saves["problems"]:
        failed.append(f"{len(saves['problems'])} saves not in the database as saved")
    if not saves["saved_practices"]:
        failed.append("no practice was saved")
    if not cluster["coordinator_signed_in"]:
        failed.append("the coordinator could not sign in with the second factor")
    publications = cluster["publications"]
    if not publications["checked"]:
        failed.append("no practice was published")
    elif publications["seen_everywhere"] < publications["checked"]:
        failed.append("a publication was not seen on every server")
    if not cluster["exports"]:
        failed.append("no export was answered")
    if cluster["stop"] is None:
        failed.append("app server 1 was not stopped halfway")
    return failed


def missed_targets(results: dict) -> list[str]:
    cluster, missed = results["cluster"], []
    # The visitors' errors: a partner's request in flight on the stopped server may fail,
    # and failed_checks() holds that none was half-saved.
    if cluster["public_pages"]["errors"]:
        missed.append(f"0 errors for the visitors (had {cluster['public_pages']['errors']})")
    p95 = cluster["public_pages"]["p95_ms"]
    if p95 is None or p95 > TARGET_P95_MS:
        missed.append(f"public pages p95 <= {TARGET_P95_MS} ms (was {p95})")
    ratio = results.get("throughput_ratio")
    if ratio is not None and ratio < TARGET_RATIO:
        missed.append(f"throughput >= {TARGET_RATIO}x the uncached server (was {ratio}x)")
    delay = cluster["publications"]["max_delay_seconds"]
    if delay is None or delay > TARGET_PUBLICATION_SECONDS:
        missed.append(f"publication visible within {TARGET_PUBLICATION_SECONDS:g} s (was {delay})")
    return missed
