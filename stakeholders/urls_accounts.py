"""Sign-in, password change and reset, and invitations of partners (issue 4).

Django's auth views, with our templates in templates/registration/; logout accepts
POST only (Django's LogoutView). Reset emails go through EMAIL_BACKEND (the console
by default)."""

from django.urls import include, path

from stakeholders.views import accounts

urlpatterns = [
    path("invite/", accounts.invite, name="invite_partner"),
    path("", include("django.contrib.auth.urls")),
]
