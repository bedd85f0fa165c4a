"""What every API view shares: GET only, the asked language, JSON errors, conditional GET."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from rest_framework import generics

from api.errors import BadParameters

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def asked_language(request) -> str:
    """`?lang=` when given (a 400 when it is not a language of the site); otherwise the one
    LocaleMiddleware chose from Accept-Language (English when none fits)."""
    language = request.query_params.get("lang", "")
    if not language:
        return translation.get_language()
    if language not in LANGUAGES:
        message = _("Choose one of: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}
        raise BadParameters({"lang": [message]})
    return language


class ReadOnlyView(generics.GenericAPIView):
    """A public read-only endpoint. Only GET, HEAD and OPTIONS are defined: anything else
    is a 405 in JSON (DRF's MethodNotAllowed).

    Validators: an ETag of the body, so that a client that has it gets a 304 without the
    body (it is still built: the data of a page come from several tables, not all of them
    dated), and on single records a Last-Modified of their own changes."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # the rate limit first
        language = asked_language(request)
        # Kept active until the response is rendered (LocaleMiddleware sets the next one).
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def last_modified(self):
        """When the record shown last changed, or None (lists)."""
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response["ETag"] = etag = quote_etag(digest)
        changed = self.last_modified()
        timestamp = int(changed.timestamp()) if changed is not None else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )


class ObjectView(ReadOnlyView, generics.RetrieveAPIView):
    lookup_field = "slug"

    def last_modified(self):
        obj = getattr(self, "object", None)
        return getattr(obj, "updated_at", None)

    def get_object(self):
        self.object = super().get_object()
        return self.object
