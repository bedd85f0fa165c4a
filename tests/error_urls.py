"""The project's URLs plus views that fail on purpose (tests/nador_portal/test_error_pages.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from nador_portal.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("secret detail of the failure")


def forbidden(request):
    raise PermissionDenied("secret reason of the refusal")


def suspicious(request):
    raise SuspiciousOperation("secret suspicious detail")


urlpatterns = [
    *project_urlpatterns,
    *i18n_patterns(
        path("boom/", boom),
        path("forbidden/", forbidden),
        path("suspicious/", suspicious),
    ),
]
