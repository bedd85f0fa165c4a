"""The categories of the knowledge base have a name (and description) per language.

django-modeltranslation adds `name_en`, `name_fr`, `name_ar`, `name_es` beside `name`;
reading `name` gives the current language's, or English where it is not translated.
Slugs stay one per category, so URLs and filters do not change with the language."""

from modeltranslation.translator import TranslationOptions, register

from practices.models import (
    GcmObjective,
    GuidingPrinciple,
    InterventionArea,
    Programme,
    TargetGroup,
    Theme,
)


@register([Theme, TargetGroup, InterventionArea, Programme])
class TaxonomyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(GcmObjective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("short_title", "title")


@register(GuidingPrinciple)
class PrincipleTranslation(TranslationOptions):
    fields = ("title",)
