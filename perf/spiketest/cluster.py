"""The spike test's side of `make cluster` (deploy/cluster.sh): is it running, its settings
(CLUSTER_DIR/env), one app server stopped and started again, the replica's lag sampled each
second, and the single uncached gunicorn server the cluster is compared with."""

# The subprocesses are this checkout's deploy/cluster.sh and gunicorn, arguments built here.
# ruff: noqa: S603
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster.sh"


def cluster_dir() -> Path:
    return Path(os.environ.get("CLUSTER_DIR") or ROOT / ".cluster")


def read_env(text: str) -> dict[str, str]:
    """KEY=VALUE lines as the shell reads them (`set -a; . env`): values may be quoted."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        parts = shlex.split(value) if value else [""]
        found[name.strip()] = " ".join(parts)
    return found


def cluster(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], cwd=ROOT, check=check, capture_output=True, text=True
    )


def is_running() -> bool:
    status = cluster("status", check=False).stdout
    return bool(status) and "stopped" not in status


def start() -> None:
    print("$ deploy/cluster.sh start", flush=True)
    subprocess.run([str(SCRIPT), "start"], cwd=ROOT, check=True)


def stop() -> None:
    print("$ deploy/cluster.sh stop", flush=True)
    subprocess.run([str(SCRIPT), "stop"], cwd=ROOT, check=True)


def settings() -> dict[str, str]:
    return read_env((cluster_dir() / "env").read_text())


def stop_app(name: str) -> None:
    """gunicorn's graceful stop (SIGTERM): requests in flight end, then it exits."""
    cluster("stop-app", name)


def start_app(name: str) -> None:
    cluster("start-app", name)


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


# -- the replica's lag ------------------------------------------------------------------------


@dataclass
class LagSample:
    at: float  # seconds since the sampler started
    replay_seconds: float | None  # pg_stat_replication.replay_lag on the primary
    replay_bytes: int | None  # WAL written by the primary, not yet replayed by the replica
    behind_seconds: float | None  # on the replica: now() - last replayed commit, if behind


@dataclass
class LagSampler:
    """Once a second, how far the replica is behind: on the primary, pg_stat_replication's
    replay_lag and the bytes of WAL not replayed; on the replica, the age of the last commit
    it replayed while it has WAL left to replay (0 when it has caught up)."""

    primary_url: str
    replica_url: str
    samples: list[LagSample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg2

        try:
            primary = psycopg2.connect(self.primary_url)
            replica = psycopg2.connect(self.replica_url)
        except psycopg2.Error as error:
            self.errors.append(str(error).strip())
            return
        primary.autocommit = replica.autocommit = True
        started = time.monotonic()
        while not self._stop.is_set():
            try:
                self.samples.append(self._sample(primary, replica, time.monotonic() - started))
            except psycopg2.Error as error:
                self.errors.append(str(error).strip())
            self._stop.wait(1.0)
        primary.close()
        replica.close()

    @staticmethod
    def _sample(primary, replica, at: float) -> LagSample:
        with primary.cursor() as cursor:
            cursor.execute(
                "SELECT max(EXTRACT(EPOCH FROM replay_lag)),"
                " max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))"
                " FROM pg_stat_replication"
            )
            replay_seconds, replay_bytes = cursor.fetchone()
        with replica.cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
                " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
            )
            (behind,) = cursor.fetchone()
        return LagSample(
            round(at, 1),
            None if replay_seconds is None else float(replay_seconds),
            None if replay_bytes is None else int(replay_bytes),
            None if behind is None else float(behind),
        )

    def summary(self) -> dict:
        def largest(name: str):
            values = [getattr(s, name) for s in self.samples if getattr(s, name) is not None]
            return round(max(values), 3) if values else None

        return {
            "samples": len(self.samples),
            "max_replay_lag_seconds": largest("replay_seconds"),
            "max_replay_lag_bytes": largest("replay_bytes"),
            "max_replica_behind_seconds": largest("behind_seconds"),
            "errors": self.errors[:5],
        }


# -- the single uncached server ------------------------------------------------------------------


def single_server_env(cluster_env: dict[str, str]) -> dict[str, str]:
    """The app servers' settings without what makes the cluster: no Redis (the database
    cache, shared by the workers), no replica, no page cache."""
    env = {**os.environ, **cluster_env, "PAGE_CACHE_SECONDS": "0", "LOG_LEVEL": "WARNING"}
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL"):
        env.pop(name, None)
    return env


def start_single_server(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen:
    import gunicorn

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "nador_portal.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--timeout=60",
        "--keep-alive=75",
        "--forwarded-allow-ips=127.0.0.1",
        f"--error-logfile={log}",
    ]
    if gunicorn.version_info >= (27,):
        command.append("--no-control-socket")  # ~/.gunicorn/gunicorn.ctl is shared
    print("$", shlex.join(command[1:]), flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=env)
