"""The filters of the public practice list, shared by the list, its feed and its facets.

Several values of one filter combine with OR (``?theme=a&theme=b``), different filters
with AND. Each filter is one condition on Practice (an EXISTS over a through table for the
many-to-many ones), built by ``condition(name, values)``, so that the facets can apply
every filter but one.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from practices.models import (
    CooperationLevel,
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Practice,
    Programme,
    StakeholderRole,
    TargetGroup,
    Theme,
)
from search.fulltext import clean_query, search_condition
from stakeholders.models import Stakeholder, StakeholderKind

# The order in which filters appear in the form, the facets and the chips.
FILTER_NAMES = [
    "theme",
    "objective",
    "principle",
    "target_group",
    "area",
    "country",
    "city",
    "stakeholder_kind",
    "stakeholder",
    "programme",
    "level",
    "year",
]
MIN_YEAR, MAX_YEAR = 1950, 2100


class AnyValuesField(forms.MultipleChoiceField):
    """Several free values (cities): any value is accepted and simply matches nothing."""

    def valid_value(self, value) -> bool:
        return len(value) <= 100


class YearsField(forms.MultipleChoiceField):
    def valid_value(self, value) -> bool:
        # isascii(): "²" is a digit to isdigit() but not to int().
        return value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR

    def clean(self, value):
        return [int(year) for year in super().clean(value)]


class AnyValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = AnyValuesField


class YearsFilter(django_filters.MultipleChoiceFilter):
    field_class = YearsField


def _through(model, column: str, values) -> Q:
    return Q(Exists(model.objects.filter(practice_id=OuterRef("pk"), **{f"{column}__in": values})))


def active_in(year: int) -> Q:
    """Started by the end of ``year`` and not ended before it; an open end runs to today."""
    started = Q(start_date__isnull=False, start_date__year__lte=year)
    if year <= date.today().year:
        running = Q(end_date__isnull=True) | Q(end_date__year__gte=year)
    else:
        running = Q(end_date__year__gte=year)
    return started & running


def condition(name: str, values) -> Q:
    """The condition of one filter with its (cleaned) values, OR-ed together."""
    through = Practice._meta.get_field
    if name == "q":
        return search_condition(values)
    if name == "theme":
        return _through(through("themes").remote_field.through, "theme", values)
    if name == "objective":
        return _through(through("objectives").remote_field.through, "gcmobjective", values)
    if name == "principle":
        return _through(through("principles").remote_field.through, "guidingprinciple", values)
    if name == "target_group":
        return _through(through("target_groups").remote_field.through, "targetgroup", values)
    if name == "area":
        return _through(through("areas").remote_field.through, "interventionarea", values)
    if name == "level":
        model = through("cooperation_levels").remote_field.through
        return _through(model, "cooperationlevel", values)
    if name == "stakeholder":
        return _through(StakeholderRole, "stakeholder", values)
    if name == "stakeholder_kind":
        return _through(StakeholderRole, "stakeholder__kind", values)
    if name == "country":
        return Q(country__in=values)
    if name == "city":
        return Q(city__in=values)
    if name == "programme":
        return Q(programme__in=values)
    if name == "year":
        combined = Q()
        for year in values:
            combined |= active_in(year)
        return combined
    raise ValueError(f"Unknown filter {name!r}")


def _by_slug(queryset, label, field="slug"):
    return django_filters.ModelMultipleChoiceFilter(
        queryset=queryset, to_field_name=field, label=label, method="apply"
    )


def without_blank_values(data) -> QueryDict:
    """A copy of query parameters (a QueryDict or a dict of values or lists) without blanks."""
    cleaned = QueryDict(mutable=True)
    for name in data:
        values = data.getlist(name) if hasattr(data, "getlist") else data[name]
        values = [values] if isinstance(values, str) else list(values)
        cleaned.setlist(name, [value for value in values if str(value).strip()])
    return cleaned


class PracticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="apply")
    theme = _by_slug(Theme.objects.all(), _("Theme"))
    objective = _by_slug(GcmObjective.objects.all(), _("GCM objective"), field="number")
    principle = _by_slug(GuidingPrinciple.objects.all(), _("Guiding principle"))
    target_group = _by_slug(TargetGroup.objects.all(), _("Target group"))
    area = _by_slug(InterventionArea.objects.all(), _("Area of intervention"))
    country = django_filters.MultipleChoiceFilter(
        choices=lambda: list(countries), label=_("Country"), method="apply"
    )
    city = AnyValuesFilter(label=_("City"), method="apply")
    stakeholder_kind = django_filters.MultipleChoiceFilter(
        choices=StakeholderKind.choices, label=_("Kind of stakeholder"), method="apply"
    )
    stakeholder = _by_slug(Stakeholder.objects.all(), _("Stakeholder"))
    programme = _by_slug(Programme.objects.all(), _("Programme"))
    level = _by_slug(CooperationLevel.objects.all(), _("Cooperation level"), field="code")
    year = YearsFilter(label=_("Active in year"), method="apply")

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # A blank value (``?country=``, sent by an empty select of a GET form) means
        # "no filter", not an invalid choice.
        if data is not None:
            data = without_blank_values(data)
        super().__init__(data, *args, **kwargs)

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
        if not value:
            return queryset
        return queryset.filter(condition(name, value))

    def active(self) -> dict[str, list]:
        """The filters in use with their cleaned values (model instances for taxonomies)."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {name: list(data[name]) for name in FILTER_NAMES if data.get(name)}

    def search_text(self) -> str:
        if not self.is_valid():
            return ""
        return clean_query(self.form.cleaned_data.get("q") or "")

    def conditions(self, excluding: str | None = None) -> list[Q]:
        active = self.active()
        found = [condition(name, values) for name, values in active.items() if name != excluding]
        if self.search_text():
            found.append(condition("q", self.search_text()))
        return found
