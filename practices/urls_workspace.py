"""The partner workspace: adding and editing practices and events (issue 4)."""

app_name = "workspace"

urlpatterns: list = []
