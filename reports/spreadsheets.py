"""Pieces shared by the Resources of practices, stakeholders and events.

django-import-export's ManyToManyWidget silently drops values it cannot find
(django-import-export issue #1302) and its ForeignKeyWidget matches one field exactly.
The portal needs both to match a name or a slug case-insensitively and to report an
unknown value as an error of its row, never to create one or skip it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import CharField, F, Model, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from import_export import widgets
from modeltranslation.translator import NotRegistered, translator

from reports.widgets import CountryWidget, widget_for

# A spreadsheet reads a cell that begins with one of these as a formula (or, for tab and
# carriage return, as the start of one once the cell is trimmed).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a cell inert for spreadsheet programs: a text starting like a formula gets a
    leading apostrophe, which Excel and LibreOffice read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value):
    """Undo `neutralise` on import so that an exported file comes back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def same_time(written: datetime | None, stored: datetime | None) -> bool:
    """Whether a time read from a file is the stored one as an export writes it: a CSV
    truncates it to the second, an XLSX rounds it to about a millisecond."""
    if not isinstance(written, datetime) or not isinstance(stored, datetime):
        return False
    truncated = written.replace(microsecond=0) == stored.replace(microsecond=0)
    return truncated or abs(written - stored) < timedelta(milliseconds=1)


def language_codes() -> list[str]:
    return [code for code, _label in settings.LANGUAGES]


def sheet_language(language: str | None = None) -> str:
    """The language a spreadsheet names categories in: the one asked for (the page's),
    else the active one, else the portal's default."""
    try:
        return get_supported_language_variant(language or get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The fields of a model that have a column per language (practices/translation.py)."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def localised_columns(model: type[Model], name: str, language: str) -> list[str]:
    """The columns holding `name` in `language`, in the order they are tried: the
    language's own, then the default language's (django-modeltranslation's fallback)."""
    if name not in translated_fields(model):
        return [name]
    return list(dict.fromkeys(f"{name}_{code}" for code in (language, settings.LANGUAGE_CODE)))


def localised(obj: Model, name: str, language: str):
    """The value of `name` in `language`, read from its columns rather than through
    modeltranslation's descriptor: a blank one falls back the way localised_expression
    does in SQL, whatever language is active while a streamed export is written."""
    columns = localised_columns(type(obj), name, language)
    if columns == [name]:
        return getattr(obj, name)
    return next((value for c in columns if (value := getattr(obj, c)) not in (None, "")), "")


def localised_expression(model: type[Model], name: str, language: str, prefix: str = ""):
    """`localised` as a database expression, for a path from another model (`prefix`)."""
    columns = localised_columns(model, name, language)
    if columns == [name]:
        return F(prefix + name)
    blank = Value("")
    parts = (NullIf(F(prefix + c), blank) for c in columns)
    return Coalesce(*parts, blank, output_field=CharField())


def sheet_order(model: type[Model]) -> list[str]:
    """The fields that order the records of a model with names per language in a cell:
    its Meta.ordering, read in the sheet's language and compared as Python compares them
    (code points), then the primary key. The database's collation and modeltranslation's
    rewritten ordering (empty names first or last depending on the database) would give
    the exports and the SQL CSV different orders. Other models keep their Meta.ordering."""
    order = list(model._meta.ordering)
    if not all(isinstance(key, str) and key.isidentifier() for key in order):
        raise ValueError(f"{model.__name__}: only ascending fields can order a cell")
    return order


def is_text(model: type[Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), CharField | TextField)


def sort_key(obj: Model, language: str) -> tuple:
    return (*(localised(obj, name, language) for name in sheet_order(type(obj))), obj.pk)


class Lookup:
    """Finds the objects of a small reference table by any of several keys, ignoring
    case. The whole table is read once per import: taxonomies have tens of rows."""

    def __init__(self, model: type[Model], keys: tuple[str, ...]):
        self.model = model
        self.keys = keys
        self._index: dict[str, Model] | None = None

    def index(self) -> dict[str, Model]:
        if self._index is None:
            self._index = {}
            # A category's name in any language is found too; the active language's
            # names first, should one language's name be another one's in a second.
            keys = [*self.keys, "__str__"]
            for key in self.keys:
                for code in language_codes():
                    keys.extend(localised_columns(self.model, key, code)[:1])
            keys = list(dict.fromkeys(keys))
            objects = list(self.model.objects.all())
            for key in keys:
                for obj in objects:
                    value = str(obj) if key == "__str__" else getattr(obj, key)
                    if value not in (None, ""):
                        self._index.setdefault(str(value).strip().casefold(), obj)
        return self._index

    def find(self, value) -> Model | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheets store 17 as 17.0
        return self.index().get(str(value).strip().casefold())

    def reset(self) -> None:
        self._index = None


def unknown(model: type[Model], values: list[str]) -> ValueError:
    return ValueError(
        _("Unknown %(kind)s: %(values)s. Use the exact name or slug of an existing one.")
        % {"kind": model._meta.verbose_name, "values": ", ".join(f"“{v}”" for v in values)}
    )


class NameOrSlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related object's name (exported) or slug."""

    def __init__(self, model, keys=("name", "slug"), **kwargs):
        super().__init__(model, field=keys[0], **kwargs)
        self.lookup = Lookup(model, keys)
        #: The language names are written in; set by the Resource (PortalResourceMixin).
        self.language = settings.LANGUAGE_CODE

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        found = self.lookup.find(value)
        if found is None:
            raise unknown(self.model, [str(value).strip()])
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(localised(value, self.field, self.language))


class NameOrSlugManyToManyWidget(widgets.ManyToManyWidget):
    """Several related objects separated by "|", each by name or slug."""

    def __init__(self, model, keys=("name", "slug"), separator="|", **kwargs):
        super().__init__(model, separator=separator, field=keys[0], **kwargs)
        self.lookup = Lookup(model, keys)
        self.language = settings.LANGUAGE_CODE

    def split(self, value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, float | int):
            value = str(int(value))
        return [part.strip() for part in str(value).split(self.separator) if part.strip()]

    def clean(self, value, row=None, **kwargs):
        parts = self.split(value)
        found = [self.lookup.find(part) for part in parts]
        missing = [part for part, obj in zip(parts, found, strict=True) if obj is None]
        if missing:
            raise unknown(self.model, missing)
        return list(dict.fromkeys(found))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        # .all() keeps a prefetch made by the export's queryset: no query per row.
        items = value.all()
        if translated_fields(self.model):
            items = sorted(items, key=lambda item: sort_key(item, self.language))
        return self.separator.join(
            str(localised(item, self.field, self.language)) for item in items
        )


class ChoiceWidget(widgets.Widget):
    """A choice written as its code, read from its code or its label, ignoring case."""

    def __init__(self, choices, blank="", **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return self.blank
        code = self._codes().get(text.casefold(), _NOT_FOUND)
        if code is not _NOT_FOUND:
            return code
        raise ValueError(
            _("Unknown value “%(value)s”; use one of: %(choices)s.")
            % {"value": text, "choices": ", ".join(str(code) for code, _label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def _codes(self) -> dict:
        """{code or label, casefolded: code} in the active language, made once per
        language: each row would translate every label again (250 countries)."""
        language = get_language()
        cache = self.__dict__.setdefault("_codes_by_language", {})
        codes = cache.get(language)
        if codes is None:
            codes = {}
            for code, label in self.choices:
                for key in (str(code).casefold(), str(label).casefold()):
                    codes.setdefault(key, code)
            cache[language] = codes
        return codes


_NOT_FOUND = object()


def choice_field(attribute: str, choices, blank=""):
    """A choice column; a blank cell means `blank` (the model's default, if it has one)."""
    from import_export import fields

    widget = ChoiceWidget(choices, blank=blank)
    return fields.Field(attribute=attribute, column_name=attribute, widget=widget)


def country_field():
    from import_export import fields

    return fields.Field(attribute="country", column_name="country", widget=CountryWidget())


def names_field(attribute: str, model, keys=("name", "slug")):
    from import_export import fields

    return fields.Field(
        attribute=attribute, column_name=attribute, widget=NameOrSlugManyToManyWidget(model, keys)
    )


class PortalResourceMixin:
    """What every portal Resource does on import: validate models fully, skip rows that
    change nothing, undo formula neutralisation, and report progress to a callback."""

    #: Columns a file must have; the rest may be left out.
    required_columns: tuple[str, ...] = ()
    #: Columns an export writes but an import ignores (computed values).
    computed_columns: tuple[str, ...] = ()
    #: select_related / prefetch_related for exports: no query per row.
    export_select_related: tuple[str, ...] = ()
    export_prefetch_related: tuple = ()

    def __init__(self, language: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.language = sheet_language(language)
        # Names, and the order of a day and a month, are read in the sheet's language.
        for field in self.fields.values():
            if hasattr(field.widget, "language"):
                field.widget.language = self.language

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        return widget_for(f, super().widget_from_django_field(f, default))

    def max_length(self, column: str) -> int | None:
        """The most characters the text field of a column holds (None: no limit). A code
        (a country, a choice) may be typed as a longer name."""
        for field in self.fields.values():
            if field.column_name == column and field.attribute:
                try:
                    model_field = self._meta.model._meta.get_field(field.attribute)
                except FieldDoesNotExist:
                    return None
                if isinstance(model_field, CharField | TextField) and not model_field.choices:
                    return model_field.max_length
        return None

    def before_import(self, dataset, **kwargs):
        for widget in self._lookup_widgets():
            widget.lookup.reset()  # a lookup table may have changed since the last import

    def get_import_fields(self):
        """django-import-export's, made once: it works the list out again for every row
        and every call (three times a row, 0.3 ms each with 70 columns)."""
        fields = self.__dict__.get("_import_fields")
        if fields is None:
            fields = self.__dict__["_import_fields"] = super().get_import_fields()
        return fields

    def _lookup_widgets(self):
        for field in self.fields.values():
            if hasattr(field.widget, "lookup"):
                yield field.widget

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            row[column] = unneutralise(value)
        for field in self.fields.values():
            value = row.get(field.column_name)
            # A date typed in a spreadsheet comes as a datetime at midnight.
            if isinstance(field.widget, widgets.DateWidget) and isinstance(value, datetime):
                row[field.column_name] = value.date()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A time the file holds to the second (or, in an XLSX, to the millisecond) that
        is the stored one at that precision is the stored one: kept to the microsecond,
        so that an unedited export changes nothing."""
        if isinstance(field.widget, widgets.DateTimeWidget) and field.column_name in row:
            try:
                value = field.clean(row, **kwargs)
            except ValueError:
                value = None  # field.save reports it
            if same_time(value, getattr(instance, field.attribute, None)):
                return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        """Also read the many-to-many columns and the `extra_column_parsers` columns now
        (django-import-export reads the first only when saving), so that an unknown or
        malformed value is reported against its column, with every other error of the row."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.column_name] = [str(error)]
        self.finish_row(instance, row, errors)

    def finish_row(self, instance, row, errors: dict) -> None:
        """Read the row's columns that are not model fields into the instance
        (keep_parsed), then refuse the row with every error found in it."""
        parsed = {}
        for column, parse in self.extra_column_parsers().items():
            if column in row:
                try:
                    parsed[column] = parse(row[column])
                except ValueError as error:
                    errors[column] = [str(error)]
        self.keep_parsed(instance, parsed)
        if errors:
            raise ValidationError(errors)

    def extra_column_parsers(self) -> dict:
        """{column: function reading its cell} for columns that are not model fields (rows
        of other tables); a function raises ValueError with the message for a bad value."""
        return {}

    def keep_parsed(self, instance, parsed: dict) -> None:
        """Keep the values read from the extra columns for the save: `_import_<column>`."""
        for column, value in parsed.items():
            setattr(instance, f"_import_{column}", value)

    def before_save_instance(self, instance, row, **kwargs):
        """Record who imported a record, in its fields and in its history."""
        user = kwargs.get("user")
        if user is None:
            return
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user
            if instance._state.adding:
                instance.created_by = user
        instance._history_user = user
        instance._change_reason = "Imported from a spreadsheet"

    def after_import_row(self, row, row_result, **kwargs):
        progress = kwargs.get("progress")
        if progress is not None:
            progress()

    @classmethod
    def export_queryset(cls, queryset):
        return queryset.select_related(*cls.export_select_related).prefetch_related(
            *cls.export_prefetch_related
        )

    def column_for(self, key: str) -> str:
        """The column a validation error key (a model field or attribute) belongs to."""
        for name, field in self.fields.items():
            if key in (name, field.attribute, field.column_name):
                return field.column_name
        return key
