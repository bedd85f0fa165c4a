"""Which text of a practice a visitor reads: its translation into the page's language when
a coordinator approved one, otherwise the original, marked with the language it is in.

One rule for the practice page, the list, the cards, the snippets, the feeds and the
sitemap: they call `localise()` on the practices they show (one query whatever their
number) and read `practice.shown`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from practices.models import Practice, PracticeTranslation


@dataclass(frozen=True)
class ShownText:
    title: str
    summary: str
    impact: str
    lessons_learnt: str
    language: str
    original_language: str
    indicator_labels: dict[str, str] = field(default_factory=dict)

    @property
    def is_translation(self) -> bool:
        return self.language != self.original_language

    def indicator_label(self, indicator) -> str:
        return self.indicator_labels.get(str(indicator.pk)) or indicator.label


def original_text(practice: Practice) -> ShownText:
    return ShownText(
        title=practice.title,
        summary=practice.summary,
        impact=practice.impact,
        lessons_learnt=practice.lessons_learnt,
        language=practice.language,
        original_language=practice.language,
    )


def translated_text(practice: Practice, translation: PracticeTranslation) -> ShownText:
    return ShownText(
        title=translation.title,
        summary=translation.summary,
        impact=translation.impact,
        lessons_learnt=translation.lessons_learnt,
        language=translation.language,
        original_language=practice.language,
        indicator_labels=translation.indicator_labels or {},
    )


def localise(practices: Iterable[Practice], language: str) -> list[Practice]:
    """Set `practice.shown` on each practice for a reader of `language`."""
    practices = list(practices)
    wanted = [p.pk for p in practices if p.language != language]
    translations = {}
    if wanted:
        rows = PracticeTranslation.objects.published().filter(
            practice_id__in=wanted, language=language
        )
        translations = {row.practice_id: row for row in rows}
    for practice in practices:
        translation = translations.get(practice.pk)
        practice.shown = (
            translated_text(practice, translation) if translation else original_text(practice)
        )
    return practices


def published_languages(practice: Practice) -> list[str]:
    """The languages a visitor can read the practice in: its own first."""
    others = practice.translations.published().values_list("language", flat=True)
    return [practice.language, *sorted(set(others) - {practice.language})]


def readable_in(language: str) -> Q:
    """The practices a reader of `language` can read without a translation tool."""
    translated = PracticeTranslation.objects.published().filter(
        practice=OuterRef("pk"), language=language
    )
    return Q(language=language) | Q(Exists(translated))
