"""A practice's texts in other languages as columns of its spreadsheet.

Each language of the portal has the columns `title_<language>`, `summary_<language>`,
`impact_<language>`, `lessons_learnt_<language>` and `indicator_labels_<language>`: the
indicators' labels in that language, in the order of the `indicators` cell, separated by
"|", with an empty place for an indicator whose label is not translated. The columns of
the practice's own language stay empty: its text is in `title`, `summary`...

Exports: the coordinators' show every translation, whatever its review; the open data
only the approved (published) ones. Imports (coordinators only), language by language:

- blank cells (or no such columns): nothing changes; an existing translation is kept,
  as a blank cell cannot tell "remove it" from "not filled in" (a translation is removed
  on its page in the workspace);
- otherwise the cells are the translation (title and summary required): a new one, or
  the existing one replaced when they differ, approved at once; cells equal to the
  existing translation leave it as it is, its review status too.

A row whose translations change counts as an updated practice: it gets a version in its
history and its search data is refreshed. Translations are written in bulk, with their
own history, once the practices and indicators of the file are saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from practices.models import Indicator, PracticeTranslation, Status
from reports.resources.cells import SEPARATOR
from reports.spreadsheets import language_codes

LABELS = "indicator_labels"
TEXTS = (*PracticeTranslation.TEXT_FIELDS, LABELS)
CHUNK = 500


def column(text: str, language: str) -> str:
    return f"{text}_{language}"


def translation_columns() -> list[str]:
    return [column(text, language) for language in language_codes() for text in TEXTS]


class TranslationColumn(fields.Field):
    """One text of the practice's translation into one language (export_field)."""

    def __init__(self, text: str, language: str):
        super().__init__(column_name=column(text, language))
        self.text = text
        self.language = language


def declared_columns() -> dict[str, TranslationColumn]:
    return {
        column(text, language): TranslationColumn(text, language)
        for language in language_codes()
        for text in TEXTS
    }


def columns_resource() -> type:
    """A Resource declaring the columns, for PracticeResource to inherit: one field per
    language and text, made from the list of languages rather than written out."""
    return type("TranslationColumns", (resources.Resource,), declared_columns())


def format_labels(labels: dict, indicator_ids: list[int]) -> str:
    parts = [str(labels.get(str(pk)) or "") for pk in indicator_ids]
    return SEPARATOR.join(parts) if any(parts) else ""


def parse_labels(value: str) -> list[str]:
    """A labels cell as one label per indicator; trailing empty places dropped."""
    parts = [part.strip() for part in value.split(SEPARATOR)] if value.strip() else []
    while parts and not parts[-1]:
        parts.pop()
    return parts


def text_of(value) -> str:
    return "" if value is None else str(value)


class TranslatedColumns:
    """The translation columns of PracticeResource: their cells on export, and on import
    what a row asks (read_translations), whether it changes anything
    (translations_unchanged) and the writing of the changes (write_translations)."""

    def __init__(self, public: bool = False, **kwargs):
        super().__init__(**kwargs)
        #: Only approved translations: the open data.
        self.public = public
        self.existing_translations: dict[int, dict[str, PracticeTranslation]] = {}
        self.translated: list = []
        self.import_user = None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.translated = []
        self.import_user = kwargs.get("user")

    def max_length(self, column: str) -> int | None:
        field = self.fields.get(column)
        if isinstance(field, TranslationColumn):
            return getattr(PracticeTranslation._meta.get_field(field.text), "max_length", None)
        return super().max_length(column)

    # -- export -----------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        if isinstance(field, TranslationColumn):
            return self.translation_cell(field, instance)
        return super().export_field(field, instance, **kwargs)

    def translation_cell(self, field: TranslationColumn, practice) -> str:
        if field.language == practice.language:
            return ""
        translation = self._visible(practice).get(field.language)
        if translation is None:
            return ""
        if field.text == LABELS:
            ids = [indicator.pk for indicator in practice.indicators.all()]
            return format_labels(translation.indicator_labels or {}, ids)
        return getattr(translation, field.text)

    def _visible(self, practice) -> dict[str, PracticeTranslation]:
        # Kept on the practice: a row reads it for each of its twenty columns.
        visible = getattr(practice, "_sheet_translations", None)
        if visible is None:
            visible = practice._sheet_translations = {
                translation.language: translation
                for translation in practice.translations.all()
                if translation.is_published or not self.public
            }
        return visible

    # -- import -----------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        """Read the translation columns with the others: every error of the row at once."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        indicators = getattr(instance, "_import_indicators", None)
        if indicators is None:
            indicators = [] if instance.pk is None else instance.indicators.all()
        errors.update(self.read_translations(instance, row, len(indicators)))
        if errors:
            raise ValidationError(errors)

    def read_translations(self, instance, row, indicator_count: int) -> dict[str, list[str]]:
        """Keep the translations a row asks for on `instance`; return the errors by column."""
        wanted, errors = {}, {}
        for language in language_codes():
            cells = {text: text_of(row.get(column(text, language))) for text in TEXTS}
            if not any(cell.strip() for cell in cells.values()):
                continue
            if language == instance.language:
                errors[column("title", language)] = [
                    _(
                        "The practice is written in this language: its text goes in the "
                        "columns title, summary, impact and lessons_learnt."
                    )
                ]
                continue
            cells[LABELS] = parse_labels(cells[LABELS])
            errors.update(self._cell_errors(cells, language, indicator_count))
            wanted[language] = cells
        instance._import_translations = wanted
        return errors

    def _cell_errors(self, cells: dict, language: str, indicator_count: int) -> dict:
        errors = {}
        for text in ("title", "summary"):
            if not cells[text].strip():
                errors[column(text, language)] = [_("A translation needs a title and a summary.")]
        limit = PracticeTranslation._meta.get_field("title").max_length
        if len(cells["title"]) > limit:
            errors[column("title", language)] = [
                _("A title has at most %(limit)d characters.") % {"limit": limit}
            ]
        if len(cells[LABELS]) > indicator_count:
            errors[column(LABELS, language)] = [
                _("There are more labels than indicators (%(count)d).") % {"count": indicator_count}
            ]
        return errors

    def translations_unchanged(self, instance, indicator_ids: list[int]) -> bool:
        current = self._existing(instance)
        for language, cells in getattr(instance, "_import_translations", {}).items():
            translation = current.get(language)
            if translation is None or not _same(translation, cells, indicator_ids):
                return False
        return True

    def _existing(self, instance) -> dict[str, PracticeTranslation]:
        known = self.existing_translations.get(instance.pk)
        if known is None:
            known = {t.language: t for t in instance.translations.all()}
        return known

    def note_translations(self, instance) -> None:
        """A saved row's translations, written by write_translations after the flush."""
        if getattr(instance, "_import_translations", None):
            self.translated.append(instance)

    def write_translations(self) -> None:
        new, changed = [], []
        now = timezone.now()
        indicators = _indicator_ids([practice.pk for practice in self.translated])
        for practice in self.translated:
            ids = indicators.get(practice.pk, [])
            current = {} if practice._import_new else self._existing(practice)
            for language, cells in practice._import_translations.items():
                translation = current.get(language)
                if translation is not None and _same(translation, cells, ids):
                    continue
                if translation is None:
                    translation = PracticeTranslation(practice_id=practice.pk, language=language)
                    new.append(translation)
                else:
                    changed.append(translation)
                _fill(translation, cells, ids)
                translation.status = Status.PUBLISHED
                translation.updated_by = self.import_user
                translation.updated_at = now
        history = PracticeTranslation.history
        reason = "Imported from a spreadsheet"
        user = self.import_user
        if new:
            PracticeTranslation.objects.bulk_create(new, batch_size=CHUNK)
            history.bulk_history_create(
                new, batch_size=CHUNK, default_user=user, default_change_reason=reason
            )
        if changed:
            names = [*PracticeTranslation.TEXT_FIELDS, LABELS, "status", "updated_by", "updated_at"]
            PracticeTranslation.objects.bulk_update(changed, names, batch_size=CHUNK)
            history.bulk_history_create(
                changed,
                batch_size=CHUNK,
                update=True,
                default_user=user,
                default_change_reason=reason,
            )
        for practice in self.translated:
            del practice._import_translations  # written: its texts are let go of
        self.translated = []


def _labels(cells: dict, indicator_ids: list[int]) -> dict[str, str]:
    # No more labels than indicators: read_translations refused the row otherwise.
    pairs = zip(indicator_ids, cells[LABELS], strict=False)
    return {str(pk): label for pk, label in pairs if label}


def _same(translation: PracticeTranslation, cells: dict, indicator_ids: list[int]) -> bool:
    labels = format_labels(translation.indicator_labels or {}, indicator_ids)
    return parse_labels(labels) == cells[LABELS] and all(
        getattr(translation, text) == cells[text] for text in PracticeTranslation.TEXT_FIELDS
    )


def _fill(translation: PracticeTranslation, cells: dict, indicator_ids: list[int]) -> None:
    for text in PracticeTranslation.TEXT_FIELDS:
        setattr(translation, text, cells[text])
    translation.indicator_labels = _labels(cells, indicator_ids)


def _indicator_ids(practice_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the practices' indicators in the order of their cell, a chunk at a time:
    those of new practices and replaced indicators are known only once written."""
    found: dict[int, list[int]] = {}
    for start in range(0, len(practice_ids), CHUNK):
        chunk = practice_ids[start : start + CHUNK]
        rows = Indicator.objects.filter(practice_id__in=chunk).order_by(
            "practice_id", "position", "id"
        )
        for practice_id, pk in rows.values_list("practice_id", "pk"):
            found.setdefault(practice_id, []).append(pk)
    return found
