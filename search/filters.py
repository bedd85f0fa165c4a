"""The filters of the public practice list, shared by the list, its feed, its facets, the
open data and the coordinators' reports.

One filter per dimension (search/dimensions.py), plus the full-text search `q`. Several
values of one filter combine with OR (``?theme=a&theme=b``), different filters with AND.
Each filter is one condition on Practice, so that the facets can apply every filter but
one.
"""

from __future__ import annotations

import django_filters
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from practices.models import Practice
from search import dimensions
from search.fulltext import clean_query, search_condition

_FORM_CLASSES: dict[tuple, tuple[tuple, type]] = {}


def without_blank_values(data) -> QueryDict:
    """A copy of query parameters (a QueryDict or a dict of values or lists) without blanks."""
    cleaned = QueryDict(mutable=True)
    for name in data:
        values = data.getlist(name) if hasattr(data, "getlist") else data[name]
        values = [values] if isinstance(values, str) else list(values)
        cleaned.setlist(name, [value for value in values if str(value).strip()])
    return cleaned


class _SharedFields(dict):
    """A filter form's fields, given as they are to each form of its class rather than
    deep-copied (a tenth of the list's Python time with its 249 countries): the filters'
    forms only validate, they are never rendered nor have a field changed."""

    def __deepcopy__(self, memo):
        return dict(self)


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="apply")

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # A blank value (``?country=``, sent by an empty select of a GET form) means
        # "no filter", not an invalid choice.
        if data is not None:
            data = without_blank_values(data)
        super().__init__(data, *args, **kwargs)
        # The dimensions' filters, read now rather than when the class was made; new ones,
        # so not deep-copied as django-filter copies the class's (a QuerySet each).
        for dimension in dimensions.DIMENSIONS:
            self.filters[dimension.name] = dimension.filter()
            self.filters[dimension.name].model = self.queryset.model
            self.filters[dimension.name].parent = self

    def get_form_class(self):
        """The form of the filters, made once per language and list of dimensions: making
        it (fourteen fields, the 249 choices of the countries) was a tenth of the list's
        time. Its fields hold nothing of a request, and its forms share them (_SharedFields)."""
        # Keyed by the dimensions' ids: the entry holds them, so no other object takes one.
        key = (get_language(), tuple(map(id, dimensions.DIMENSIONS)))
        found = _FORM_CLASSES.get(key)
        if found is None:
            if len(_FORM_CLASSES) > 64:  # dimensions replaced by tests, again and again
                _FORM_CLASSES.clear()
            form_class = super().get_form_class()
            form_class.base_fields = _SharedFields(form_class.base_fields)
            found = _FORM_CLASSES[key] = (tuple(dimensions.DIMENSIONS), form_class)
        return found[1]

    @property
    def qs(self):
        """The practices selected: nothing when a value is unknown or malformed, never the
        unfiltered list (django-filter would drop the invalid filter)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def apply(self, queryset, name: str, value):
        if name == "q":
            value = clean_query(value)
            return queryset.filter(search_condition(value)) if value else queryset
        if not value:
            return queryset
        return queryset.filter(dimensions.get(name).condition(value))

    def active(self) -> dict[str, list]:
        """The filters in use with their cleaned values (records for related dimensions)."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {name: list(data[name]) for name in dimensions.names() if data.get(name)}

    def indexed(self) -> dict[str, list]:
        """The active filters' values as the facet index holds them (keys, codes, years)."""
        return {
            name: [dimensions.get(name).index_value(value) for value in values]
            for name, values in self.active().items()
        }

    def search_text(self) -> str:
        if not self.is_valid():
            return ""
        return clean_query(self.form.cleaned_data.get("q") or "")

    def error_messages(self) -> list[str]:
        """What is wrong with the filters, each with the filter's label, as the lists say it."""
        if self.is_valid():
            return []
        return [
            f"{self.form.fields[name].label}: {' '.join(messages)}"
            for name, messages in self.errors.items()
        ]
