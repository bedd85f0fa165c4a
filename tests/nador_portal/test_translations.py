"""The French, Arabic and Spanish catalogues are complete and keep every placeholder."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES/django.po")
    )


def placeholders(text: str) -> set[str]:
    return {"".join(match) for match in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_has_no_empty_or_fuzzy_translation(language):
    po = catalogue(language)
    assert len(po) > 100
    empty = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert not empty, f"{len(empty)} untranslated in {language}: {empty[:10]}"
    assert not po.fuzzy_entries()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_original(language):
    for entry in catalogue(language).translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in translations:
            assert placeholders(text) <= expected, (language, entry.msgid, text)


@pytest.mark.parametrize(
    ("language", "word"), [("fr", "Pratiques"), ("es", "Prácticas"), ("ar", "الممارسات")]
)
def test_the_compiled_catalogues_are_used(language, word):
    with translation.override(language):
        assert translation.gettext("Practices") == word
