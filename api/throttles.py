"""The API's rate limit: API_ANON_RATE requests per visitor, counted by the visitor's own
address behind the proxies (nador_portal/client.py), as the sign-in limits count."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from nador_portal.client import client_ip


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle (429 with Retry-After), its rate read from the settings
    at each request rather than once at import, so that a changed setting applies."""

    def get_rate(self) -> str:
        return settings.API_ANON_RATE

    def get_ident(self, request) -> str:
        return client_ip(request)
