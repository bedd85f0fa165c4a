"""Which text of a practice a visitor reads: its translation into the page's language when
a coordinator approved one, otherwise the original, marked with the language it is in.

One rule for the practice page, the list, the cards, the snippets, the feeds and the
sitemap: they call `localise()` on the practices they show (one query whatever their
number) and read `practice.shown`, which is the original text until then."""

from __future__ import annotations

from collections.abc import Iterable

from practices.models import Practice, PracticeTranslation, ShownText


def translated_text(practice: Practice, translation: PracticeTranslation) -> ShownText:
    return ShownText(translation, translation.language, practice.language)


def localise(
    practices: Iterable[Practice], language: str, texts: Iterable[str] = ()
) -> list[Practice]:
    """Set `practice.shown` on each practice for a reader of `language`; `texts`, when
    given, are the only texts of a translation read (a list's cards: title and summary)."""
    practices = list(practices)
    translations = {}
    if practices:
        # Asked even when every practice is in `language`: a page costs as many queries
        # in every language.
        # No order: the rows go into a dict, and the model's ordering joins the practices
        # (half the query's cost in Python on a list page).
        rows = (
            PracticeTranslation.objects.published()
            .filter(practice_id__in=[p.pk for p in practices], language=language)
            .order_by()
        )
        if texts:
            rows = rows.only("practice", "language", *texts)
        translations = {row.practice_id: row for row in rows}
    for practice in practices:
        translation = translations.get(practice.pk)
        if translation is not None and translation.language == practice.language:
            translation = None  # a translation into the practice's own language is not one
        practice.shown = translated_text(practice, translation) if translation else practice.shown
    return practices


def published_languages(practice: Practice) -> list[str]:
    """The languages a visitor can read the practice in: its own first."""
    others = practice.translations.published().values_list("language", flat=True)
    return [practice.language, *sorted(set(others) - {practice.language})]
