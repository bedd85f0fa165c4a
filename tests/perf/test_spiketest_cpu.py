"""The spike test's CPU sampler (perf/spiketest/cpu.py), on real processes: the cores a
role's process tree used, its ended children counted once, and the pid files it reads."""

import os
import subprocess
import sys

from perf.spiketest.cpu import CpuSampler, cluster_roots, read_pid

BURN = "import time\nwhile time.process_time() < 1.0: pass"
# The role's root: it runs the burner, reaps it, then waits a little.
ROOT = (
    "import subprocess, sys, time\n"
    f"subprocess.run([sys.executable, '-c', {BURN!r}])\n"
    "time.sleep(0.6)"
)


def test_a_roles_cpu_counts_its_ended_children_once_and_an_idle_role_none(tmp_path):
    # Once reaped, the burner's ticks also show in its root's children's ticks.
    busy = subprocess.Popen([sys.executable, "-c", ROOT])  # noqa: S603
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    try:
        sampler = CpuSampler(lambda: {busy.pid: "busy", idle.pid: "idle"}, every=0.2)
        sampler.start()
        busy.wait(timeout=30)
        sampler.stop()
    finally:
        idle.kill()
        idle.wait()
    hertz = os.sysconf("SC_CLK_TCK")
    # One CPU second burnt (plus the interpreter's start), not two.
    assert 0.9 <= sampler.ticks["busy"] / hertz <= 1.4
    assert sampler.ticks.get("idle", 0) / hertz < 0.05
    summary = sampler.summary()
    assert summary["by_role"]["busy"] > 0.3
    assert summary["machine"] >= summary["by_role"]["busy"]


def test_a_sampler_never_started_reports_nothing():
    assert CpuSampler(dict).summary() == {}


def test_the_cluster_roles_come_from_its_pid_files(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "pg" / "primary").mkdir(parents=True)
    (tmp_path / "run" / "app2.pid").write_text("4242\n")
    # postmaster.pid: the pid, then the data directory and more, one per line.
    (tmp_path / "pg" / "primary" / "postmaster.pid").write_text("777\n/data\n1700000000\n")
    (tmp_path / "run" / "nginx.pid").write_text("not a pid\n")
    roots = cluster_roots(tmp_path, driver=99)()
    assert roots == {99: "the test's driver", 4242: "app servers", 777: "PostgreSQL primary"}
    assert read_pid(tmp_path / "missing.pid") is None
