"""PDFs of the public catalogue: a practice, and the first practices of a filtered list.

Both show what the public pages show (published practices only, in the page's language:
practices.languages.localise) and are made by nador_portal.pdf. A practice takes a worker
for a fraction of a second; a list of 200 for a few seconds, hence its limit per address
(figures in docs/performance/pdf.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from nador_portal.client import client_ip
from nador_portal.pdf import pdf_response, render_pdf
from nador_portal.throttle import Limit
from practices.languages import localise
from practices.models import Practice
from practices.views import PDF_LIST_LIMIT, _ordered, _sort, published_practice
from search.filters import PracticeFilter

LIST_LIMIT = PDF_LIST_LIMIT
HOUR = 60 * 60


def list_pdf_limit() -> Limit:
    return Limit("list-pdf-address", settings.LIST_PDF_LIMIT, HOUR)


@require_GET
def practice_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    practice = published_practice(slug)
    page_url = request.build_absolute_uri(practice.get_absolute_url())
    context = {"practice": practice, "page_url": page_url}
    pdf = render_pdf(request, "pdf/practice.html", context)
    return pdf_response(pdf, f"{practice.slug}-{get_language()}", public=True)


@require_GET
def list_pdf(request: HttpRequest) -> HttpResponse:
    """The first LIST_LIMIT practices of the public list with the same filters and sort."""
    limit = list_pdf_limit()
    if limit.hit(client_ip(request)) > limit.limit:
        return _too_many(request, limit)
    filterset = PracticeFilter(request.GET, queryset=Practice.objects.published())
    search_text = filterset.search_text()
    total = filterset.qs.count()
    sort = _sort(request.GET, bool(search_text))
    ordered = _ordered(filterset.qs, sort, search_text, total)
    practices = localise(ordered.prefetch_related("themes")[:LIST_LIMIT], get_language())
    context = {
        "practices": practices,
        "total": total,
        "limit": LIST_LIMIT,
        "errors": filterset.error_messages(),
        "query": search_text,
        "page_url": request.build_absolute_uri(
            f"{reverse('practices:list')}?{request.GET.urlencode()}".rstrip("?")
        ),
    }
    pdf = render_pdf(request, "pdf/practice_list.html", context)
    return pdf_response(pdf, f"practices-{get_language()}", public=True)


def _too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    retry = limit.retry_after()
    context = {"pdf_limit": limit.limit}
    response = render(request, "pdf/too_many.html", context, status=429)
    response["Retry-After"] = str(retry)
    return response
