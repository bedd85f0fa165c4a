"""The partner workspace: adding and editing practices and events."""

from django.urls import path

import publishing.record_types  # noqa: F401  (registers the <kind:...> path converter)
from publishing.views import registrations, translations, workspace

app_name = "workspace"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("<kind:kind>/new/", workspace.create, name="create"),
    path(
        "practices/<slug:slug>/translations/<str:language>/",
        translations.edit,
        name="translation",
    ),
    path(
        "practices/<slug:slug>/translations/<str:language>/remove/",
        translations.delete,
        name="remove_translation",
    ),
    path("<kind:kind>/<slug:slug>/edit/", workspace.edit, name="edit"),
    path("<kind:kind>/<slug:slug>/preview/", workspace.preview, name="preview"),
    path("<kind:kind>/<slug:slug>/submit/", workspace.submit, name="submit"),
    path("<kind:kind>/<slug:slug>/archive/", workspace.archive, name="archive"),
    path("<kind:kind>/<slug:slug>/history/", workspace.history, name="history"),
    path(
        "events/<slug:slug>/registrations/",
        registrations.registration_list,
        name="registrations",
    ),
    path(
        "events/<slug:slug>/registrations.<str:fmt>",
        registrations.registration_export,
        name="registrations_export",
    ),
]
