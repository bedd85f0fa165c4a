"""Accent-, case- and Arabic-spelling-insensitive matching where PostgreSQL's text search is
not there (SQLite: `make run`, a checkout's tests).

`fold()` is registered as the SQL function ``nador_fold`` on every SQLite connection
(search/apps.py), so that a search compares folded words with folded texts:
"couturieres" finds "couturières", "مهاجر" finds "مُهاجِر" and "احمد" "أحمد". It does
what PostgreSQL's nador_arabic() and the arabic stemmer do to a text's letters (migration
search 0001), without the stemming: SQLite matches parts of words, so "ناظور" already
finds "الناظور"; only a query word loses its article, for "الناظور" to find "ناظور".
"""

from __future__ import annotations

import re
import unicodedata

SQL_FUNCTION = "nador_fold"
# ٱ (alef wasla) has no decomposition, unlike أ إ آ; ى and ي, ة and ه are one letter to a
# reader searching; tatweel only stretches a word.
ARABIC_LETTERS = str.maketrans({"\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647"})
TATWEEL = "\u0640"
# The article, with a conjunction or preposition glued before it, in front of a word of at
# least three letters (so that "الله" keeps its letters).
ARTICLE = re.compile(r"^(?:[وف]?[بكل]?ال|لل)(?=\w{3})")


def fold(text: str | None) -> str | None:
    """Lower case without accents, vowel marks or tatweel, Arabic letters unified."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" and c != TATWEEL)
    return kept.translate(ARABIC_LETTERS)


def query_words(text: str) -> list[str]:
    """The folded words of a search, each without an Arabic article."""
    words = (ARTICLE.sub("", word) for word in (fold(text) or "").split())
    return [word for word in words if word]


def register(sender=None, connection=None, **kwargs) -> None:
    """Receiver of connection_created: adds nador_fold() to a new SQLite connection."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, fold, deterministic=True)


def highlight(text: str, words: list[str], start: str, stop: str) -> str:
    """`text` with every part that folds to one of `words` between `start` and `stop`."""
    folded, origin = _folded_with_origin(text)
    spans = []
    for word in words:
        for match in re.finditer(re.escape(word), folded):
            end = origin[match.end() - 1] + 1
            while end < len(text) and not fold(text[end]):  # a mark after the last letter
                end += 1
            spans.append((origin[match.start()], end))
    marked, last = [], 0
    for begin, end in _merged(spans):
        marked += [text[last:begin], start, text[begin:end], stop]
        last = end
    return "".join([*marked, text[last:]])


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, where it came from in `text`."""
    parts, origin = [], []
    for position, character in enumerate(text):
        folded = fold(character)
        parts.append(folded)
        origin += [position] * len(folded)
    return "".join(parts), origin


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged
