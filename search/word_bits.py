"""The bitmap of a search's matches, from stored bitmaps of the common words.

A word that most practices contain ("migrants", "local") made the GIN index hand back
every practice, and turning 300,000 matches into a bitmap took most of a search page's
time. The facet index (search/bitmap_index.py) now also keeps, beside the facet values,
one bitmap per common word (rows of the pseudo-dimension LEXEMES: the words of at least
COMMON_SHARE of the published practices, at most MAX_WORDS), chosen when the index is
rebuilt and kept up to date with it on every change of a practice.

A search's query (nador_query(): the words in the four languages, with &, |, !) is then
read as a formula over its words: a stored word is its bitmap; any other, being rare, is
asked of the GIN index (cheap: few matches). So is a phrase of two words ('local' <->
'communiti', a quoted "local community"): the index also keeps the bitmaps of the most
frequent pairs of adjacent common words (rows of PHRASES, see write_common_phrases), and
any other pair is asked of the GIN index alone. A longer phrase, a distance other than one
or a prefix goes to the GIN index whole, as before; so does every search while the index
holds no word yet (before its first rebuild).
"""

# The table's name is the facet index's constant; words and values are parameters.
# ruff: noqa: S608
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

LEXEMES = "~word"  # never a dimension's name: dimensions are identifiers
PHRASES = "~pair"
COMMON_SHARE = 0.02  # below it, the GIN index answers a word in a few milliseconds
MAX_WORDS = 400
MAX_LENGTH = 255  # the table's value column
# The pairs worth a bitmap are chosen from a sample of this many published practices: the
# pairs of one practice take about half a millisecond to find, and the choice only decides
# which pairs are fast, never what a search finds. Every chosen pair's bitmap is exact.
PHRASE_SAMPLE = 2_000
# A phrase of two common words the GIN index must check in every practice holding both
# words (positions are not in the index): at 300,000 practices, 'local' <-> 'community'
# (in 2.5% of them) took 300-600 ms. So every pair in COMMON_SHARE of the sample is kept,
# up to MAX_PHRASES (3,700 in the bench's texts, made of few words).
MAX_PHRASES = 5_000
# Finding the pairs of a practice takes about half a millisecond: a change to more
# published practices at once drops the stored phrases instead, which the GIN index then
# answers, exactly and as slowly as before, until the next rebuild (refresh_all()). An
# import refreshes its practices this many at a time, and keeps them.
MAX_PHRASE_REFRESH = 5_000
#: Rows of words or phrases with their practices fetched at a time by a refresh: a common
#: word of 5,000 practices holds thousands of ids (200 rows were 20 MB of Python ints).
FETCHED = 50


# -- the query's formula -------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    """Two words one position apart (`'a' <-> 'b'`): as PostgreSQL matches them, from the
    positions kept in a practice's vector (stop words keep theirs)."""

    left: str
    right: str

    @property
    def text(self) -> str:
        """The phrase as a tsquery's text, as PostgreSQL writes it: its stored value."""
        return f"{_quoted(self.left)} <-> {_quoted(self.right)}"


@dataclass(frozen=True)
class Not:
    operand: object


@dataclass(frozen=True)
class Both:
    operator: str  # "&" or "|"
    left: object
    right: object


class Unsupported(ValueError):
    """A formula the stored words cannot answer (a longer phrase, prefix, weights)."""


FOLLOWED_BY = "<->"
TOKEN = re.compile(r"\s*(?:'((?:[^']|'')*)'(:[*A-Da-d]+)?|(<\d*-?>)|([&|!()]))")


def _tokens(text: str) -> list:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise Unsupported(text)
        word, modifiers, phrase, operator = match.groups()
        if modifiers or (phrase is not None and phrase != FOLLOWED_BY):
            raise Unsupported(text)
        if word is not None:
            tokens.append(Word(word.replace("''", "'")))
        else:
            tokens.append(phrase or operator)
        position = match.end()
    return tokens


def parse(text: str):
    """The formula of a tsquery's text as PostgreSQL writes it ('a' & !'b' | 'c' <-> 'd'):
    NOT binds tightest, then FOLLOWED BY, then AND, then OR. Raises Unsupported for what
    needs more than a pair's positions."""
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
    return _joined(tokens, "&", _phrase)


def _phrase(tokens):
    """A word, or two words one apart: a phrase of anything else (three words, a NOT, a
    group) needs positions no bitmap holds."""
    left, tokens = _single(tokens)
    if not tokens or tokens[0] != FOLLOWED_BY:
        return left, tokens
    right, tokens = _single(tokens[1:])
    if not (isinstance(left, Word) and isinstance(right, Word)):
        raise Unsupported("")
    if tokens and tokens[0] == FOLLOWED_BY:
        raise Unsupported("")
    return Phrase(left.text, right.text), tokens


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


def words_of(formula) -> list:
    """The formula's leaves, words and phrases, left to right."""
    if isinstance(formula, Word | Phrase):
        return [formula]
    if isinstance(formula, Not):
        return words_of(formula.operand)
    return words_of(formula.left) + words_of(formula.right)


# -- SQL ------------------------------------------------------------------------------------


def bits_sql(formula, table: str) -> tuple[list[str], str, list]:
    """(CTEs, expression, params) of the formula's bitmap, as long as f0.bits: one CTE per
    distinct word or phrase, its stored bitmap or else the GIN index's. Bits outside the
    published practices may be set: the caller ANDs the result with them."""
    leaves = list(dict.fromkeys(words_of(formula)))
    names = {leaf: f"w{n}" for n, leaf in enumerate(leaves)}
    ctes, params = [], []
    for leaf in leaves:
        ctes.append(
            f"{names[leaf]} AS MATERIALIZED (SELECT COALESCE((SELECT bits FROM {table} "
            "WHERE dimension = %s AND value = %s), "
            "practice_search_bits(%s::tsquery, length(f0.bits))) AS bits FROM f0)"
        )
        if isinstance(leaf, Phrase):
            params += [PHRASES, leaf.text, leaf.text]
        else:
            params += [LEXEMES, leaf.text, _quoted(leaf.text)]
    return ctes, _expression(formula, names), params


def _expression(formula, names: dict) -> str:
    if isinstance(formula, Word | Phrase):
        return f"(SELECT bits FROM {names[formula]})"
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


def practices_by_word(cursor, table: str, practice_ids: list[int]) -> Iterator[tuple]:
    """((LEXEMES, word), ids) of each stored word these practices contain, with the ids
    of those that do, grouped by PostgreSQL and fetched a page at a time: a (practice,
    word) pair each was 120,000 Python tuples for 1,000 practices."""
    if not practice_ids:
        return
    yield from _fetched(
        LEXEMES,
        "SELECT w.word, array_agg(s.practice_id) FROM practices_practicesearch s, "
        "unnest(tsvector_to_array(s.vector)) AS w (word) WHERE s.practice_id = ANY(%s) "
        f"AND w.word IN (SELECT value FROM {table} WHERE dimension = %s) GROUP BY w.word",
        [practice_ids, LEXEMES],
    )


def _fetched(dimension: str, sql: str, params: list) -> Iterator[tuple]:
    """((dimension, value), ids) of the statement's rows (value, ids), from a cursor on
    the server, FETCHED rows at a time: 10,000 practices' phrases are 2.7 million ids,
    which a cursor of this process would hold all at once."""
    with connection.chunked_cursor() as reader:
        reader.execute(sql, params)
        while rows := reader.fetchmany(FETCHED):
            for value, ids in rows:
                yield (dimension, value), ids


# -- phrases ----------------------------------------------------------------------------------

# The pairs of adjacent stored words of a practice: a lexeme at position p and another at
# p + 1 of its vector is what <-> matches (a vector joins its parts with their positions
# shifted, as tsvector || does, so the last word of a title and the first of the summary
# are one apart for PostgreSQL too, and so they are here). Several lexemes at one position
# (positions stop at 16,383) are each paired. A pair is numbered by its words' places in
# the stored words sorted (key = first * WORDS_KEY + second, from 1), cheaper to join and
# group than its text. nador_phrase_keys() (migration search 0005) finds a vector's keys,
# each once.
WORDS_KEY = 1_024  # more than MAX_WORDS
# The stored words in their order, as an array: a key's numbers are places in it.
STORED_WORDS = "(SELECT array_agg(value ORDER BY value) FROM {table} WHERE dimension = %s)"
KEYS_OF_PRACTICES = (
    "SELECT s.practice_id, unnest(nador_phrase_keys(s.vector, {words}, {size})) AS key "
    "FROM practices_practicesearch s JOIN practices_practice p ON p.id = s.practice_id "
    "WHERE p.status = 'published' AND {practices}"
)
# The phrase of a key, as a tsquery's text (stored words hold no backslash, so
# quote_literal() is the tsquery's quoting, as Phrase.text writes it).
PHRASE_OF_KEY = (
    "quote_literal({words}[{key} / {size}]) || ' <-> ' "
    "|| quote_literal({words}[mod({key}, {size})])"
)

# The bitmap of each chosen phrase, built in the database 64 bits at a time as
# practice_search_bits() builds a word's (migration search 0003): the pairs are
# aggregated by key and 64-bit word, which PostgreSQL spills to disk beyond work_mem, so
# memory stays flat whatever the practices. %s: the words' dimension, the chosen keys, the
# phrases' dimension, the length, the chosen keys and their phrases, the length.
PHRASE_BITS_SQL = """
WITH found AS (
    SELECT f.key, f.practice_id / 64 AS word,
        bit_or(1::bigint << (63 - mod(f.practice_id, 64))::int) AS b
    FROM ({keys}) f WHERE f.key = ANY(%s::int[]) GROUP BY 1, 2
)
INSERT INTO {table} (dimension, value, bits, rank)
SELECT %s, c.phrase, substring(('x' || string_agg(lpad(to_hex(COALESCE(m.b, 0)), 16, '0'), ''
    ORDER BY n))::bit varying from 1 for %s), 0
FROM unnest(%s::int[], %s::text[]) AS c (key, phrase)
CROSS JOIN generate_series(0, (%s + 63) / 64 - 1) n
LEFT JOIN found m ON m.key = c.key AND m.word = n
GROUP BY c.key, c.phrase
"""


def _keys_sql(table: str, practices: str) -> str:
    """The statement of the keys of these practices; %s: the words' dimension, then the
    practices' own."""
    words = STORED_WORDS.format(table=table)
    return KEYS_OF_PRACTICES.format(words=words, size=WORDS_KEY, practices=practices)


def _phrase_sql(table: str, key: str) -> str:
    """The expression of the phrase of `key`; %s: the words' dimension, twice."""
    return PHRASE_OF_KEY.format(words=STORED_WORDS.format(table=table), key=key, size=WORDS_KEY)


def write_common_phrases(cursor, table: str, length: int, published: int) -> None:
    """Replace the stored phrases (none when settings.SEARCH_PHRASE_BITS is off): the
    pairs of stored words in at least COMMON_SHARE of a sample of the published practices
    (every practice up to PHRASE_SAMPLE), the MAX_PHRASES most frequent, each with its
    exact bitmap of `length` bits; a phrase longer than the value column is left to the
    GIN index. Call after write_common_words()."""
    cursor.execute(f"DELETE FROM {table} WHERE dimension = %s", [PHRASES])
    if not settings.SEARCH_PHRASE_BITS:
        return
    step = max(1, published // PHRASE_SAMPLE)
    cursor.execute(
        "SELECT count(*) FROM practices_practice WHERE status = 'published' AND mod(id, %s) = 0",
        [step],
    )
    least = max(1, int(cursor.fetchone()[0] * COMMON_SHARE))
    cursor.execute(
        f"SELECT c.key, {_phrase_sql(table, 'c.key')} FROM (SELECT f.key, count(*) AS n "
        f"FROM ({_keys_sql(table, 'mod(s.practice_id, %s) = 0')}) f GROUP BY f.key "
        "HAVING count(*) >= %s ORDER BY count(*) DESC, f.key LIMIT %s) c",
        [LEXEMES, LEXEMES, LEXEMES, step, least, MAX_PHRASES],
    )
    chosen = [(key, phrase) for key, phrase in cursor.fetchall() if len(phrase) <= MAX_LENGTH]
    if not chosen:
        return
    keys, phrases = [key for key, _phrase in chosen], [phrase for _key, phrase in chosen]
    sql = PHRASE_BITS_SQL.format(keys=_keys_sql(table, "TRUE"), table=table)
    cursor.execute(sql, [LEXEMES, keys, PHRASES, length, keys, phrases, length])


def practices_by_phrase(cursor, table: str, practice_ids: list[int]) -> Iterator[tuple]:
    """((PHRASES, phrase), ids) of each stored phrase these published practices contain,
    with the ids of those that do, a page at a time; beyond MAX_PHRASE_REFRESH of them,
    none, and no phrase is stored any more."""
    if not practice_ids or not settings.SEARCH_PHRASE_BITS:
        return
    if len(practice_ids) > MAX_PHRASE_REFRESH:
        cursor.execute(f"DELETE FROM {table} WHERE dimension = %s", [PHRASES])
        return
    # Grouped by key (a number), then only the stored phrases of the keys: a save reads no
    # more.
    yield from _fetched(
        PHRASES,
        f"SELECT g.phrase, g.ids FROM (SELECT {_phrase_sql(table, 'k.key')} AS phrase, k.ids "
        "FROM (SELECT f.key, array_agg(f.practice_id) AS ids "
        f"FROM ({_keys_sql(table, 's.practice_id = ANY(%s)')}) f GROUP BY f.key) k) g "
        f"WHERE g.phrase IN (SELECT value FROM {table} WHERE dimension = %s)",
        [LEXEMES, LEXEMES, LEXEMES, practice_ids, PHRASES],
    )
