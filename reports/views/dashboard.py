"""The coordinators' dashboard: monitoring figures of any selection."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from nador_portal.replica import reads_from_replica
from publishing.access import coordinator_required
from reports.dashboard import figures
from reports.exports import EXPORT_TYPES, FORMATS
from reports.forms import ReportFilterForm


@require_GET
@coordinator_required
@reads_from_replica
def dashboard(request):
    form = ReportFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # shows errors; the selection ignores what it cannot read
    context = figures(request.GET)
    context.update(
        {
            "form": form,
            "query": request.GET.urlencode(),
            "formats": list(FORMATS),
            "export_types": EXPORT_TYPES,
        }
    )
    return render(request, "reports/dashboard.html", context)
