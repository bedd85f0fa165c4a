"""Production settings, each read by a fresh process from a production-like environment."""

import os
import subprocess
import sys

import pytest

from nador_portal.checks import LOCAL_HOSTS

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k9V2-long-random-production-key-with-enough-entropy-4f7a1c9e2b8d6",
    "ALLOWED_HOSTS": "portal.example.org",
}
# Variables of the surrounding shell (or set by tests/browser) kept out of the production process.
OUTSIDE_VARIABLES = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in OUTSIDE_VARIABLES}
    environment.update(env)
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args], env=environment, capture_output=True, text=True, timeout=60
    )


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    return _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **env)


def _setting(name: str, **env: str) -> str:
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = _run("-c", code, DJANGO_SETTINGS_MODULE="nador_portal.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_deployment_check_passes_with_production_settings():
    result = _check_deploy(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_passes_with_hsts_preload_opted_in():
    result = _check_deploy(
        **PRODUCTION, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1"
    )
    assert result.returncode == 0, result.stderr


def test_turning_hsts_off_fails_the_deployment_check():
    result = _check_deploy(**PRODUCTION, SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize("secret_key", ["", None], ids=["empty", "development default"])
def test_production_refuses_an_empty_or_default_secret_key(secret_key):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    result = _check_deploy(**env)
    assert result.returncode != 0
    assert "nador_portal.E001" in result.stderr


def test_the_wsgi_application_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _run("-c", "import nador_portal.wsgi", **env)
    assert result.returncode != 0
    assert "nador_portal.E001" in result.stderr


@pytest.mark.parametrize("hosts", ["portal.example.org", "*", "localhost,0.0.0.0"])
def test_debug_on_a_public_host_is_refused(hosts):
    result = _run("manage.py", "check", DEBUG="1", ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "nador_portal.E002" in result.stderr


def test_the_wsgi_application_refuses_to_start_with_debug_on_a_public_host():
    result = _run("-c", "import nador_portal.wsgi", DEBUG="1", ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "nador_portal.E002" in result.stderr


def test_debug_on_local_hosts_is_allowed():
    result = _run("manage.py", "check", DEBUG="1", ALLOWED_HOSTS=",".join(LOCAL_HOSTS))
    assert result.returncode == 0, result.stderr


def test_production_cookies_are_secure_and_sessions_expire_when_idle():
    assert _setting("SESSION_COOKIE_SECURE", **PRODUCTION) == "True"
    assert _setting("CSRF_COOKIE_SECURE", **PRODUCTION) == "True"
    assert _setting("SESSION_SAVE_EVERY_REQUEST", **PRODUCTION) == "True"
    assert _setting("SESSION_COOKIE_AGE", **PRODUCTION, SESSION_COOKIE_AGE="900") == "900"


def test_the_proxy_ssl_header_is_trusted_only_when_asked():
    assert _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION) == "None"
    trusted = _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION, SECURE_PROXY_SSL_HEADER="1")
    assert trusted == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_the_https_redirect_can_be_left_to_the_proxy():
    assert _setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
    assert _setting("SECURE_SSL_REDIRECT", **PRODUCTION, SECURE_SSL_REDIRECT="0") == "False"


def test_redis_url_selects_djangos_redis_cache():
    backend = _setting(
        "CACHES['default']['BACKEND']", **PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/1"
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_production_without_redis_shares_the_database_cache():
    backend = _setting("CACHES['default']['BACKEND']", **PRODUCTION)
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_the_static_files_are_compressed_and_hashed_in_production():
    backend = _setting("STORAGES['staticfiles']['BACKEND']", **PRODUCTION)
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_a_silent_postgresql_server_fails_fast():
    timeout = _setting(
        "DATABASES['default']['OPTIONS']['connect_timeout']",
        **PRODUCTION,
        DATABASE_URL="postgres://nador@db.example.org:5432/nador",
    )
    assert timeout == "5"


@pytest.mark.parametrize(
    "secret_key",
    ["short-key", "a" * 60, "ab" * 40, "django-insecure-" + "x7Kq9" * 10],
    ids=["short", "one character", "two characters", "django-insecure prefix"],
)
def test_production_refuses_a_short_or_low_entropy_secret_key(secret_key):
    result = _check_deploy(**{**PRODUCTION, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "nador_portal.E003" in result.stderr
    assert _run(
        "-c", "import nador_portal.wsgi", **{**PRODUCTION, "SECRET_KEY": secret_key}
    ).returncode


def test_a_generated_secret_key_passes():
    result = _check_deploy(**{**PRODUCTION, "SECRET_KEY": "Zp4" + "q8W-rT2_nY6" * 5})
    assert "nador_portal.E003" not in result.stderr


def test_the_wsgi_application_loads_every_view_then_keeps_it_out_of_the_collector():
    # nador_portal/collector.py: a full collection no longer walks what the worker loaded.
    script = (
        "import gc, sys, nador_portal.wsgi\n"
        "print(gc.get_freeze_count(), 'practices.views' in sys.modules)"
    )
    result = _run("-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000
    assert views_loaded == "True"
