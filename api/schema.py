"""The API's query parameters as the OpenAPI schema describes them, read from the same
dimension definitions as the filters (search/dimensions.py): a new dimension is described
here without an edit."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from search import dimensions

LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of category names and public page addresses; by default the "
    "Accept-Language header's, English when none fits. Texts of practices come in their "
    "own language with their approved translations, whatever this says.",
)
FACETS = OpenApiParameter(
    "facets",
    OpenApiTypes.BOOL,
    description="With facets=1, the answer adds `count` (the practices matching) and "
    "`facets`: for each filter, its options with the number of practices each would give "
    "under the other filters, as the practice list page shows them.",
)
SEARCH = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="Full-text search in the texts of practices and their approved "
    "translations, as the search box of the practice list.",
)


def _values_of(dimension: dimensions.Dimension) -> str:
    if isinstance(dimension, dimensions.ActiveInYear):
        return "a year (1950-2100): practices active that year"
    if dimension.model is not None and not dimension.key_field.choices:
        return f"the {dimension.model._meta.verbose_name}'s {dimension.key}"
    if dimension.key_field.choices:
        return "one of the listed codes"
    return "a value as written in the practices"


def _dimension_parameter(dimension: dimensions.Dimension) -> OpenApiParameter:
    choices = [str(code) for code, _label in dimension.key_field.flatchoices]
    if isinstance(dimension, dimensions.ActiveInYear):
        choices = []
    return OpenApiParameter(
        dimension.name,
        OpenApiTypes.INT if isinstance(dimension, dimensions.ActiveInYear) else OpenApiTypes.STR,
        many=True,
        explode=True,
        enum=choices or None,
        description=f"{dimension.label}: {_values_of(dimension)}. Repeat the parameter for "
        "several values: a practice having any of them (OR); different filters combine "
        "with AND. An unknown value is a 400 error naming the parameter.",
    )


def practice_filter_parameters() -> list[OpenApiParameter]:
    """The practice list's filters: the public list's, one per dimension, and `q`."""
    return [SEARCH, *(_dimension_parameter(d) for d in dimensions.DIMENSIONS)]


class PracticeListSchema(AutoSchema):
    """The practice list's parameters, read from the dimensions when the schema is made:
    made when the views were imported, they kept the dimensions of that moment."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), *practice_filter_parameters(), FACETS, LANG]
