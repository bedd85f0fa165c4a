from django.urls import path

from events import registration_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    path("series/<slug:slug>.ics", views.series_calendar_ics, name="series_calendar"),
    path("<slug:slug>.ics", views.event_ics, name="ics"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", registration_views.register, name="register"),
    path(
        "registrations/<str:token>/cancel/",
        registration_views.cancel_registration,
        name="cancel_registration",
    ),
]
