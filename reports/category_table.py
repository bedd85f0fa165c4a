"""The categories of the knowledge base as one open-data table: themes, objectives,
principles, target groups, areas, programmes, cooperation levels and event series, each
row with its code (the value the list, the API and the other files use) and its name
and description in every language of the portal.

A column per language rather than a row per language, so that a re-user joins the
practices' `themes` column (slugs) to one row. Names are read from each language's own
column, empty where nobody translated it, so a re-user sees what is translated; proper
names that have one spelling (event series) fill every language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation

from events.models import EventSeries
from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Programme,
    TargetGroup,
    Theme,
)


@dataclass(frozen=True)
class Kind:
    #: The filter parameter of the public list whose values are this category's codes.
    name: str
    model: type[models.Model]
    code: str
    #: The translated field holding the name, or a callable for names without a column.
    title: str | Callable[[models.Model], str]
    description: str | None = None
    translated: bool = True


KINDS: list[Kind] = [
    Kind("theme", Theme, "slug", "name", "description"),
    Kind("objective", GcmObjective, "number", "short_title", "title"),
    Kind("principle", GuidingPrinciple, "slug", "title"),
    Kind("target_group", TargetGroup, "slug", "name", "description"),
    Kind("area", InterventionArea, "slug", "name", "description"),
    Kind("programme", Programme, "slug", "name", "description"),
    Kind("level", CooperationLevel, "code", lambda level: str(level.get_code_display())),
    Kind("series", EventSeries, "slug", "name", "description", translated=False),
]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def headers() -> list[str]:
    names = [f"name_{code}" for code in languages()]
    descriptions = [f"description_{code}" for code in languages()]
    return ["category", "code", *names, *descriptions]


def _in(obj: models.Model, field: str | Callable | None, language: str, translated: bool) -> str:
    if field is None:
        return ""
    if callable(field):
        with translation.override(language):
            return field(obj)
    return getattr(obj, f"{field}_{language}" if translated else field) or ""


def rows() -> Iterator[list]:
    """Every category, in the order of the list's filters and each kind's own order."""
    for kind in KINDS:
        for obj in kind.model.objects.order_by(*kind.model._meta.ordering or ["pk"]):
            yield [
                kind.name,
                str(getattr(obj, kind.code)),
                *(_in(obj, kind.title, code, kind.translated) for code in languages()),
                *(_in(obj, kind.description, code, kind.translated) for code in languages()),
            ]
