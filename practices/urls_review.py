"""Review of submitted work by coordinators (issue 4)."""

app_name = "review"

urlpatterns: list = []
