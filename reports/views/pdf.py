"""The coordinators' monitoring report as a PDF: the dashboard's figures for the same
selection (reports.selection), with its tables and bars, for the programme and its funders."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from nador_portal.pdf import pdf_response, render_pdf
from nador_portal.replica import reads_from_replica
from publishing.access import coordinator_required
from reports.dashboard import figures
from reports.forms import ReportFilterForm


@require_GET
@coordinator_required
@reads_from_replica
def dashboard_pdf(request):
    form = ReportFilterForm(request.GET or None)
    context = figures(request.GET)
    context["selection"] = _selection(form)
    query = request.GET.urlencode()
    context["page_url"] = request.build_absolute_uri(
        f"{reverse('reports:dashboard')}?{query}".rstrip("?")
    )
    pdf = render_pdf(request, "pdf/dashboard.html", context)
    period = "-".join(request.GET.get(name, "")[:10] for name in ("from", "to")).strip("-")
    return pdf_response(pdf, f"report-{period}-{get_language()}", public=False)


def _selection(form: ReportFilterForm) -> list[tuple[str, str]]:
    """(label, value) of each filter of the selection, as the report's reader should see it."""
    if not form.is_bound or not form.is_valid():
        return []
    chosen = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(value, date):
            value = date_format(value)
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            value = dict(field.choices).get(value, value)
        chosen.append((str(field.label), str(value)))
    return chosen
