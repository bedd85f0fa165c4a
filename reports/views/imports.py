"""Spreadsheet imports by coordinators: upload and dry run, then confirm or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from publishing.access import coordinator_required
from reports.exports import EXPORT_TYPES
from reports.forms import ImportForm
from reports.imports import run_import
from reports.uploads import discard_upload, keep_upload, kept_upload

SESSION_KEY = "reports_import"


def _render(request, form, report=None, status=200):
    context = {"form": form, "report": report, "export_types": EXPORT_TYPES}
    return render(request, "reports/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@coordinator_required
def upload(request):
    """GET: the form. POST: check the file and show what an import would do."""
    if request.method == "GET":
        return _render(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    kind = form.cleaned_data["kind"]
    upload = form.cleaned_data["file"]
    # The uploaded file itself, not its bytes: a CSV is read a chunk at a time.
    report = run_import(kind, upload, upload.name, dry_run=True, user=request.user)
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        discard_upload(previous)
    if report.ok:
        request.session[SESSION_KEY] = {**keep_upload(upload), "kind": kind, "name": upload.name}
    return _render(request, ImportForm(initial={"kind": kind}), report)


@require_POST
@coordinator_required
def confirm(request):
    """Import the file checked by the dry run: every row in one transaction, or none."""
    kept = request.session.pop(SESSION_KEY, None)
    file = kept_upload(kept) if kept else None
    if file is None:
        messages.error(request, _("There is no checked file to import any more: upload it again."))
        return redirect("reports:import")
    with file:
        discard_upload(kept)  # the open file is still read: it goes when closed
        if request.POST.get("action") == "cancel":
            messages.info(request, _("Import cancelled: nothing was changed."))
            return redirect("reports:import")
        report = run_import(kept["kind"], file, kept["name"], dry_run=False, user=request.user)
    if not report.ok:
        return _render(request, ImportForm(initial={"kind": kept["kind"]}), report, status=400)
    messages.success(request, report.summary())
    return redirect("reports:import")
