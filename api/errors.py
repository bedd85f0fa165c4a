"""Errors of the API, always JSON: {"status": 404, "detail": "..."} and, for bad
parameters, {"errors": {parameter: [messages]}} naming each one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


class BadParameters(ValidationError):
    """Query parameters a filter, the language or the facets refuse (400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__({name: [str(m) for m in messages] for name, messages in errors.items()})


def exception_handler(exc: Exception, context: dict):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 page and its logging
    if isinstance(exc, ValidationError):
        response.data = {
            "status": response.status_code,
            "detail": _("Some parameters are not valid."),
            "errors": response.data,
        }
    elif isinstance(exc, APIException):
        response.data = {"status": response.status_code, "detail": str(exc.detail)}
    else:  # Http404 and PermissionDenied, turned into DRF's by its handler
        response.data = {"status": response.status_code, **response.data}
    if response.status_code == status.HTTP_404_NOT_FOUND and not isinstance(exc, APIException):
        response.data["detail"] = _("Nothing is published at this address.")
    return response
