"""The open data described: the /data/ page, its datapackage.json and its DCAT-AP
catalogue (catalog.jsonld). The files themselves are served by reports/views/exports.py."""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reports import datasets, open_data

#: Seconds the descriptions may be cached: they change with each build, as the files do.
MAX_AGE = 300


def _file_url(kind: str, fmt: str) -> str:
    if kind == "practices":
        return reverse("reports:open_data", kwargs={"fmt": fmt})
    return reverse("reports:open_data_file", kwargs={"kind": kind, "fmt": fmt})


def _absolute(request: HttpRequest):
    return lambda kind, fmt: request.build_absolute_uri(_file_url(kind, fmt))


def _title() -> str:
    return _("Open data of the %(site)s") % {"site": settings.SITE_NAME}


@require_safe
def data(request: HttpRequest) -> HttpResponse:
    state = open_data.read_state()
    built = datetime.fromisoformat(state["built_at"]) if state else None
    entries = [
        {
            "kind": kind,
            "title": datasets.TITLES[kind],
            "description": datasets.DESCRIPTIONS[kind],
            "files": datasets.files(kind, _file_url),
            "columns": len(datasets.headers(kind)),
        }
        for kind in open_data.KINDS
    ]
    if state is None:
        open_data.start_build()
    return render(
        request,
        "data/data.html",
        {
            "datasets": entries,
            "built_at": built,
            "licence": datasets.licence(),
            "ready": state is not None,
        },
    )


def _json(payload: dict, content_type: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2), content_type=content_type
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    return _json(
        datasets.datapackage(_absolute(request), _title()), "application/json; charset=utf-8"
    )


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    page_url = request.build_absolute_uri(reverse("data"))
    payload = datasets.catalog(_absolute(request), page_url, _title(), str(settings.SITE_NAME))
    return _json(payload, "application/ld+json; charset=utf-8")
