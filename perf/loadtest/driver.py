"""The load driver's HTTP side: a small cookie-keeping client on http.client, a parser
that reads a page's form as a browser would send it, timings and percentiles.

It uses the standard library only and never imports Django: what it measures is the
server, seen from outside, as a browser would see it."""

from __future__ import annotations

import http.client
import math
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

OK_STATUSES = range(200, 400)


def percentile(sorted_values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` from 0 to 100) of already sorted values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(share / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int  # 0 when the connection failed
    error: str = ""
    started: float = 0.0  # time.monotonic() when sent
    cache: str = ""  # the X-Page-Cache header: hit, miss or none; edge: nginx's copy

    @property
    def ok(self) -> bool:
        return not self.error and self.status in OK_STATUSES


@dataclass
class Recorder:
    """Every request's timing and outcome, shared by the driver's threads."""

    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def summarise(samples: list[Sample], seconds: float, expected: tuple[str, ...] = ()) -> dict:
    """Count, errors, requests/s and p50/p95/p99 (ms) per kind of request and overall; an
    `expected` kind that was never sent shows with a count of 0."""
    kinds = sorted({sample.kind for sample in samples} | set(expected))
    rows = {kind: _row([s for s in samples if s.kind == kind], seconds) for kind in kinds}
    rows["overall"] = _row(samples, seconds)
    return rows


def _row(samples: list[Sample], seconds: float) -> dict:
    times = sorted(sample.seconds * 1000 for sample in samples)
    errors = [sample for sample in samples if not sample.ok]
    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_examples": sorted({f"{s.status} {s.error}".strip() for s in errors})[:5],
        "requests_per_second": round(len(samples) / seconds, 1) if seconds else None,
        **{f"p{p}_ms": _rounded(percentile(times, p)) for p in (50, 95, 99)},
        "max_ms": _rounded(times[-1] if times else None),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


# A kept-alive connection the server closed meanwhile fails before any answer: a browser
# sends the request again on a new connection (for a GET; a form is never sent twice).
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Browser:
    """One visitor: keeps its cookies, does not follow redirects, times each request.

    Production cookies are `Secure`; on plain http over loopback the driver sends them
    back anyway, as a browser would behind the TLS-terminating proxy. With `scheme="https"`
    it speaks TLS (`tls`: an ssl.SSLContext); with `keep_alive` it keeps one connection
    open between requests, as browsers do; `headers` go with every request (a proxy's
    X-Forwarded-Proto, when talking to an app server directly). A POST carries the Origin
    header a browser sends, which Django's CSRF check asks for over HTTPS."""

    def __init__(
        self,
        host: str,
        port: int,
        recorder: Recorder,
        timeout: float = 120,
        *,
        scheme: str = "http",
        keep_alive: bool = False,
        tls: ssl.SSLContext | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.recorder = recorder
        self.cookies: dict[str, str] = {}
        self.scheme, self.keep_alive, self.tls = scheme, keep_alive, tls
        self.extra_headers = headers or {}
        self._connection: http.client.HTTPConnection | None = None

    @property
    def origin(self) -> str:
        secure = self.extra_headers.get("X-Forwarded-Proto") == "https"
        scheme = "https" if secure else self.scheme
        return f"{scheme}://{self.host}:{self.port}"

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def get(self, kind: str, path: str) -> Response | None:
        return self.request(kind, "GET", path)

    def post(self, kind: str, path: str, data: list[tuple[str, str]], expect=OK_STATUSES):
        return self.request(kind, "POST", path, urlencode(data).encode(), expect)

    def request(self, kind: str, method: str, path: str, body=None, expect=OK_STATUSES):
        """Send, time and record one request; None when no answer came. An answer whose
        status is not in `expect` (a form sent back with errors) counts as an error."""
        sent_at = time.monotonic()
        started = time.perf_counter()
        try:
            response = self._send(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            seconds = time.perf_counter() - started
            self.recorder.add(Sample(kind, seconds, 0, type(error).__name__, sent_at))
            return None
        seconds = time.perf_counter() - started
        error = "" if response.status in expect else "unexpected status"
        # Served by nginx from its own copy (EDGE_CACHE_SECONDS): the portal never saw it.
        edge = response.headers.get("x-edge-cache") == "HIT"
        cache = "edge" if edge else response.headers.get("x-page-cache", "none")
        self.recorder.add(Sample(kind, seconds, response.status, error, sent_at, cache))
        return response

    def _send(self, method: str, path: str, body: bytes | None) -> Response:
        reused = self._connection is not None
        try:
            return self._exchange(method, path, body)
        except STALE_CONNECTION:
            if not (reused and method == "GET"):
                raise
            return self._exchange(method, path, body)

    def _exchange(self, method: str, path: str, body: bytes | None) -> Response:
        connection = self._connection or self._connect()
        self._connection = None
        done = False
        try:
            connection.request(method, path, body=body, headers=self._headers(body))
            raw = connection.getresponse()
            content = raw.read()
            headers = {name.lower(): value for name, value in raw.getheaders()}
            for value in raw.headers.get_all("Set-Cookie") or []:
                self._remember(value)
            done = True
            return Response(raw.status, headers, content.decode("utf-8", "replace"))
        finally:
            if done and self.keep_alive and not raw.will_close:
                self._connection = connection
            else:
                connection.close()

    def _connect(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.tls
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def _headers(self, body: bytes | None) -> dict[str, str]:
        headers = {"Accept-Language": "en", "User-Agent": "nador-loadtest", **self.extra_headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        return headers

    def _remember(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


@dataclass
class Form:
    """A form's successful controls as a browser sends them, plus the choices offered by
    its check boxes (to tick others)."""

    values: list[tuple[str, str]] = field(default_factory=list)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.values if key == name), None)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self.values if key == name]

    def set(self, name: str, *values: str) -> None:
        """Replace every value of `name` (ticking exactly these boxes, for check boxes)."""
        kept = [(key, value) for key, value in self.values if key != name]
        self.values = kept + [(name, value) for value in values]


class FormParser(HTMLParser):
    """Reads the first `<form method="post">` of a page (or the one whose class is
    `css_class`): inputs, check boxes, selects, text areas; buttons are left out, the
    caller says which one was pressed."""

    def __init__(self, css_class: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.form: Form | None = None
        self._inside = self._done = False
        self._select: tuple[str, list[tuple[str, bool]], bool] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and not self._inside and not self._done:
            classes = attributes.get("class", "").split()
            if attributes.get("method", "").lower() == "post" and (
                not self.css_class or self.css_class in classes
            ):
                self._inside, self.form = True, Form()
            return
        if self._inside and self.form is not None:
            self._control(tag, attributes)

    def _control(self, tag: str, attributes: dict) -> None:
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            self._input(name, attributes)
        elif tag == "select" and name:
            self._select = (name, [], "multiple" in attributes)
        elif tag == "option" and self._select is not None:
            self._select[1].append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def _input(self, name: str, attributes: dict) -> None:
        kind = attributes.get("type", "text").lower()
        value = attributes.get("value", "")
        if kind in ("submit", "button", "reset", "image", "file"):
            return
        if kind == "checkbox":
            self.form.checkboxes.setdefault(name, []).append(value or "on")
        if kind in ("checkbox", "radio") and "checked" not in attributes:
            return
        self.form.values.append((name, value or ("on" if kind == "checkbox" else "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # Browsers drop the one newline that may follow <textarea>.
            self.form.values.append((name, re.sub(r"^\r?\n", "", "".join(parts))))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True

    def _close_select(self) -> None:
        name, options, multiple = self._select
        chosen = [value for value, selected in options if selected]
        if not chosen and not multiple and options:
            chosen = [options[0][0]]  # a single select sends its first option by default
        self.form.values.extend((name, value) for value in (chosen if multiple else chosen[-1:]))
        self._select = None


def read_form(html: str, css_class: str = "") -> Form | None:
    parser = FormParser(css_class)
    parser.feed(html)
    parser.close()
    return parser.form
