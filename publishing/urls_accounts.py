"""Sign-in, the second factor, password change and reset, and invitations of partners.

Django's auth views, with our templates in templates/registration/; logout accepts
POST only (Django's LogoutView). Reset emails go through EMAIL_BACKEND (the console
by default). The second factor's pages: publishing/views/two_factor.py."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from publishing.forms import PasswordChangeForm
from publishing.views import accounts, two_factor

urlpatterns = [
    path("invite/", accounts.invite, name="invite_partner"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("two-factor/", two_factor.verify, name="two_factor"),
    path("two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/settings/", two_factor.manage, name="two_factor_manage"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/turn-off/", two_factor.disable, name="two_factor_disable"),
    path("two-factor/reset/", two_factor.reset, name="two_factor_reset"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("", include("django.contrib.auth.urls")),
]
