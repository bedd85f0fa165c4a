"""Coordinator reports, exports and imports (issue 5)."""

app_name = "reports"

urlpatterns: list = []
