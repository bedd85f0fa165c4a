"""The programme in numbers: public figures of published work, for everyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.views.decorators.http import require_GET

from reports.numbers import chart_rows, programme_numbers


@require_GET
def numbers(request: HttpRequest) -> HttpResponse:
    context = programme_numbers(request.GET)
    rtl = get_language_bidi()
    tables = [
        *context["practice_tables"],
        context["indicators"].table,
        *context["event_tables"],
    ]
    for number, table in enumerate(tables, start=1):
        table.chart_id = f"chart-{number}"
        table.chart, table.chart_height = chart_rows(table, rtl)
    filterset = context["filterset"]
    context |= {
        "errors": [
            f"{filterset.form.fields[name].label}: {' '.join(messages)}"
            for name, messages in filterset.errors.items()
        ],
        "list_url": reverse("practices:list") + _query(request),
        "clear_url": request.path,
        "query": filterset.search_text(),
    }
    return render(request, "numbers/numbers.html", context)


def _query(request: HttpRequest) -> str:
    query = request.GET.urlencode()
    return f"?{query}" if query else ""
