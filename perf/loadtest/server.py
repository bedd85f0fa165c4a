"""The server of `make loadtest` (perf/loadtest/run.py): gunicorn with production settings
(DEBUG off, a SECRET_KEY made for the run, plain http) on a free port of 127.0.0.1, started
when it answers /healthz and stopped at the end."""

# The subprocess is this checkout's gunicorn with arguments built here.
# ruff: noqa: S603
from __future__ import annotations

import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

from perf.loadtest.driver import Browser, Recorder

HOST = "127.0.0.1"
# gunicorn runs from the checkout, as manage.py does.
ROOT = Path(__file__).resolve().parents[2]


def production_env(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "nador_portal.settings",
        "LOG_LEVEL": "WARNING",
        "PERF_TOOLS": "1",  # generate_bench_data
    }
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    import gunicorn

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "nador_portal.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--error-logfile={log}",
    ]
    if gunicorn.version_info >= (27,):
        # gunicorn 27 opens ~/.gunicorn/gunicorn.ctl, shared by every server of the user.
        command.append("--no-control-socket")
    print("$", shlex.join(command[1:]), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_until_up(server, Browser(HOST, port, Recorder(), timeout=5))
    return server


def wait_until_up(server: subprocess.Popen, probe: Browser, seconds: float = 60) -> None:
    """Until gunicorn answers /healthz through `probe`; exit when it stops or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start (exit status {server.returncode}).")
        response = probe.get("start", "/healthz")
        if response is not None and response.status == 200:
            return
        time.sleep(0.3)
    stop(server)
    sys.exit("gunicorn did not answer /healthz within a minute.")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
