"""Serving the documents and images: outside the language prefix, a file is no page."""

from django.urls import path

from attachments import views

app_name = "files"

urlpatterns = [
    path("<uuid:key>/<str:variant>/", views.serve, name="serve"),
]
