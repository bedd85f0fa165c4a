"""The bitmap of a search's matches, from stored bitmaps of the common words.

A word that most practices contain ("migrants", "local") made the GIN index hand back
every practice, and turning 300,000 matches into a bitmap took most of a search page's
time. The facet index (search/bitmap_index.py) now also keeps, beside the facet values,
one bitmap per common word (rows of the pseudo-dimension LEXEMES: the words of at least
COMMON_SHARE of the published practices, at most MAX_WORDS), chosen when the index is
rebuilt and kept up to date with it on every change of a practice.

A search's query (nador_query(): the words in the four languages, with &, |, !) is then
read as a formula over its words: a stored word is its bitmap; any other, being rare, is
asked of the GIN index (cheap: few matches). A formula with a phrase or a prefix needs the
words' positions, and goes to the GIN index whole, as before; so does every search while
the index holds no word yet (before its first rebuild).
"""

# The table's name is the facet index's constant; words and values are parameters.
# ruff: noqa: S608
from __future__ import annotations

import re
from dataclasses import dataclass

LEXEMES = "~word"  # never a dimension's name: dimensions are identifiers
COMMON_SHARE = 0.02  # below it, the GIN index answers a word in a few milliseconds
MAX_WORDS = 400
MAX_LENGTH = 255  # the table's value column


# -- the query's formula -------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class Both:
    operator: str  # "&" or "|"
    left: object
    right: object


class Unsupported(ValueError):
    """A formula the stored words cannot answer (phrase, prefix, weights)."""


TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:[*A-Da-d]+)?|(<\d*-?>)|([&|!()]))")


def _tokens(text: str) -> list:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise Unsupported(text)
        word, modifiers, phrase, operator = match.groups()
        if modifiers or phrase:
            raise Unsupported(text)
        tokens.append(Word(word.replace("''", "'")) if word is not None else operator)
        position = match.end()
    return tokens


def parse(text: str):
    """The formula of a tsquery's text as PostgreSQL writes it ('a' & !'b' | 'c'): NOT
    binds tightest, then AND, then OR. Raises Unsupported for what needs positions."""
    tokens = _tokens(text)
    if not tokens:
        raise Unsupported(text)
    formula, rest = _either(tokens)
    if rest:
        raise Unsupported(text)
    return formula


def _either(tokens):
    return _joined(tokens, "|", _all)


def _all(tokens):
    return _joined(tokens, "&", _single)


def _joined(tokens, operator: str, operand):
    """Operands joined by one operator, left to right: `operand` reads the tighter ones."""
    left, tokens = operand(tokens)
    while tokens and tokens[0] == operator:
        right, tokens = operand(tokens[1:])
        left = Both(operator, left, right)
    return left, tokens


def _single(tokens):
    if not tokens:
        raise Unsupported("")
    first, rest = tokens[0], tokens[1:]
    if first == "!":
        operand, rest = _single(rest)
        return Not(operand), rest
    if first == "(":
        inner, rest = _either(rest)
        if not rest or rest[0] != ")":
            raise Unsupported("")
        return inner, rest[1:]
    if isinstance(first, Word):
        return first, rest
    raise Unsupported("")


def words_of(formula) -> list[str]:
    if isinstance(formula, Word):
        return [formula.text]
    if isinstance(formula, Not):
        return words_of(formula.operand)
    return words_of(formula.left) + words_of(formula.right)


# -- SQL ------------------------------------------------------------------------------------


def bits_sql(formula, table: str) -> tuple[list[str], str, list]:
    """(CTEs, expression, params) of the formula's bitmap, as long as f0.bits: one CTE per
    distinct word, its stored bitmap or else the GIN index's. Bits outside the published
    practices may be set: the caller ANDs the result with them."""
    words = list(dict.fromkeys(words_of(formula)))
    names = {word: f"w{n}" for n, word in enumerate(words)}
    ctes, params = [], []
    for word in words:
        ctes.append(
            f"{names[word]} AS MATERIALIZED (SELECT COALESCE((SELECT bits FROM {table} "
            "WHERE dimension = %s AND value = %s), "
            "practice_search_bits(%s::tsquery, length(f0.bits))) AS bits FROM f0)"
        )
        params += [LEXEMES, word, _quoted(word)]
    return ctes, _expression(formula, names), params


def _expression(formula, names: dict[str, str]) -> str:
    if isinstance(formula, Word):
        return f"(SELECT bits FROM {names[formula.text]})"
    if isinstance(formula, Not):
        return f"(~{_expression(formula.operand, names)})"
    operator = formula.operator
    return f"({_expression(formula.left, names)} {operator} {_expression(formula.right, names)})"


def _quoted(word: str) -> str:
    """The word as a tsquery's text: itself, never normalised again."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


# The common words of the published practices and their bitmaps (published practices
# only), built by the GIN index once per word; quote_literal() is a tsquery's quoting for
# a word without a backslash (chr(92)). {table} is the facet index's table.
COMMON_WORDS_SQL = (
    "INSERT INTO {table} (dimension, value, bits, rank) "
    "SELECT %s, c.word, practice_search_bits(quote_literal(c.word)::tsquery, length(f0.bits)) "
    "& f0.bits, 0 FROM (SELECT word FROM ts_stat(%s) WHERE ndoc >= %s AND length(word) <= %s "
    "AND strpos(word, chr(92)) = 0 ORDER BY ndoc DESC, word LIMIT %s) c, "
    "(SELECT bits FROM {table} WHERE dimension = %s) f0"
)
PUBLISHED_VECTORS = (
    "SELECT s.vector FROM practices_practicesearch s JOIN practices_practice p "
    "ON p.id = s.practice_id WHERE p.status = 'published'"
)


def write_common_words(cursor, table: str, everything: str, published: int) -> None:
    """Replace the stored words by the common words of the published practices now."""
    cursor.execute(f"DELETE FROM {table} WHERE dimension = %s", [LEXEMES])
    least = max(1, int(published * COMMON_SHARE))
    cursor.execute(
        COMMON_WORDS_SQL.format(table=table),
        [LEXEMES, PUBLISHED_VECTORS, least, MAX_LENGTH, MAX_WORDS, everything],
    )


def word_pairs(cursor, table: str, practice_ids: list[int]) -> list[tuple[int, str, str]]:
    """(practice id, LEXEMES, word) of the stored words these practices contain."""
    if not practice_ids:
        return []
    cursor.execute(
        "SELECT s.practice_id, w.word FROM practices_practicesearch s, "
        "unnest(tsvector_to_array(s.vector)) AS w (word) WHERE s.practice_id = ANY(%s) "
        f"AND w.word IN (SELECT value FROM {table} WHERE dimension = %s)",
        [practice_ids, LEXEMES],
    )
    return [(practice_id, LEXEMES, word) for practice_id, word in cursor.fetchall()]
