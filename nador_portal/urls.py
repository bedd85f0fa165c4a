from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from nador_portal import views

# Paths outside the language prefix: machine-facing or language-neutral.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Pages people read, under /en/, /fr/, /ar/ or /es/.
urlpatterns += i18n_patterns(
    path("", include("practices.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("events/", include("events.urls")),
    path("accounts/", include("stakeholders.urls_accounts")),
    path("workspace/", include("practices.urls_workspace")),
    path("review/", include("practices.urls_review")),
    path("reports/", include("practices.urls_reports")),
    path("security/locked-sign-ins/", views.locked_sign_ins, name="locked_sign_ins"),
)
