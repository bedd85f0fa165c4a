"""What `make spiketest` prints at the end; the same figures are in the JSON results."""

from __future__ import annotations

from perf.loadtest.report import print_table


def print_summary(results: dict, output: str) -> None:
    setup, cluster = results["setup"], results["cluster"]
    print()
    print(
        f"== Cluster (nginx, 2 app servers, Redis, primary and replica): {setup['practices']} "
        f"practices, {setup['visitors']} visitors, {cluster['seconds']} s, load average "
        f"{cluster['load_average_start_end']}, the driver's CPU "
        f"{cluster['client_cpu_share_of_a_core']} of a core"
    )
    print_table(cluster["requests"])
    public, cache = cluster["public_pages"], cluster["page_cache"]
    print(
        f"\nPublic pages: {public['requests']} ({public['requests_per_second']}/s), "
        f"p50 {public['p50_ms']} ms, p95 {public['p95_ms']} ms, p99 {public['p99_ms']} ms, "
        f"{public['errors']} errors; page cache hits {cache['hits']} "
        f"(of which nginx's copy {cache.get('edge_hits', 0)}), misses {cache['misses']} "
        f"(hit share {cache['hit_share']})"
    )
    stop = cluster["stop"]
    if stop:
        print(
            f"App server 1 stopped after {stop['after_seconds']} s (gone in "
            f"{stop['graceful_seconds']} s): errors of requests in flight on it "
            f"{cluster['errors_in_flight_on_stopped_server']}, other errors "
            f"{cluster['errors_beyond_in_flight']}"
        )
    for example in cluster["error_examples"]:
        print("   ", example)
    saves = cluster["saved_practices_check"]
    print(
        f"Saved practices: {saves['saved_practices']}, in the database as saved: "
        f"{saves['found_as_saved']} (creations left unanswered: {saves['unanswered_creates']})"
    )
    for problem in saves["problems"]:
        print("   ", problem)
    publications = cluster["publications"]
    print(
        f"Publications checked: {publications['checked']}, seen on every server: "
        f"{publications['seen_everywhere']}, delays (s) {publications['delays_seconds']}, "
        f"max {publications['max_delay_seconds']}"
    )
    print(f"Coordinator signed in with a TOTP code: {cluster['coordinator_signed_in']}")
    lag = cluster["replica_lag"]
    print(
        f"Replica lag, sampled each second ({lag['samples']}): max replay_lag "
        f"{lag['max_replay_lag_seconds']} s, max {lag['max_replay_lag_bytes']} bytes behind, "
        f"max {lag['max_replica_behind_seconds']} s behind its last replayed commit"
    )
    cpu = cluster.get("cpu_cores")
    if cpu:
        roles = ", ".join(f"{role} {cores}" for role, cores in cpu["by_role"].items())
        print(
            f"CPU, mean cores used over {cpu['seconds']} s: {roles}, anything else "
            f"{cpu['other']}; the machine {cpu['machine']} of its {cpu['cores']}"
        )
    single = results.get("single_server")
    if single:
        print(
            f"\n== One gunicorn server, no page cache, no Redis, primary only: "
            f"{single['seconds']} s, load average {single['load_average_start_end']}"
        )
        print_table(single["requests"])
        base = single["public_pages"]
        print(
            f"\nPublic pages: {base['requests']} ({base['requests_per_second']}/s), p95 "
            f"{base['p95_ms']} ms, {base['errors']} errors. Throughput ratio, cluster / "
            f"single: {results['throughput_ratio']}x"
        )
    print()
    for target in results["missed_targets"]:
        print("Target missed:", target)
    for failure in results["failed_checks"]:
        print("Check failed:", failure)
    print(f"{'PASSED' if results['passed'] else 'FAILED'}; results in {output}")
