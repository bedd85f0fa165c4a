"""Review of submitted work by coordinators."""

from django.urls import path

import publishing.record_types  # noqa: F401  (registers the <kind:...> path converter)
from publishing.views import review, translations

app_name = "review"

urlpatterns = [
    path("", review.queue, name="queue"),
    path(
        "stakeholders/<slug:slug>/history/",
        review.stakeholder_history,
        name="stakeholder_history",
    ),
    path(
        "stakeholders/<slug:slug>/revert/<int:history_id>/",
        review.stakeholder_revert,
        name="stakeholder_revert",
    ),
    path(
        "practices/<slug:slug>/translations/<str:language>/",
        translations.review,
        name="translation",
    ),
    path(
        "practices/<slug:slug>/translations/<str:language>/<slug:decision>/",
        translations.decide,
        name="decide_translation",
    ),
    path("<kind:kind>/<slug:slug>/", review.detail, name="detail"),
    path("<kind:kind>/<slug:slug>/revert/<int:history_id>/", review.revert, name="revert"),
    path("<kind:kind>/<slug:slug>/<slug:decision>/", review.decide, name="decide"),
]
