"""PDFs of the portal's pages, made by WeasyPrint from a template and the PDF stylesheet.

WeasyPrint fetches what a page links to (stylesheets, fonts, images). Here it may read only
the portal's own static files, from disk: a link to anything else, another site included, is
refused, so that a PDF never waits on the network nor lets a text written by a partner make
the server request an address of its choosing. The fonts (Latin and Arabic) are static files
too (static/fonts/): a PDF looks the same on every server, whatever fonts it has installed.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Each PDF view's docstring gives its cost; docs/performance has the figures.


class StaticFilesOnly(URLFetcher):
    """Serves the URLs under `static_url` from the static files; refuses any other URL."""

    def __init__(self, static_url: str):
        super().__init__(allowed_protocols=())
        self.static_url = static_url

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file(url, self.static_url)
        if path is None:
            raise ValueError(f"Not one of the portal's static files: {url[:200]}")
        content_type, _ = mimetypes.guess_type(path.name)
        body = path.read_bytes()
        return URLFetcherResponse(url, body, {"Content-Type": content_type or ""})


def static_file(url: str, static_url: str) -> Path | None:
    """The file on disk behind `url`, if it is one of the portal's static files."""
    if not url.startswith(static_url):
        return None
    name = unquote(urlsplit(url[len(static_url) :]).path)
    if not name or ".." in name.split("/") or "\\" in name or "\x00" in name:
        return None
    # STATIC_ROOT first: in production {% static %} names the hashed copies found only there.
    try:
        collected = Path(safe_join(settings.STATIC_ROOT, name))
    except ValueError:
        return None
    if collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if isinstance(found, str) and Path(found).is_file() else None


def render_pdf(request: HttpRequest, template: str, context: dict) -> bytes:
    """The PDF of `template`, whose relative links resolve against the site's address."""
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/")
    fetcher = StaticFilesOnly(urljoin(base_url, settings.STATIC_URL))
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def pdf_response(pdf: bytes, name: str, *, public: bool) -> HttpResponse:
    """Shown in the browser (inline) under a readable file name. A public PDF may be kept by
    caches for a while; a coordinator's report, never."""
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{slugify(name)[:80] or 'document'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if public:
        response["Cache-Control"] = "public, max-age=600"
    else:
        response["Cache-Control"] = "no-store, private"
    return response
