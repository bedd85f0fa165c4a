"""The form fields and filters of the list's dimensions (search/dimensions.py): what a
value in a URL may be. A value no practice can have is an invalid choice or simply
matches nothing, never a database error."""

from __future__ import annotations

import unicodedata

import django_filters
from django import forms
from django.core.exceptions import ValidationError

MIN_YEAR, MAX_YEAR = 1950, 2100


class AnyValuesField(forms.MultipleChoiceField):
    """Several free values (cities): any value is accepted and simply matches nothing."""

    def valid_value(self, value) -> bool:
        # No city holds a control character (NUL cannot even be stored in PostgreSQL's
        # text, and XML 1.0 refuses most of them in the feed's title).
        return len(value) <= 100 and not any(unicodedata.category(c) == "Cc" for c in value)


class YearsField(forms.MultipleChoiceField):
    def valid_value(self, value) -> bool:
        # isascii(): "²" is a digit to isdigit() but not to int().
        return value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR

    def clean(self, value):
        return [int(year) for year in super().clean(value)]


class KeysField(forms.ModelMultipleChoiceField):
    """Records by their key. A key its model field refuses (a number beyond what the
    database holds) is an invalid choice, like an unknown one, not a database error."""

    def clean(self, value):
        # No key: an empty list rather than Django's queryset.none(), whose truth value
        # (tested by the filter and by PracticeFilter.active()) compiled a query each time,
        # 16 per list page.
        if not value and not self.required:
            return []
        return super().clean(value)

    def _check_values(self, value):
        field = self.queryset.model._meta.get_field(self.to_field_name or "pk")
        for key in value:
            try:
                field.run_validators(field.to_python(key))
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                ) from None
        return super()._check_values(value)


class KeysFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KeysField


class AnyValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = AnyValuesField


class YearsFilter(django_filters.MultipleChoiceFilter):
    field_class = YearsField
