from django.urls import path

from events.views import public

app_name = "events"

urlpatterns = [
    path("", public.event_list, name="list"),
    path("calendar.ics", public.calendar_ics, name="calendar"),
    path("<slug:slug>.ics", public.event_ics, name="ics"),
    path("<slug:slug>/", public.event_detail, name="detail"),
]
