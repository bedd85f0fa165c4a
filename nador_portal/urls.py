from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from practices.sitemaps import SITEMAPS, robots_txt

# Paths outside the language prefix: machine-facing or language-neutral.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
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
)
