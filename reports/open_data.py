"""The full open-data files: every published practice, stakeholder and event, and the
categories they are filed under, as CSV, XLSX and JSON, built once after a change and
served as files.

Built on request, the file of 30,000 practices held a worker for 13 s and two of them
made the home page wait; each anonymous download cost the same again. Now a build writes
the twelve files into OPEN_DATA_ROOT, each to a temporary file then os.replace(), so a
reader sees a whole old file or a whole new one, then a state file (state.json: the
fingerprint of the published content the files hold and when they were built). A
download is a file sent from disk, with no query.

When to build: `manage.py build_open_data` (only if stale, or --force), which `make run`,
`make serve` and a timer run; and after each commit that changes a record the files are
made of (reports/apps.py connects the signals): OPEN_DATA_BUILD says how:
"background" starts a thread, "sync" builds in the caller (tests, small databases; a
request that finds no file then builds it too), "off" leaves it to the command. A
non-blocking lock (fcntl.flock) lets one build run per machine; changes committed while
it runs are seen by its final staleness check, so repeated publications coalesce.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import Count, Max, Prefetch
from django.utils import timezone, translation

from events.models import Event, EventSeries
from nador_portal import page_cache
from nador_portal.replica import replica_reads
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    PracticeTranslation,
    Programme,
    TargetGroup,
    Theme,
)
from publishing.workflow import Status
from reports import category_table
from reports.exports import (
    EXPORT_TYPES,
    JSON_END,
    JSON_SEPARATOR,
    JSON_START,
    Echo,
    csv_line,
    csv_lines,
    database_csv,
    json_record,
    rows,
    xlsx_stream,
)
from reports.resources.events import EventResource
from stakeholders.models import Stakeholder

logger = logging.getLogger(__name__)

KINDS = ("practices", "stakeholders", "events", "categories")
FORMATS = ("csv", "xlsx", "json")
BUILD_MODES = ("background", "sync", "off")
STATE_FILE = "state.json"
LOCK_FILE = ".build.lock"
#: Builds one call makes in a row while changes keep coming; the next change starts more.
MAX_BUILDS = 3
# Small tables whose names are written in the files: fingerprinted row by row.
_CATEGORIES = (
    Theme,
    TargetGroup,
    InterventionArea,
    Programme,
    GcmObjective,
    GuidingPrinciple,
    CooperationLevel,
    EventSeries,
)
#: The records the files are made of: a save or delete of one may change them.
SOURCES = (Practice, PracticeTranslation, Stakeholder, Event, *_CATEGORIES)


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def path_of(kind: str, fmt: str) -> Path:
    return root() / f"{kind}.{fmt}"


def read_state() -> dict | None:
    try:
        return json.loads((root() / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


# -- What the files hold ----------------------------------------------------------------


class PublicEventResource(EventResource):
    """Events as the public pages show them: only the published practices they link."""

    export_prefetch_related = (
        "organisers",
        Prefetch("practices", queryset=Practice.objects.published()),
        "participant_counts",
    )


def published(kind: str):
    if kind == "practices":
        return Practice.objects.published()
    if kind == "events":
        return Event.objects.published()
    return Stakeholder.objects.all()  # every organisation has a public page


def headers_of(kind: str) -> list[str]:
    if kind == "categories":
        return category_table.headers()
    return list(resource_for(kind).get_export_headers())


def resource_for(kind: str):
    if kind == "practices":
        return EXPORT_TYPES["practices"].resource(public=True)
    if kind == "events":
        return PublicEventResource()
    return EXPORT_TYPES[kind].resource()


def fingerprint() -> str:
    """A digest of what the files depend on, in a dozen cheap queries: the number and the
    latest change of the published practices, their approved translations, the
    organisations and the published events (a publication, unpublication, edit or
    deletion changes one or the other), and the rows of the small category tables."""
    parts = [
        _aggregate(Practice.objects.published()),
        _aggregate(
            PracticeTranslation.objects.filter(
                status=Status.PUBLISHED, practice__status=Status.PUBLISHED
            )
        ),
        _aggregate(Stakeholder.objects.all()),
        _aggregate(Event.objects.published()),
    ]
    parts += [list(model.objects.order_by("pk").values_list()) for model in _CATEGORIES]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _aggregate(queryset) -> tuple:
    found = queryset.order_by().aggregate(count=Count("pk"), latest=Max("updated_at"))
    return (found["count"], str(found["latest"]))


def is_stale() -> bool:
    state = read_state()
    if state is None or any(not path_of(k, f).exists() for k in KINDS for f in FORMATS):
        return True
    return state.get("fingerprint") != fingerprint()


# -- Building ---------------------------------------------------------------------------


def _write_kind(kind: str, written: dict[str, Path]) -> None:
    """The three files of `kind` from one reading of its rows: the XLSX writer pulls them
    and each row is written to the CSV and the JSON on its way (on PostgreSQL the CSV of
    practices is written by the database, apart). Adds the temporary files to `written`."""
    if kind == "categories":
        headers, data, sql_csv = category_table.headers(), category_table.rows(), None
    else:
        resource, queryset = resource_for(kind), published(kind)
        headers, data = resource.get_export_headers(), rows(resource, queryset)
        sql_csv = database_csv(resource, queryset)
    if sql_csv is not None:
        written[f"{kind}.csv"] = _write_temporary(sql_csv, f"{kind}.csv")
    sinks = [_JsonSink(headers, _open_temporary(f"{kind}.json"))]
    if sql_csv is None:
        sinks.append(_CsvSink(headers, _open_temporary(f"{kind}.csv")))
    for sink in sinks:
        written[f"{kind}.{sink.fmt}"] = Path(sink.out.name)
    try:
        passing = _passing_through(data, sinks)
        written[f"{kind}.xlsx"] = _write_temporary(
            xlsx_stream(headers, passing, kind), f"{kind}.xlsx"
        )
    finally:
        for sink in sinks:
            sink.close()


def _passing_through(data: Iterable[list], sinks: list) -> Iterator[list]:
    for row in data:
        for sink in sinks:
            sink.write(row)
        yield row


class _CsvSink:
    fmt = "csv"

    def __init__(self, headers: list[str], out) -> None:
        self.out, self.writer = out, csv.writer(Echo())
        self.out.write(next(csv_lines(headers, [])).encode())

    def write(self, row: list) -> None:
        self.out.write(csv_line(self.writer, row).encode())

    def close(self) -> None:
        self.out.close()


class _JsonSink:
    fmt = "json"

    def __init__(self, headers: list[str], out) -> None:
        self.out, self.headers, self.separator = out, headers, "\n"
        self.out.write(JSON_START.encode())

    def write(self, row: list) -> None:
        self.out.write((self.separator + json_record(self.headers, row)).encode())
        self.separator = JSON_SEPARATOR

    def close(self) -> None:
        self.out.write(JSON_END.encode())
        self.out.close()


def _open_temporary(name: str):
    return tempfile.NamedTemporaryFile(dir=root(), prefix=f".{name}.", delete=False)  # noqa: SIM115


def _write_temporary(chunks: Iterable[bytes], name: str) -> Path:
    with tempfile.NamedTemporaryFile(dir=root(), prefix=f".{name}.", delete=False) as out:
        try:
            for chunk in chunks:
                out.write(chunk)
        except BaseException:
            Path(out.name).unlink(missing_ok=True)
            raise
    return Path(out.name)


def build() -> dict:
    """Write the twelve files and the state, each replaced whole; return the state. The
    categories are named in the portal's default language."""
    root().mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    # Read on the replica if there is one, the fingerprint with the rows it describes; a
    # replica a moment behind leaves the files stale by the primary's fingerprint, and
    # build_if_stale() builds again.
    try:
        with replica_reads(), translation.override(settings.LANGUAGE_CODE):
            digest = fingerprint()
            for kind in KINDS:
                _write_kind(kind, written)
    except BaseException:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        raise
    for name, temporary in written.items():
        temporary.chmod(0o644)
        os.replace(temporary, root() / name)
    state = {"fingerprint": digest, "built_at": timezone.now().isoformat()}
    _write_temporary([json.dumps(state).encode()], STATE_FILE).replace(root() / STATE_FILE)
    page_cache.bump()  # the /data/ page says when the files were built, and their sizes
    return state


def _remove_leftovers() -> None:
    """Temporary files of a build that was stopped (its process ended): with the lock
    held, no build is writing any."""
    for leftover in root().glob(".*.*.*"):
        if leftover.name != LOCK_FILE:
            leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock():
    """Yield True when this process holds the machine's build lock, False when another
    build holds it."""
    root().mkdir(parents=True, exist_ok=True)
    with open(root() / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build_if_stale(force: bool = False) -> str:
    """Build unless the files are up to date or another build runs: "built", "fresh" or
    "busy". After the lock is released the staleness is checked again, so that a change
    committed during the build, whose own attempt found the lock taken, is not missed."""
    outcome = "fresh"
    for _attempt in range(MAX_BUILDS):
        with build_lock() as held:
            if not held:
                return "busy" if outcome == "fresh" else outcome
            if force or is_stale():
                _remove_leftovers()
                build()
                outcome, force = "built", False
        if not is_stale():
            break
    return outcome


# -- Starting a build after a change ------------------------------------------------------


def build_mode() -> str:
    return settings.OPEN_DATA_BUILD


def start_build() -> None:
    """Bring the files up to date the way OPEN_DATA_BUILD says; never raises in a
    request: a failed build leaves the previous files, and the timer retries."""
    mode = build_mode()
    if mode == "sync":
        build_if_stale()
    elif mode == "background":
        _start_thread()


_thread_guard = threading.Lock()
_thread: threading.Thread | None = None
_again = False


def _start_thread() -> None:
    """One build thread per process: a change while it runs asks it for another pass."""
    global _thread, _again
    with _thread_guard:
        if _thread is not None:
            _again = True
            return
        _thread = threading.Thread(target=_build_in_thread, name="open-data-build", daemon=True)
        _thread.start()


def _build_in_thread() -> None:
    global _thread, _again
    close_old_connections()
    try:
        while True:
            _again = False
            try:
                build_if_stale()
            except Exception:
                logger.exception("The open-data build failed")
            with _thread_guard:
                if not _again:
                    _thread = None
                    return
    finally:
        connections.close_all()


def changed(sender, **kwargs) -> None:
    """A source record was saved or deleted: rebuild after the commit, once per
    transaction however many records it writes."""
    connection = connections[kwargs.get("using") or "default"]
    if any(entry[1] is start_build for entry in connection.run_on_commit):
        return
    transaction.on_commit(start_build, using=connection.alias)


def built_at() -> datetime | None:
    state = read_state()
    return datetime.fromisoformat(state["built_at"]) if state else None
