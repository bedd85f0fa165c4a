"""The project as the guard tests see it: every URL pattern, and every row of its tables."""

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver


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
