"""Where the machine's CPU goes during a phase of the spike test: the cores used by each
part of the cluster (app servers, PostgreSQL, Redis, nginx, the test's own driver), read
from /proc every few seconds.

A spike on a small machine is bound by its cores long before any part runs out of
anything else; these figures say which part takes them, so that a missed target can be
told apart from a slow page. Linux only: elsewhere the sampler reports nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def read_pid(pid_file: Path) -> int | None:
    """The process id on the first line of a pid file (postmaster.pid's too), if any."""
    try:
        first = pid_file.read_text().split("\n", 1)[0].strip()
    except OSError:
        return None
    return int(first) if first.isdigit() else None


def processes() -> dict[int, tuple[int, int, int]]:
    """{pid: (parent pid, its own CPU ticks, its reaped children's ticks)} of every process."""
    found = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        # The command's name may hold spaces and parentheses: the fields follow the last ")".
        fields = text[text.rindex(")") + 2 :].split()
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        found[int(entry.name)] = (int(fields[1]), utime + stime, cutime + cstime)
    return found


def machine_busy_ticks() -> int:
    """The ticks all cores spent on anything but idling or waiting, from /proc/stat."""
    values = [int(v) for v in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return user + nice + system + irq + softirq + steal


@dataclass
class CpuSampler:
    """Every `every` seconds, the CPU ticks of each role's processes: a role is the process
    trees under the pids that `roots()` names (read again at each sample, so an app server
    restarted midway is followed). A process's ticks since the last sample count for the
    role it is under now; a root's reaped children (PostgreSQL's backends, gunicorn's
    workers) count through its children's ticks."""

    roots: Callable[[], dict[int, str]]
    every: float = 2.0
    seconds: float = 0.0
    ticks: dict[str, int] = field(default_factory=dict)
    machine_ticks: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _last: dict[int, int] = field(default_factory=dict)
    _table: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    _began: float = 0.0  # time.monotonic() at start()
    _machine: int = 0  # the machine's busy ticks at start()

    def start(self) -> None:
        if not (PROC / "stat").exists():
            return
        self._began, self._machine = time.monotonic(), machine_busy_ticks()
        self._table = processes()
        self._last = self._totals(self._table)[0]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=10)
        self.sample()
        self.seconds = time.monotonic() - self._began
        self.machine_ticks = machine_busy_ticks() - self._machine

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def _totals(self, table: dict) -> tuple[dict[int, int], dict[int, str]]:
        roots = self.roots()
        totals = {pid: own + (pid in roots and reaped) for pid, (_, own, reaped) in table.items()}
        return totals, roots

    def sample(self) -> None:
        table = processes()
        totals, roots = self._totals(table)
        for pid, total in totals.items():
            role = _role(pid, table, roots)
            if role is None:
                continue
            # A pid first seen now started since the last sample: all its ticks are new.
            spent = total - self._last.get(pid, 0)
            self.ticks[role] = self.ticks.get(role, 0) + max(spent, 0)
        # A root's child that ended was reaped: its whole life is now in the root's
        # children's ticks, and the part counted from its own must not count twice.
        for pid, (parent, _, _) in self._table.items():
            if pid not in table and parent in roots:
                role = roots[parent]
                self.ticks[role] = self.ticks.get(role, 0) - self._last.get(pid, 0)
        self._last, self._table = totals, table

    def summary(self, cores: int | None = None) -> dict:
        """Mean cores used over the phase by each role, by everything else, and in all."""
        if not self.seconds:
            return {}
        hertz = os.sysconf("SC_CLK_TCK")

        def in_cores(ticks: int) -> float:
            return round(ticks / hertz / self.seconds, 2)

        roles = {role: in_cores(ticks) for role, ticks in sorted(self.ticks.items())}
        machine = in_cores(self.machine_ticks)
        return {
            "seconds": round(self.seconds, 1),
            "cores": cores or os.cpu_count(),
            "by_role": roles,
            "other": round(max(machine - sum(roles.values()), 0.0), 2),
            "machine": machine,
        }


def _role(pid: int, table: dict, roots: dict[int, str]) -> str | None:
    seen = 0
    while pid and seen < 64:  # a process tree is never this deep; a loop in /proc would be
        if pid in roots:
            return roots[pid]
        entry = table.get(pid)
        if entry is None:
            return None
        pid, seen = entry[0], seen + 1
    return None


def cluster_roots(cluster_dir: Path, driver: int) -> Callable[[], dict[int, str]]:
    """The roots of the cluster's roles, from the pid files `deploy/cluster.sh` writes."""
    run, pg = cluster_dir / "run", cluster_dir / "pg"
    files = {
        "app servers": [run / "app1.pid", run / "app2.pid"],
        "PostgreSQL primary": [pg / "primary" / "postmaster.pid"],
        "PostgreSQL replica": [pg / "replica" / "postmaster.pid"],
        "Redis": [run / "redis.pid"],
        "nginx": [run / "nginx.pid"],
    }

    def roots() -> dict[int, str]:
        found = {driver: "the test's driver"}
        for role, paths in files.items():
            for path in paths:
                pid = read_pid(path)
                if pid is not None:
                    found[pid] = role
        return found

    return roots
