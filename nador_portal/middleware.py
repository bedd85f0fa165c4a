"""Middleware of the whole project: headers Django does not set itself, cleaning of control
characters, and the rules of signed-in sessions."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from nador_portal.signin import SIGNED_IN_AT


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


# C0 control characters but tab, line feed and carriage return (which a text area may hold),
# and DEL: never meant in a form field or a filter. A text pasted from a word processor may
# carry some (a vertical tab for a line break): they become spaces.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Headers that django-axes writes to the database with a failed sign-in.
STORED_HEADERS = ("HTTP_USER_AGENT", "HTTP_ACCEPT", "PATH_INFO")


def without_controls(text: str) -> str:
    return text if text.isprintable() else CONTROL_CHARACTERS.sub(" ", text)


def _cleaned(query: QueryDict) -> QueryDict | None:
    """`query` without control characters; None if it holds a NUL, which no one types."""
    if all(k.isprintable() and all(v.isprintable() for v in vs) for k, vs in query.lists()):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return None
        cleaned.setlist(without_controls(key), [without_controls(value) for value in values])
    cleaned._mutable = False
    return cleaned


class ControlCharactersMiddleware:
    """The one place where every parameter of every form, filter and search is cleaned before
    any view, form or query sees it: a NUL byte (which PostgreSQL cannot store) is a bad
    request, other control characters become spaces."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        parameters = _cleaned(request.GET)
        if parameters is None:
            return refused(request)
        request.GET = parameters
        if request.method == "POST":
            data = _cleaned(request.POST)
            if data is None:
                return refused(request)
            request.POST = data
        for header in STORED_HEADERS:
            if header in request.META:
                request.META[header] = without_controls(request.META[header]).replace("\x00", "")
        return self.get_response(request)


def refused(request) -> HttpResponseBadRequest:
    reason = _("The address or the form holds a character that is not allowed (a NUL byte).")
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request))


class SignedInMiddleware:
    """Signed-in sessions end SESSION_MAX_AGE after signing in, however active (an idle
    session already ends after SESSION_COOKIE_AGE), and nothing shown to a signed-in user is
    kept by the browser's or a proxy's cache (drafts, reviews, reports)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.SESSION_MAX_AGE:
                logout(request)
                hours = settings.SESSION_MAX_AGE // 3600
                messages.info(
                    request,
                    _(
                        "For your security you were signed out after %(hours)d hours. "
                        "Please sign in again."
                    )
                    % {"hours": hours},
                )
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
