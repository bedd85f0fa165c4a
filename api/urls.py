"""/api/v1/ (the read-only API), /api/schema/ (OpenAPI 3) and its docs, /api/docs/ (Swagger
UI) and /api/redoc/ (Redoc), served from the portal's own static files."""

from django.urls import path

from api import docs, views

app_name = "api"

urlpatterns = [
    path("v1/practices/", views.PracticeList.as_view(), name="practices"),
    path("v1/practices/<slug:slug>/", views.PracticeDetail.as_view(), name="practice"),
    path("v1/themes/", views.ThemeList.as_view(), name="themes"),
    path("v1/objectives/", views.ObjectiveList.as_view(), name="objectives"),
    path("v1/principles/", views.PrincipleList.as_view(), name="principles"),
    path("v1/target-groups/", views.TargetGroupList.as_view(), name="target_groups"),
    path("v1/areas/", views.AreaList.as_view(), name="areas"),
    path("v1/programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path("v1/stakeholders/", views.StakeholderList.as_view(), name="stakeholders"),
    path("v1/stakeholders/<slug:slug>/", views.StakeholderDetail.as_view(), name="stakeholder"),
    path("v1/events/", views.EventList.as_view(), name="events"),
    path("v1/events/<slug:slug>/", views.EventDetail.as_view(), name="event"),
    path("v1/event-series/", views.EventSeriesList.as_view(), name="event_series"),
    path("schema/", docs.schema, name="schema"),
    path("docs/", docs.SwaggerDocs.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", docs.redoc, name="redoc"),
]
