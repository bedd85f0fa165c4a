"""The row path of PracticeResource's import, a column at a time (docs/performance/log.md,
"Part I2: the import's bulk path").

django-import-export cleans every cell of every row with its column's widget, twice for
some (import_instance, then save / skip_row / save_m2m), and full_clean() checks every
field of every row again. Most columns hold few distinct values (statuses, countries,
organisations, categories, dates): each distinct value of a column is cleaned once per
import, by the same widget and model field, and the result (or its error message, in the
language of the import) serves every row holding it. Long texts, all different, are not
remembered: they would keep the file's texts alive to the end of the import.

Rows still go through import_row one by one, so the report (new / updated / unchanged
rows, every error of a row by column) and the dry run's preview are what they were.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from import_export import widgets

from reports.spreadsheets import FORMULA_PREFIXES, same_time

#: What `neutralise` makes of a cell starting like a formula.
NEUTRALISED = tuple("'" + prefix for prefix in FORMULA_PREFIXES)

#: Cells longer than this are cleaned each time rather than remembered (texts).
REMEMBERED_LENGTH = 120


class _Refused:
    """A widget's ValueError for a cell, kept to be raised again with its message."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _key(value):
    """A cell as a key of a column's remembered values, or None when it is not kept: its
    type is part of it (1, 1.0 and True are equal in a dict)."""
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return (type(value), value)
    if isinstance(value, str) and len(value) <= REMEMBERED_LENGTH:
        return (str, value)
    return None


class ColumnCleaning:
    """Each column's distinct values cleaned once per import (see the module)."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = set(dataset.headers or ())
        fields = [
            field
            for field in self.get_import_fields()
            if field.attribute and field.column_name in headers and not field.readonly
        ]
        #: {column: {cell key: cleaned value or _Refused}}, for the columns whose widget
        #: does more than take the text as it is.
        self.cleaned_cells = {
            field.column_name: {}
            for field in fields
            if type(field.widget) not in (widgets.Widget, widgets.CharWidget)
        }
        #: {(field name, value key): cleaned value or its ValidationError's error_list}
        self.checked_values: dict = {}
        self.row_fields = [
            field
            for field in fields
            if not isinstance(field.widget, widgets.ManyToManyWidget)
            and "__" not in field.attribute
        ]
        self.m2m_fields = [
            field for field in fields if isinstance(field.widget, widgets.ManyToManyWidget)
        ]
        self.date_columns = [
            field.column_name
            for field in self.fields.values()
            if isinstance(field.widget, widgets.DateWidget) and field.column_name in headers
        ]

    def clean_cell(self, field, row):
        """field.clean(row), once per distinct value of the column."""
        cache = self.__dict__.get("cleaned_cells", {}).get(field.column_name)
        key = _key(row.get(field.column_name)) if cache is not None else None
        if key is None:
            return field.clean(row)
        found = cache.get(key, cache)
        if found is cache:
            try:
                found = field.clean(row)
            except ValueError as error:
                found = _Refused(str(error))
            cache[key] = found
        if isinstance(found, _Refused):
            raise ValueError(found.message)
        # A list of categories is the row's own: the caller may change it.
        return list(found) if isinstance(found, list) else found

    def before_import_row(self, row, **kwargs):
        """PortalResourceMixin's: formulas' apostrophes taken off, spreadsheet dates at
        midnight read as dates; only the cells that need it looked at."""
        for column, value in row.items():
            if isinstance(value, str) and value.startswith(NEUTRALISED):
                row[column] = value[1:]
        for column in self.date_columns:
            if isinstance(row.get(column), datetime):
                row[column] = row[column].date()

    def import_instance(self, instance, row, **kwargs):
        """django-import-export's and PortalResourceMixin's, with the same errors: the
        practice's own columns set from their cleaned cells, the many-to-many columns and
        the extra columns (roles, indicators) read and checked."""
        if "row_fields" not in self.__dict__:  # a row imported without before_import
            return super().import_instance(instance, row, **kwargs)
        errors: dict = {}
        for field in self.row_fields:
            try:
                value = self.clean_cell(field, row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
                continue
            # PortalResourceMixin.import_field: a time as the export wrote it is the stored one.
            if isinstance(field.widget, widgets.DateTimeWidget) and same_time(
                value, getattr(instance, field.attribute, None)
            ):
                continue
            if value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
        if errors:
            errors = ValidationError(errors).update_error_dict({})
        for field in self.m2m_fields:
            try:
                self.clean_cell(field, row)
            except ValueError as error:
                errors[field.column_name] = [str(error)]
        self.finish_row(instance, row, errors)

    @cached_property
    def remembered_fields(self) -> set[str]:
        """The model's fields whose values repeat: not texts (titles, slugs), all
        different, which would only fill the memory."""
        return {
            field.name
            for field in self._meta.model._meta.fields
            if field.choices or not isinstance(field, models.CharField | models.TextField)
        }

    def clean_fields(self, instance, exclude: set) -> dict:
        """Model.clean_fields(), each field's short values checked once per import; returns
        the errors by field (the model field's own messages)."""
        errors = {}
        checked = self.__dict__.setdefault("checked_values", {})
        for field in instance._meta.fields:
            if field.name in exclude or field.generated:
                continue
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            key = _key(raw) if field.name in self.remembered_fields else None
            outcome = checked.get((field.name, key)) if key is not None else None
            if outcome is None:
                try:
                    outcome = (True, field.clean(raw, instance))
                except ValidationError as error:
                    outcome = (False, error.error_list)
                if key is not None:
                    checked[(field.name, key)] = outcome
            valid, value = outcome
            if valid:
                setattr(instance, field.attname, value)
            else:
                # A copy: the errors of a row are extended by later checks.
                errors[field.name] = list(value)
        return errors
