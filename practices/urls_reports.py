"""Coordinator reports, exports and imports (issue 5), and the open-data download."""

from django.urls import path

from practices.views import imports, reports

app_name = "reports"

urlpatterns = [
    path("", reports.dashboard, name="dashboard"),
    path("export/<slug:kind>.<slug:fmt>", reports.export, name="export"),
    path("open-data/practices.<slug:fmt>", reports.open_data, name="open_data"),
    path("import/", imports.upload, name="import"),
    path("import/confirm/", imports.confirm, name="import_confirm"),
    path("import/template/<slug:kind>.<slug:fmt>", reports.import_template, name="import_template"),
]
