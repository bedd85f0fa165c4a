"""Full-text search over practices, in the language of each text.

On PostgreSQL a stored, weighted vector per practice (title A, summary B, the rest C) in
the narrow table PracticeSearch (practices migration 0007). The original text goes in with
the configuration of its language (nador_en, nador_fr, nador_es, nador_ar: the language's
stemmer behind unaccent, Arabic normalised first), each approved translation with that of
its own, and the city and the stakeholders' names with all four, since a name is written
the same in every language. A query is matched in the four languages at once
(nador_query()), so "migrante" finds "migrantes" and "integration" "intégration". The SQL
functions are those of the search app's migration 0001.

Elsewhere (SQLite in development) every word must be part of the original or an approved
translation, compared folded: without case, accents or Arabic vowel marks
(search/folding.py).
"""

from __future__ import annotations

import io
import queue
import struct
import threading
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import Contains
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from practices.models import PracticeTranslation, StakeholderRole, Status
from search import folding

MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 40
# Private-use characters mark the highlighted words: they survive escaping unchanged and
# cannot be typed into a practice by accident, so the snippet is escaped first and only
# then given its <mark> tags.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={START_SEL}, StopSel={STOP_SEL}, MaxWords={SNIPPET_WORDS}, MinWords=15"
)
TEXT_FIELDS = ["title", "summary", "impact", "lessons_learnt", "city"]


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    """The words of a search, one space apart. Control characters (NUL, escape...) are
    no part of a word: PostgreSQL's text cannot hold NUL, and the feed's XML title none."""
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# The vectors of practices, written into their narrow table in one statement: the names
# of each practice's stakeholders and its approved translations are aggregated in one pass
# each (hash joins) rather than by a subquery per practice, which takes minutes at scale.
# {practices}, {roles} and {translations} restrict each part to some practices, or to none;
# {text_vector}, {translation_vector} and the joins let vectors computed before
# (TextVectors) stand in for nador_text_vector.
VECTORS_SQL = """
INSERT INTO practices_practicesearch (practice_id, vector)
SELECT p.id,
    {text_vector}
    || coalesce(t.vector, '')
    || nador_names_vector(concat_ws(' ', p.city, n.names))
FROM practices_practice AS p {practice_join}LEFT JOIN (
    SELECT r.practice_id, string_agg(s.name, ' ' ORDER BY s.name) AS names
    FROM practices_stakeholderrole AS r
    JOIN stakeholders_stakeholder AS s ON s.id = r.stakeholder_id
    {roles}
    GROUP BY r.practice_id
) AS n ON n.practice_id = p.id LEFT JOIN (
    SELECT t.practice_id, nador_tsvector_agg({translation_vector} ORDER BY t.language) AS vector
    FROM practices_practicetranslation AS t {translation_join}
    WHERE t.status = '{published}' {translations}
    GROUP BY t.practice_id
) AS t ON t.practice_id = p.id
{practices}
ON CONFLICT (practice_id) DO UPDATE SET vector = EXCLUDED.vector
"""


def _text_vector(alias: str) -> str:
    return (
        f"nador_text_vector({alias}.language, {alias}.title, {alias}.summary, "
        f"concat_ws(' ', {alias}.impact, {alias}.lessons_learnt))"
    )


# What identifies the texts of one nador_text_vector(): their digests, unambiguous
# (fixed lengths) whatever the texts hold, then the language.
TEXT_KEY = "md5({title}) || md5({summary}) || md5({rest}) || {language}"


def _text_key(alias: str) -> str:
    return TEXT_KEY.format(
        title=f"{alias}.title",
        summary=f"{alias}.summary",
        rest=f"concat_ws(' ', {alias}.impact, {alias}.lessons_learnt)",
        language=f"{alias}.language",
    )


def _vectors_sql(restrict: str | None, known: str | None = None) -> str:
    """VECTORS_SQL for the practices of the id subquery `restrict` (all when None); with
    `known`, the table of the (key, vector) of texts whose nador_text_vector() was computed
    before (TextVectors)."""
    parts = {
        "text_vector": _text_vector("p"),
        "practice_join": "",
        "translation_vector": _text_vector("t"),
        "translation_join": "",
        "practices": "",
        "roles": "",
        "translations": "",
        "published": Status.PUBLISHED.value,
    }
    if known:
        parts.update(
            text_vector=f"coalesce(kp.vector, {_text_vector('p')})",
            practice_join=f"LEFT JOIN {known} AS kp ON kp.key = {_text_key('p')} ",
            translation_vector=f"coalesce(kt.vector, {_text_vector('t')})",
            translation_join=f"LEFT JOIN {known} AS kt ON kt.key = {_text_key('t')}",
        )
    if restrict is not None:
        parts.update(
            practices=f"WHERE p.id IN ({restrict})",
            roles=f"WHERE r.practice_id IN ({restrict})",
            translations=f"AND t.practice_id IN ({restrict})",
        )
    return VECTORS_SQL.format(**parts)


ALL_VECTORS_SQL = _vectors_sql(None)


def write_vectors(practices: QuerySet, known: str | None = None) -> int:
    """Write the vectors of these practices into their narrow table (PracticeSearch): one
    INSERT ... SELECT whatever their number. A no-op outside PostgreSQL.

    `known` (TextVectors.finish()) names a table of nador_text_vector() of texts computed
    before: a practice or translation whose texts are there takes it, any other is
    computed here; the vectors are the same either way."""
    if not uses_postgres():
        return 0
    ids, params = practices.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        if known:
            # Its numbers for the planner (hash joins rather than sorts on disk), and no
            # JIT: compiling the statement cost more than it saved (0.55 s for 10,000).
            cursor.execute(f"ANALYZE {known}")
            cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
            jit = cursor.fetchone()[0]
        # The id subquery is Django's own compilation of the queryset; values are parameters.
        cursor.execute(_vectors_sql(ids, known), [*params, *params, *params])
        if known:
            cursor.execute("SELECT set_config('jit', %s, true)", [jit])
        return cursor.rowcount


def write_all_vectors() -> int:
    """Write the vector of every practice (after a bulk load); a no-op outside PostgreSQL."""
    if not uses_postgres():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(ALL_VECTORS_SQL)
        return cursor.rowcount


# nador_text_vector() of texts sent as arrays, with their keys (TEXT_KEY).
TEXT_VECTORS_SQL = (
    "SELECT "
    + TEXT_KEY.format(title="v.title", summary="v.summary", rest="v.rest", language="v.language")
    + ", tsvectorsend(nador_text_vector(v.language, v.title, v.summary, v.rest)) "
    "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
    "AS v (language, title, summary, rest)"
)
#: Where the import's connection keeps the vectors computed (TextVectors): a temporary
#: table, created and dropped in the import's transaction (gone with it when rolled back).
KNOWN_TABLE = "nador_import_vectors"
# COPY's binary format (PostgreSQL's documentation, "COPY", "Binary Format"): a signature,
# no flags, no extension; each row its number of fields, then each field's length and
# bytes; -1 at the end.
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
COPY_TRAILER = struct.pack("!h", -1)


def _copy_rows(rows: list[tuple[str, bytes]]) -> bytes:
    """Rows of (key, vector in tsvectorsend's format) as COPY … (FORMAT binary) reads them:
    the vectors go back as PostgreSQL sent them, neither decoded nor parsed."""
    parts = [COPY_HEADER]
    for key, vector in rows:
        key = key.encode()
        parts.append(struct.pack("!hi", 2, len(key)))
        parts.append(key)
        parts.append(struct.pack("!i", len(vector)))
        parts.append(vector)
    parts.append(COPY_TRAILER)
    return b"".join(parts)


class TextVectors:
    """nador_text_vector() of the texts an import saves, computed by PostgreSQL on a
    second connection, in a thread, while the import's own thread goes on reading rows:
    PostgreSQL's parser on ~5 kB of text a practice is most of a large import's time, and
    needs only the texts, not the import's uncommitted rows (which the second connection
    cannot see). The second connection writes nothing. The import's thread stores the
    vectors computed so far (store(), as it hands over texts) in a temporary table of its
    own transaction, then write_vectors(known=finish()) joins them: a failed import
    leaves nothing, and no more than a few batches of vectors are held in memory (in
    PostgreSQL's binary form, 60 % of the texts' size, handed back by a binary COPY). A
    batch the second connection could not compute is computed by write_vectors, as
    before."""

    BATCH = 100  # texts a statement: ~0.5 MB
    QUEUED = 3  # batches waiting for the second connection

    def __init__(self) -> None:
        self.batch: list[tuple[str, str, str, str]] = []
        # Bounded: when PostgreSQL lags behind the rows, the rows wait rather than hold
        # every text of the file twice.
        self.todo: queue.Queue = queue.Queue(maxsize=self.QUEUED)
        self.done: queue.SimpleQueue = queue.SimpleQueue()
        self.created = False
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="text-vectors", daemon=True)
        self.thread.start()

    def add(self, language, title, summary, impact, lessons_learnt) -> None:
        rest = " ".join(text for text in (impact, lessons_learnt) if text is not None)
        self.batch.append((language, title, summary, rest))
        if len(self.batch) >= self.BATCH:
            self.todo.put(self.batch)
            self.batch = []
            # What is computed meanwhile goes into the table a batch or two at a time.
            self.store()

    def store(self) -> None:
        """Keep the vectors computed so far in the import's transaction (its connection)."""
        rows = []
        while True:
            try:
                done = self.done.get_nowait()
            except queue.Empty:
                break
            if done is None:  # the thread's end: finish() waits for it
                self.done.put(None)
                break
            rows.extend(done)
        self._insert(rows)

    def _insert(self, rows: list) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if not self.created:
                cursor.execute(f"CREATE TEMPORARY TABLE {KNOWN_TABLE} (key text, vector tsvector)")
                self.created = True
            cursor.copy_expert(
                f"COPY {KNOWN_TABLE} (key, vector) FROM STDIN WITH (FORMAT binary)",
                io.BytesIO(_copy_rows(rows)),
            )

    def finish(self) -> str | None:
        """The table of the vectors computed (None if none was), once every text added is
        done (waits for the thread). drop() it once the vectors are written."""
        if self.batch:
            self.todo.put(self.batch)
            self.batch = []
        if self.thread.is_alive():
            self.todo.put(None)
            # Stored as they come: a batch's vectors in memory at a time.
            while (rows := self.done.get()) is not None:
                self._insert(rows)
            self.thread.join()
        self.store()
        return KNOWN_TABLE if self.created else None

    def drop(self) -> None:
        if self.created:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {KNOWN_TABLE}")
            self.created = False

    def stop(self) -> None:
        """End the thread and its connection (the texts not yet computed are dropped)."""
        if self.thread.is_alive():
            self.stopped = True
            while True:  # room for the end in a full queue: the thread takes no more texts
                try:
                    self.todo.get_nowait()
                except queue.Empty:
                    break
            self.todo.put(None)
            self.thread.join()

    def _run(self) -> None:
        # This thread's own connection (Django's connections are per thread).
        failed = False
        try:
            while (batch := self.todo.get()) is not None:
                if failed or self.stopped:
                    continue
                try:
                    # Whatever fails, the thread goes on taking batches (never stopping
                    # the rows at a full queue) until the end.
                    columns = [list(column) for column in zip(*batch, strict=True)]
                    with connection.cursor() as cursor:
                        cursor.execute(TEXT_VECTORS_SQL, columns)
                        self.done.put([(key, bytes(vector)) for key, vector in cursor])
                except Exception:  # noqa: BLE001 - write_vectors computes them then
                    failed = True
        finally:
            connection.close()
            self.done.put(None)  # the end, for finish()


class AnyLanguageQuery(SearchQuery):
    """The words of a search box (websearch syntax) in the four languages at once."""

    def __init__(self, text: str) -> None:
        super().__init__(text, search_type="websearch")
        self.function = "nador_query"


class Folded(Func):
    """A text without case, accents or Arabic vowel marks, on SQLite (search/folding.py)."""

    function = folding.SQL_FUNCTION
    output_field = TextField()


def _contains_folded(fields: list[str], word: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(Contains(Folded(field), word))
    return condition


def _translated(word: str, fields: list[str]) -> Q:
    found = PracticeTranslation.objects.published().filter(
        _contains_folded(fields, word), practice=OuterRef("pk")
    )
    return Q(Exists(found))


def search_condition(text: str) -> Q:
    """The condition a practice meets when it matches the words of ``text``."""
    text = clean_query(text)
    if uses_postgres():
        return Q(search__vector=AnyLanguageQuery(text))
    condition = Q()
    for word in folding.query_words(text):
        named = StakeholderRole.objects.filter(
            Contains(Folded("stakeholder__name"), word), practice=OuterRef("pk")
        )
        condition &= (
            Q(Exists(named))
            | _contains_folded(TEXT_FIELDS, word)
            | _translated(word, list(PracticeTranslation.TEXT_FIELDS))
        )
    return condition


def rank_by_relevance(queryset, text: str):
    """Order matches best first: SearchRank on PostgreSQL, title matches first elsewhere."""
    text = clean_query(text)
    if uses_postgres():
        rank = SearchRank(F("search__vector"), AnyLanguageQuery(text))
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "pk")
    title_match = Q()
    for word in folding.query_words(text):
        title_match &= _contains_folded(["title"], word) | _translated(word, ["title"])
    in_title = Case(When(title_match, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(in_title=in_title).order_by("in_title", "-published_at", "pk")


def snippets(practices, text: str) -> dict[int, SafeString]:
    """Escaped excerpts of the summary each practice shows (`practice.shown`: the original
    unless practices/languages.py localise() gave it a translation), with the matched
    words in <mark>."""
    text = clean_query(text)
    if not text or not practices:
        return {}
    practices = list(practices)
    if uses_postgres():
        found = _headlines(practices, text)
    else:
        words = folding.query_words(text)
        found = {p.pk: _highlight_words(p.shown.summary, words) for p in practices}
    return {p.pk: _in_language(_marked(found.get(p.pk) or ""), p) for p in practices}


HEADLINES_SQL = (
    "SELECT v.id, ts_headline(nador_config(v.language), v.body, nador_query(%s), %s) "
    "FROM (VALUES {rows}) AS v (id, language, body)"
)


def _headlines(practices, text: str) -> dict[int, str]:
    """ts_headline of each shown summary in its language's configuration: one query."""
    rows = ", ".join(["(%s, %s, %s)"] * len(practices))
    params = [text, HEADLINE_OPTIONS]
    for practice in practices:
        params += [practice.pk, practice.shown.language, practice.shown.summary]
    # The SQL text holds placeholders only; the texts are parameters.
    sql = HEADLINES_SQL.format(rows=rows)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _highlight_words(summary: str, words: list[str]) -> str:
    all_words = summary.split()
    excerpt = " ".join(all_words[:SNIPPET_WORDS]) + (" …" if len(all_words) > SNIPPET_WORDS else "")
    return folding.highlight(excerpt, words, START_SEL, STOP_SEL)


def _marked(snippet: str) -> SafeString:
    if snippet.count(START_SEL) != snippet.count(STOP_SEL):  # the text held a marker itself
        snippet = snippet.replace(START_SEL, "").replace(STOP_SEL, "")
    html = escape(snippet).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    # Safe: the text was escaped above; only our own <mark> tags were added after.
    return mark_safe(html)  # noqa: S308


def _in_language(snippet: SafeString, practice) -> SafeString:
    """A snippet from a translation says its language: the card marks its text with the
    language of the original."""
    language = practice.shown.language
    if language == practice.language:
        return snippet
    # Safe: the snippet is escaped HTML and the language one of the settings' codes.
    return mark_safe(f'<span lang="{escape(language)}" dir="auto">{snippet}</span>')  # noqa: S308
