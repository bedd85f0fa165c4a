"""The coordinators' dashboard and the exports (coordinators' and open data)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from practices import reports
from practices.exports import EXPORT_TYPES, FORMATS, export_response, template_response
from practices.models import Practice
from practices.report_forms import ReportFilterForm
from practices.selection import filtered_practices
from stakeholders.models import is_coordinator


def coordinator_required(view):
    """Anonymous visitors go to the sign-in page; signed-in non-coordinators get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    return fmt


@require_GET
@coordinator_required
def dashboard(request):
    form = ReportFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # shows errors; the selection ignores what it cannot read
    context = reports.dashboard(request.GET)
    context.update(
        {
            "form": form,
            "query": request.GET.urlencode(),
            "formats": list(FORMATS),
            "export_types": EXPORT_TYPES,
        }
    )
    return render(request, "reports/dashboard.html", context)


@require_GET
@coordinator_required
def export(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES:
        raise Http404("Unknown type")
    return export_response(
        EXPORT_TYPES[kind], reports.export_selection(kind, request.GET), _format(fmt), request.GET
    )


@require_GET
def open_data(request, fmt: str):
    """Anyone may download the published practices of the list they are looking at."""
    practices = filtered_practices(request.GET, Practice.objects.published())
    params = request.GET.copy()
    params.pop("status", None)  # published only, whatever is asked
    return export_response(EXPORT_TYPES["practices"], practices, _format(fmt), params)


@require_GET
@coordinator_required
def import_template(request, kind: str, fmt: str):
    if kind not in EXPORT_TYPES or fmt not in ("csv", "xlsx"):
        raise Http404("Unknown template")
    return template_response(EXPORT_TYPES[kind], fmt)
