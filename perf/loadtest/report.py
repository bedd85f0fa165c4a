"""What `make loadtest` (perf/loadtest/run.py) reports: the machine it ran on, and the
summary printed at the end (per kind of request and overall, then the check of saved
practices); the same figures go to the JSON results file."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        database = cursor.fetchone()[0].split(",")[0]
    return {
        "cpu": _proc_value("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": _proc_value("/proc/meminfo", "MemTotal"),
        "system": platform.platform(),
        "python": platform.python_version(),
        "database": database,
    }


def _proc_value(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def print_table(rows: dict) -> None:
    header = f"{'request':<18}{'count':>8}{'errors':>8}{'req/s':>8}"
    header += f"{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}"
    print(header)
    print("-" * len(header))
    for kind, row in rows.items():
        figures = [row[f"{name}_ms"] for name in ("p50", "p95", "p99", "max")]
        print(
            f"{kind:<18}{row['requests']:>8}{row['errors']:>8}{row['requests_per_second']:>8}"
            + "".join(f"{figure if figure is not None else '-':>10}" for figure in figures)
        )
        for example in row["error_examples"]:
            print(f"{'':<18}  error: {example}")


def print_summary(results: dict, output: str) -> None:
    rows, verification = results["requests"], results["saved_practices_check"]
    worker_timeouts = results["setup"]["gunicorn_worker_timeouts"]
    print()
    print_table(rows)
    print(
        f"\nSaved practices: {verification['saved_practices']}, in the database as saved: "
        f"{verification['found_as_saved']}"
    )
    for problem in verification["problems"]:
        print("  ", problem)
    print(f"gunicorn worker timeouts (a request over 30 s, answered 500): {worker_timeouts}")
    print(f"{'PASSED' if results['passed'] else 'FAILED'}; results in {output}")
