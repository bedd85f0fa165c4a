"""Downloads: the coordinators' exports of any selection, the open data of the public list
and blank import templates."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_GET

from practices.models import Practice
from publishing.access import coordinator_required
from reports.exports import EXPORT_TYPES, FORMATS, export_response, template_response
from reports.selection import selection
from search.filters import PracticeFilter


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    return fmt


@require_GET
@coordinator_required
def export(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES:
        raise Http404("Unknown type")
    return export_response(
        EXPORT_TYPES[kind], selection(kind, request.GET), _format(fmt), request.GET
    )


@require_GET
def open_data(request, fmt: str):
    """Anyone may download the published practices of the list they are looking at."""
    practices = PracticeFilter(request.GET, queryset=Practice.objects.published()).qs
    params = request.GET.copy()
    params.pop("status", None)  # published only, whatever is asked
    return export_response(EXPORT_TYPES["practices"], practices, _format(fmt), params, public=True)


@require_GET
@coordinator_required
def import_template(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES or fmt not in ("csv", "xlsx"):
        raise Http404("Unknown template")
    return template_response(EXPORT_TYPES[kind], fmt)
