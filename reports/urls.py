"""The coordinators' reports, exports and imports, and the open-data download."""

from django.urls import path

from reports.views import dashboard, exports, imports, pdf

app_name = "reports"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("report.pdf", pdf.dashboard_pdf, name="dashboard_pdf"),
    path("export/<slug:kind>.<slug:fmt>", exports.export, name="export"),
    path("open-data/practices.<slug:fmt>", exports.open_data, name="open_data"),
    path("open-data/<slug:kind>.<slug:fmt>", exports.open_data_file, name="open_data_file"),
    path("import/", imports.upload, name="import"),
    path("import/confirm/", imports.confirm, name="import_confirm"),
    path("import/template/<slug:kind>.<slug:fmt>", exports.import_template, name="import_template"),
]
