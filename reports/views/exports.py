"""Downloads: the coordinators' exports of any selection, the open data (the full files
and the selections of the public list) and blank import templates."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.formats import number_format
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from nador_portal.client import client_ip
from nador_portal.replica import reads_from_replica
from nador_portal.throttle import Limit
from practices.models import Practice
from publishing.access import coordinator_required
from reports import open_data as built_files
from reports.exports import EXPORT_TYPES, FORMATS, export_response, template_response
from reports.selection import selection
from search import dimensions
from search.filters import PracticeFilter, without_blank_values

#: What a download of the full files may be cached for, by browsers and proxies alike.
FULL_FILE_MAX_AGE = 300
#: Seconds a client is told to wait while the first files are built.
BUILDING_RETRY_AFTER = 60
RATE_WINDOW = 60


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    return fmt


@require_GET
@coordinator_required
@reads_from_replica
def export(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES:
        raise Http404("Unknown type")
    return export_response(
        EXPORT_TYPES[kind], selection(kind, request.GET), _format(fmt), request.GET
    )


@require_safe
def open_data(request, fmt: str):
    """Anyone may download the published practices: without filters the full file, with
    the list's filters a selection of at most OPEN_DATA_MAX_ROWS, a few a minute."""
    _format(fmt)
    # Only the list's filters choose practices: published only, whatever status is asked,
    # and a parameter the list does not know (a tracker's) leaves the full file.
    known = {"q", *dimensions.names()}
    params = without_blank_values(request.GET)
    for name in list(params):
        if name not in known:
            params.pop(name)
    if not params:
        return full_file(request, "practices", fmt)
    if retry_after := _rate_limited(request):
        return _refusal(
            request,
            429,
            _("Too many downloads"),
            _(
                "This address has asked for many selections in a short time. Wait a minute, "
                "or download the full file of every published practice below."
            ),
            retry_after=retry_after,
        )
    practices = PracticeFilter(params, queryset=Practice.objects.published()).qs
    matched = practices.count()
    if matched > settings.OPEN_DATA_MAX_ROWS:
        return _too_many_rows(request, matched)
    return export_response(EXPORT_TYPES["practices"], practices, fmt, params, public=True)


@require_safe
def open_data_file(request, kind: str, fmt: str):
    """The full open-data file of the published stakeholders or events."""
    if kind not in built_files.KINDS:
        raise Http404("Unknown type")
    return full_file(request, kind, _format(fmt))


def full_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The built file, sent from disk with its validators: no query, and a 304 to a
    client that holds it already."""
    path = built_files.path_of(kind, fmt)
    if not path.exists() and built_files.build_mode() == "sync":
        built_files.build_if_stale()
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        built_files.start_build()
        return _refusal(
            request,
            503,
            _("The open-data files are being prepared"),
            _("The files are being prepared. Try again in a minute."),
            retry_after=BUILDING_RETRY_AFTER,
            links=False,
        )
    # The validators of the file opened, even if a build replaces it meanwhile.
    stat = os.fstat(handle.fileno())
    etag = f'"{kind}.{fmt}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    response = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if response is None:
        if settings.OPEN_DATA_ACCEL_REDIRECT:
            # nginx sends the file itself (an `internal` location, README): a worker spends
            # milliseconds on a download of hundreds of megabytes, however slow the client.
            handle.close()
            response = HttpResponse(content_type=FORMATS[fmt])
            prefix = settings.OPEN_DATA_ACCEL_REDIRECT.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{path.name}"
        else:
            response = FileResponse(handle, content_type=FORMATS[fmt])
        built = datetime.fromtimestamp(stat.st_mtime, tz=UTC)
        day = timezone.localtime(built).date().isoformat()
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{kind}_{day}_all.{fmt}"
        )
    else:
        handle.close()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = f"public, max-age={FULL_FILE_MAX_AGE}"
    return response


def _rate_limited(request: HttpRequest) -> int:
    """Count this download against its address; the seconds to wait when over the limit,
    else 0."""
    limit = Limit("open-data", settings.OPEN_DATA_RATE_LIMIT, RATE_WINDOW)
    if limit.hit(client_ip(request)) <= limit.limit:
        return 0
    return limit.retry_after()


def _too_many_rows(request: HttpRequest, matched: int) -> HttpResponse:
    """400, not 413: 413 says the request's own content is too large (RFC 9110), and a
    GET has none; the client asked for more than this address gives, and can fix it."""
    message = _(
        "%(matched)s published practices match these filters; a download of a selection "
        "holds at most %(cap)s. Narrow the filters, or download the full file of every "
        "published practice below."
    ) % {
        "matched": number_format(matched, force_grouping=True),
        "cap": number_format(settings.OPEN_DATA_MAX_ROWS, force_grouping=True),
    }
    return _refusal(request, 400, _("This selection is too large to download"), message)


def _refusal(
    request, status: int, title: str, message: str, retry_after: int = 0, links: bool = True
) -> HttpResponse:
    full_files = [
        (fmt.upper(), reverse("reports:open_data", kwargs={"fmt": fmt})) for fmt in FORMATS
    ]
    response = render(
        request,
        "reports/open_data_refusal.html",
        {"title": title, "message": message, "full_files": full_files if links else []},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@coordinator_required
def import_template(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES or fmt not in ("csv", "xlsx"):
        raise Http404("Unknown template")
    return template_response(EXPORT_TYPES[kind], fmt)
