"""The project as the guard tests see it: every URL pattern, and every row of its tables."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
            else:
                yield route, route  # unnamed: its route is its key


def all_patterns() -> dict[str, str]:
    """Key (the qualified name, or the route of an unnamed pattern) -> route."""
    found: dict[str, str] = {}
    for key, route in _walk(get_resolver().url_patterns):
        found.setdefault(key, route)  # a later pattern of the same name is shadowed
    return found


def is_admin(key: str) -> bool:
    return key.startswith("admin:") or key.startswith(settings.ADMIN_URL)


SKIPPED_IN_STATE = {"sessions", "axes", "contenttypes"}


def database_state() -> dict:
    """Every row of the project's tables (sessions and sign-in attempts aside)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED_IN_STATE or model._meta.proxy:
            continue
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


# --- The access matrix's requests (tests/test_access_matrix.py) ------------------------

LOGIN = "login"  # 302 to the sign-in page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's sign-in page
CSRF_TOKEN = "matrixmatrixmatrixmatrixmatrix12"  # 32 characters, as Django's secret


def outcome_of(response, admin: bool = False) -> Any:
    if response.status_code == 302:
        location = response["Location"]
        login = reverse("admin:login") if admin else resolve_url(settings.LOGIN_URL)
        if location.split("?")[0] == login:
            return ADMIN_LOGIN if admin else LOGIN
    return response.status_code


POST_DATA = {"csrfmiddlewaretoken": CSRF_TOKEN, "comment": "Please add the dates."}


def request(client: Client, method: str, url: str, admin: bool = False):
    """One request, rolled back: returns (outcome, database changed?)."""
    with transaction.atomic():
        before = database_state() if method == "post" else None
        response = client.get(url) if method == "get" else client.post(url, POST_DATA)
        changed = method == "post" and database_state() != before
        transaction.set_rollback(True)
    return outcome_of(response, admin), changed


def check(client, persona, method, url, expected, admin=False) -> list[str]:
    outcome, changed = request(client, method, url, admin)
    problems = []
    if outcome != expected:
        problems.append(f"{method.upper()} {url} as {persona}: {outcome}, expected {expected}")
    if changed and expected != 302:
        problems.append(f"{method.upper()} {url} as {persona} was refused but changed data")
    return problems
