"""The workspace page of a record's documents and images (under /workspace/)."""

from django.urls import path

import publishing.record_types  # noqa: F401  (registers the <kind:...> path converter)
from attachments import views

app_name = "attachments"

urlpatterns = [
    path("<kind:kind>/<slug:slug>/files/", views.files, name="files"),
    path("<kind:kind>/<slug:slug>/files/<uuid:key>/remove/", views.remove, name="remove"),
]
