"""Anonymous visitors' pages from the shared cache (Redis, or the database cache).

When an article or the Migration Week sends visitors all at once, every anonymous page was
rebuilt for every one of them. Now a public page is built once per URL (the language is in
the URL, and in the key for the few pages outside the language prefix) and served from the
cache to every anonymous visitor until the content changes.

Correctness first:
- Keys carry a version; any save, deletion or link change of a record of CONTENT_APPS that a
  public page can show, and any bulk import, moves the version, so the next visitor gets a
  fresh page. A reviewed record (or a part of one: indicators, roles, files...) that is not
  published and was not published when read cannot change a public page: partners' drafts
  leave the cache alone, so a busy workspace does not empty it for every visitor. The version
  moves at the first write of a transaction (a page built meanwhile is not kept past the
  commit) and again after the commit. The timeout only frees memory.
- Only anonymous requests are served from it: a request with a session or a message
  cookie is a signed-in or just-redirected visitor, and always gets a fresh page.
- Only pages that hold nothing personal are stored: a response that set a cookie, used the
  CSRF token (a form), varies on the cookie, is private, no-store or streamed is not.
- A burst of requests for one missing page builds it once: the first takes a lock
  (cache.add), the others wait a moment for its result.

PAGE_CACHE_SECONDS = 0 turns it off. The version also keys the facet counts of the list
(search/counts.py, FACET_CACHE_SECONDS).
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from simple_history.models import HistoricalChanges

#: Apps whose records the public pages show.
CONTENT_APPS = {"practices", "stakeholders", "events", "attachments", "contact"}
VERSION_KEY = "pages:version"
#: How long a request waits for another worker building the same page before building it.
WAIT_SECONDS = 5.0
LOCK_SECONDS = 30
SKIPPED_PREFIXES = ("/api/", "/static/", "/media/", "/healthz")


def version() -> int:
    found = cache.get(VERSION_KEY)
    if found is None:
        # A new cache (or one that lost the key): start where no old entry can be.
        cache.add(VERSION_KEY, time.time_ns(), None)
        found = cache.get(VERSION_KEY, 0)
    return found


def versioned() -> bool:
    """Whether anything is cached under the content's version: the pages, or the facet
    counts (search/counts.py). Without either, writes do not move it."""
    return settings.PAGE_CACHE_SECONDS > 0 or settings.FACET_CACHE_SECONDS > 0


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


@functools.cache
def _publishable_parents(model) -> list:
    from publishing.workflow import Publishable

    return [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and issubclass(field.related_model, Publishable)
    ]


def can_show(record) -> bool:
    """Whether a public page can show `record`, before or after its change. History rows
    are never public (their record's own save moves the version); any record without a
    workflow of its own or of its parent is shown where it is used."""
    from publishing.workflow import Publishable

    if isinstance(record, HistoricalChanges):
        return False
    if isinstance(record, Publishable):
        return record.is_or_was_published
    parents = [
        field for field in _publishable_parents(type(record)) if getattr(record, field.attname)
    ]
    if not parents or not all(field.is_cached(record) for field in parents):
        return True  # no parent, or one not in memory: no query to spare a version
    return any(field.get_cached_value(record).is_or_was_published for field in parents)


def changed(sender, **kwargs) -> None:
    """A record the pages show was written: a new version now and after the commit."""
    if kwargs.get("raw") or sender._meta.app_label not in CONTENT_APPS:
        return
    if sender.__module__ == "__fake__":
        return  # a data migration: no page is served from a database being migrated
    if not versioned():
        return
    if not can_show(kwargs["instance"]):
        return
    using = kwargs.get("using") or "default"
    connection = connections[using]
    if connection.in_atomic_block and any(entry[1] is bump for entry in connection.run_on_commit):
        return  # this transaction moves it already
    bump()
    transaction.on_commit(bump, using=using)


def connect() -> None:
    post_save.connect(changed, dispatch_uid="page-cache-save")
    post_delete.connect(changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(changed, dispatch_uid="page-cache-m2m")
    from reports.signals import sources_written

    sources_written.connect(
        lambda sender=None, **kwargs: bump(), weak=False, dispatch_uid="page-cache-bulk"
    )


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and _anonymous(request)
        and not request.path.startswith(SKIPPED_PREFIXES)
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


def _cacheable_response(request, response) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "cookie" not in response.get("Vary", "").lower()
        and "private" not in control
        and "no-store" not in control
    )


def _key(request) -> str:
    return f"pages:{version()}:{translation.get_language()}:{request.get_full_path()}"


def _stored(response) -> dict:
    return {
        "content": response.content,
        "status": response.status_code,
        "headers": dict(response.headers),
    }


def _restored(entry: dict, request) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    _for_the_proxy(response)
    if request.method == "HEAD":
        response.content = b""
    return response


def _for_the_proxy(response) -> None:
    """Only a page this cache holds may be kept by the proxy in front, and only for
    EDGE_CACHE_SECONDS: the proxy cannot see the version, so that is how stale it can be."""
    if settings.EDGE_CACHE_SECONDS > 0:
        response["X-Accel-Expires"] = str(settings.EDGE_CACHE_SECONDS)


class AnonymousPageCacheMiddleware:
    """After LocaleMiddleware (the page's language), before anything that reads the
    session or the CSRF cookie: a hit costs two cache reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            return _restored(entry, request)
        lock = f"{key}:building"
        building = cache.add(lock, 1, LOCK_SECONDS)
        if not building:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.05)
                entry = cache.get(key)
                if entry is not None:
                    return _restored(entry, request)
        try:
            response = self.get_response(request)
            if request.method == "GET" and _cacheable_response(request, response):
                cache.set(key, _stored(response), settings.PAGE_CACHE_SECONDS)
                response["X-Page-Cache"] = "miss"
                _for_the_proxy(response)
        finally:
            if building:
                cache.delete(lock)
        return response
