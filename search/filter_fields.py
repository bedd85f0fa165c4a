"""The form fields and filters of the list's dimensions (search/dimensions.py): what a
value in a URL may be. A value no practice can have is an invalid choice or simply
matches nothing, never a database error."""

from __future__ import annotations

import unicodedata
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.choices import flatten_choices

MIN_YEAR, MAX_YEAR = 1950, 2100


class AnyValuesField(forms.MultipleChoiceField):
    """Several free values (cities): any value is accepted and simply matches nothing."""

    def valid_value(self, value) -> bool:
        # No city holds a control character (NUL cannot even be stored in PostgreSQL's
        # text, and XML 1.0 refuses most of them in the feed's title).
        return len(value) <= 100 and not any(unicodedata.category(c) == "Cc" for c in value)


class KnownValuesField(django_filters.fields.MultipleChoiceField):
    """Values among fixed choices (countries, languages), found in a set of their keys
    rather than by a walk through the 249 countries' choices, normalised again at each
    visitor's request."""

    @cached_property
    def _keys(self) -> frozenset[str]:
        return frozenset(str(key) for key, _label in flatten_choices(list(self.choices)))

    def valid_value(self, value) -> bool:
        return str(value) in self._keys


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
        """The records of these keys. ModelMultipleChoiceField builds a query per key and one
        for them all; compiling those cost twice the query itself (0.35 ms of each filter
        of the list), so a field over a whole table reads it by a statement written from
        the model's table and columns."""
        model = self.queryset.model
        field = model._meta.get_field(self.to_field_name or "pk")
        keys = self._check_keys(field, value)
        if self.queryset.query.has_filters():
            return super()._check_values(value)
        db = self.queryset.db
        quote = connections[db].ops.quote_name
        fields = model._meta.concrete_fields
        sql = (
            f"SELECT {', '.join(quote(f.column) for f in fields)} "  # noqa: S608 - names from _meta
            f"FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} "
            f"IN ({', '.join(['%s'] * len(keys))}) ORDER BY {quote(model._meta.pk.column)}"
        )
        names = [f.attname for f in fields]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [field.get_db_prep_value(key, cursor.db) for key in keys])
            records = [model.from_db(db, names, row) for row in cursor.fetchall()]
        found = {str(getattr(record, field.attname)) for record in records}
        for key in value:
            if str(key) not in found:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                )
        return records

    def _check_keys(self, field, value) -> set:
        """The keys as the model field holds them; a key it refuses is an invalid choice."""
        keys = set()
        for key in value:
            self.validate_no_null_characters(key)
            try:
                python = field.to_python(key)
                field.run_validators(python)
            except TypeError:  # a list in the list
                raise ValidationError(
                    self.error_messages["invalid_list"], code="invalid_list"
                ) from None
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": key},
                ) from None
            keys.add(python)
        return keys


class KeysFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = KeysField


class KnownValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = KnownValuesField


class AnyValuesFilter(django_filters.MultipleChoiceFilter):
    field_class = AnyValuesField


class YearsFilter(django_filters.MultipleChoiceFilter):
    field_class = YearsField
