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
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from django.utils.text import slugify

# WeasyPrint is imported when a PDF is made: it takes most of a second, which every
# manage.py command and worker start would pay otherwise.


def static_files_only(static_url: str):
    """A WeasyPrint URL fetcher serving the URLs under `static_url` from the portal's static
    files and refusing any other URL (WeasyPrint then leaves that image or font out)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            path = static_file(url, static_url)
            if path is None:
                raise ValueError(f"Not one of the portal's static files: {url[:200]}")
            content_type, _ = mimetypes.guess_type(path.name)
            body = path.read_bytes()
            return URLFetcherResponse(url, body, {"Content-Type": content_type or ""})

    return StaticFilesOnly(allowed_protocols=())


def static_file(url: str, static_url: str) -> Path | None:
    """The file on disk behind `url`, if it is one of the portal's static files."""
    if not url.startswith(static_url):
        return None
    name = unquote(urlsplit(url[len(static_url) :]).path)
    if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        return None
    # The finders first (the files as they are in the checkout); STATIC_ROOT for the hashed
    # names that {% static %} gives in production, found only among the collected copies.
    try:
        found = finders.find(name)
        collected = Path(safe_join(settings.STATIC_ROOT, name))
    except (SuspiciousFileOperation, ValueError):  # ValueError: a NUL in the name
        return None
    if isinstance(found, str) and Path(found).is_file():
        return Path(found)
    return collected if collected.is_file() else None


def render_pdf(request: HttpRequest, template: str, context: dict) -> bytes:
    """The PDF of `template`, whose relative links resolve against the site's address."""
    html = render_to_string(template, context, request=request)
    return html_to_pdf(html, request.build_absolute_uri("/"))


def html_to_pdf(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    fetcher = static_files_only(urljoin(base_url, settings.STATIC_URL))
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
