"""Heavy reads on a PostgreSQL read replica (DATABASE_REPLICA_URL), everything else on the
primary.

Only what a coordinator reads in bulk goes to the replica: the reports dashboard, the
exports and the open-data builds, marked with `@reads_from_replica` or run inside
`with replica_reads():`. Every other read, and every write, stays on the primary, so a page
never shows data older than the visitor's last click. A replica is a little behind its
primary, so a user who has just saved something (any successful POST) is pinned to the
primary for REPLICA_STICKY_SECONDS by a cookie: a coordinator who publishes and then
exports sees the publication in the export. Without DATABASE_REPLICA_URL there is no
"replica" alias and all of this is a no-op.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections

REPLICA = "replica"
#: The cookie that pins a browser to the primary after a write: the time it ends.
STICKY_COOKIE = "primary_until"

_reads: ContextVar[str | None] = ContextVar("nador_replica_reads", default=None)


def configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when there is one."""
    token = _reads.set(REPLICA if configured() else None)
    try:
        yield
    finally:
        _reads.reset(token)


def _pinned(request) -> bool:
    try:
        return float(request.COOKIES.get(STICKY_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def reads_from_replica(view):
    """A view whose reads go to the replica, unless its user wrote a moment ago. A
    streamed response reads while it is sent, after the view returned: its chunks are
    produced inside the same context."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or _pinned(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            response = view(request, *args, **kwargs)
        if getattr(response, "streaming", False):
            response.streaming_content = _on_replica(response.streaming_content)
        return response

    return wrapped


def _on_replica(chunks):
    with replica_reads():
        yield from chunks


class ReplicaRouter:
    """Reads to the replica inside replica_reads(), everything else to the primary."""

    def db_for_read(self, model, **hints):
        return _reads.get() or "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read there relates to one here.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class StickToPrimaryMiddleware:
    """After a successful write, this browser reads from the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if configured() and request.method == "POST" and response.status_code < 400:
            seconds = settings.REPLICA_STICKY_SECONDS
            response.set_cookie(
                STICKY_COOKIE,
                str(time.time() + seconds),
                max_age=seconds,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
