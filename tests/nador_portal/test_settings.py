import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from nador_portal.env import env_bool, env_int, env_list


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_a_malformed_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_a_malformed_number_fails_loudly(monkeypatch):
    monkeypatch.setenv("NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def _check_deploy(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = _check_deploy(DEBUG="0")
    assert result.returncode != 0
    assert "nador_portal.E001" in result.stderr


def test_a_malformed_setting_stops_the_process():
    result = _check_deploy(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_an_unknown_time_zone_stops_the_process():
    result = _check_deploy(DEBUG="1", TIME_ZONE="Mars/Olympus")
    assert result.returncode != 0
    assert "TIME_ZONE" in result.stderr
