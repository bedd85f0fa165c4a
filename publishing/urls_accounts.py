"""Sign-in, password change and reset, and invitations of partners.

Django's auth views, with our templates in templates/registration/; logout accepts
POST only (Django's LogoutView). Reset emails go through EMAIL_BACKEND (the console
by default)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from publishing.forms import PasswordChangeForm
from publishing.views import accounts

urlpatterns = [
    path("invite/", accounts.invite, name="invite_partner"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("", include("django.contrib.auth.urls")),
]
