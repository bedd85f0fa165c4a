from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from nador_portal import views
from practices.sitemaps import SITEMAPS, robots_txt
from reports.views import datasets as data_views
from reports.views.numbers import numbers

# Paths outside the language prefix: machine-facing or language-neutral.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Without CSRF: the switcher's form is on every page, and a token would make each page
    # personal, so no page could be served from the cache (nador_portal/page_cache.py). A
    # forged post can only change the visitor's language cookie.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
    # An index of one sitemap per section, each paged at 50,000 addresses by Django.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # The read-only API, its schema and docs (api/urls.py), in no language prefix.
    path("api/", include("api.urls")),
    # Documents and images of practices and events, served after an access check.
    path("files/", include("attachments.urls")),
]

# Pages people read, under /en/, /fr/, /ar/ or /es/.
urlpatterns += i18n_patterns(
    path("", include("practices.urls")),
    path("stakeholders/", include("stakeholders.urls")),
    path("events/", include("events.urls")),
    path("alerts/", include("alerts.urls")),
    path("numbers/", numbers, name="numbers"),
    path("data/", data_views.data, name="data"),
    path("data/datapackage.json", data_views.datapackage, name="datapackage"),
    path("data/catalog.jsonld", data_views.catalog, name="data_catalog"),
    path("accounts/", include("publishing.urls_accounts")),
    path("workspace/", include("publishing.urls_workspace")),
    path("workspace/", include("attachments.urls_workspace")),
    path("review/", include("publishing.urls_review")),
    path("reports/", include("reports.urls")),
    # A practice's contact form and the messages kept for the review area (contact/urls.py).
    path("", include("contact.urls")),
    path("security/locked-sign-ins/", views.locked_sign_ins, name="locked_sign_ins"),
    path("accessibility/", views.accessibility, name="accessibility"),
)
