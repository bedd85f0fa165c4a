"""A category's name in the page's language, where the database computes it.

Reading `theme.name` on a record gives the page's language with English where a translation
is missing (django-modeltranslation's descriptor). Queries that never build a record (grouped
counts, the facet labels, raw SQL) must say the same thing in SQL: the language's column,
or the English one where it is empty. The untranslated `name` column is no answer: it holds
whatever language the record was last saved in.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.manager import get_translatable_fields_for_model
from modeltranslation.utils import build_localized_fieldname, get_language

ENGLISH = "en"


def is_translated(model, field: str) -> bool:
    return field in (get_translatable_fields_for_model(model) or ())


def localised(path: str, language: str | None = None):
    """An expression of the translated field at `path` ("name", "themes__name") in
    `language` (the active one by default), falling back to English."""
    language = language or get_language()
    english = F(build_localized_fieldname(path, ENGLISH))
    if language == ENGLISH:
        return english
    own = NullIf(F(build_localized_fieldname(path, language)), Value(""))
    # Each language's column is a field class of its own: the type must be said.
    return Coalesce(own, english, output_field=CharField())


def localised_sql(model, field: str, quote, language: str | None = None) -> str:
    """The same as `localised`, as SQL over `model`'s table, for raw queries."""
    language = language or get_language()
    meta = model._meta
    english = quote(meta.get_field(build_localized_fieldname(field, ENGLISH)).column)
    if language == ENGLISH:
        return english
    own = quote(meta.get_field(build_localized_fieldname(field, language)).column)
    return f"COALESCE(NULLIF({own}, ''), {english})"


def in_every_language(field: str) -> list[str]:
    """The field's columns, one per language of the site (name_en, name_fr...)."""
    return [build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES]
