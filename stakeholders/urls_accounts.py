"""Sign-in, password change and reset, and invitations of partners (issue 4)."""

from django.urls import include, path

urlpatterns = [
    path("", include("django.contrib.auth.urls")),
]
