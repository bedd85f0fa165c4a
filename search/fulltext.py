"""Full-text search over practices.

On PostgreSQL a stored, weighted search vector (title A, summary B, the rest C) in the
``nador_search`` text search configuration: the 'simple' dictionary behind ``unaccent``,
so that "cafes" finds "cafés" in French and Spanish texts. Both are created by the
migration 0003; the vectors live in a narrow table of their own, PracticeSearch (0007).
Elsewhere (SQLite in development) a case-insensitive ``icontains`` over the same fields.
"""

from __future__ import annotations

import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from practices.models import Practice, PracticeSearch, StakeholderRole

SEARCH_CONFIG = "nador_search"
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 40
# Private-use characters mark the highlighted words: they survive escaping unchanged and
# cannot be typed into a practice by accident, so the snippet is escaped first and only
# then given its <mark> tags.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
TEXT_FIELDS = ["title", "summary", "impact", "lessons_learnt", "city"]


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _stakeholder_names():
    names = (
        StakeholderRole.objects.filter(practice=OuterRef("pk"))
        .values("practice")
        .annotate(names=StringAgg("stakeholder__name", " "))
        .values("names")
    )
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def search_vector_expression():
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(
            "impact",
            "lessons_learnt",
            "city",
            _stakeholder_names(),
            weight="C",
            config=SEARCH_CONFIG,
        )
    )


def write_vectors(practices: QuerySet) -> int:
    """Write the vectors of these practices into their narrow table (PracticeSearch): one
    INSERT ... SELECT whatever their number. A no-op outside PostgreSQL."""
    if not uses_postgres():
        return 0
    vectors = practices.order_by().annotate(v=search_vector_expression()).values_list("pk", "v")
    select, params = vectors.query.sql_with_params()
    table = PracticeSearch._meta.db_table
    with connection.cursor() as cursor:
        # The SELECT is Django's own compilation of the queryset; values are parameters.
        cursor.execute(
            f"INSERT INTO {table} (practice_id, vector) {select} "  # noqa: S608
            "ON CONFLICT (practice_id) DO UPDATE SET vector = EXCLUDED.vector",
            params,
        )
        return cursor.rowcount


# The vector of search_vector_expression() for every practice at once: the names of each
# practice's stakeholders aggregated in one pass (a hash join) rather than by a subquery
# per practice, which takes minutes at scale. A test holds the two equal.
ALL_VECTORS_SQL = """
INSERT INTO practices_practicesearch (practice_id, vector)
SELECT p.id,
    setweight(to_tsvector('nador_search', coalesce(p.title, '')), 'A')
    || setweight(to_tsvector('nador_search', coalesce(p.summary, '')), 'B')
    || setweight(to_tsvector('nador_search', concat_ws(' ',
        p.impact, p.lessons_learnt, p.city, n.names)), 'C')
FROM practices_practice AS p LEFT JOIN (
    SELECT r.practice_id, string_agg(s.name, ' ') AS names
    FROM practices_stakeholderrole AS r
    JOIN stakeholders_stakeholder AS s ON s.id = r.stakeholder_id
    GROUP BY r.practice_id
) AS n ON n.practice_id = p.id
ON CONFLICT (practice_id) DO UPDATE SET vector = EXCLUDED.vector
"""


def write_all_vectors() -> int:
    """Write the vector of every practice (after a bulk load); a no-op outside PostgreSQL."""
    if not uses_postgres():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(ALL_VECTORS_SQL)
        return cursor.rowcount


def _search_query(text: str) -> SearchQuery:
    return SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")


def search_condition(text: str) -> Q:
    """The condition a practice meets when it matches the words of ``text``."""
    text = clean_query(text)
    if uses_postgres():
        return Q(search__vector=_search_query(text))
    condition = Q()
    for word in text.split():
        named = StakeholderRole.objects.filter(
            practice=OuterRef("pk"), stakeholder__name__icontains=word
        )
        any_field = Q(Exists(named))
        for field in TEXT_FIELDS:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def rank_by_relevance(queryset, text: str):
    """Order matches best first: SearchRank on PostgreSQL, title matches first elsewhere."""
    text = clean_query(text)
    if uses_postgres():
        rank = SearchRank(F("search__vector"), _search_query(text))
        return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "pk")
    title_match = Q()
    for word in text.split():
        title_match &= Q(title__icontains=word)
    in_title = Case(When(title_match, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.annotate(in_title=in_title).order_by("in_title", "-published_at", "pk")


def snippets(practices, text: str) -> dict[int, SafeString]:
    """Escaped excerpts of each practice's summary with the matched words in <mark>."""
    text = clean_query(text)
    if not text or not practices:
        return {}
    if uses_postgres():
        headline = SearchHeadline(
            "summary",
            _search_query(text),
            config=SEARCH_CONFIG,
            start_sel=START_SEL,
            stop_sel=STOP_SEL,
            max_words=SNIPPET_WORDS,
            min_words=15,
        )
        rows = Practice.objects.filter(pk__in=[p.pk for p in practices]).annotate(h=headline)
        return {pk: _marked(h) for pk, h in rows.values_list("pk", "h")}
    return {p.pk: _marked(_highlight_words(p.summary, text)) for p in practices}


def _highlight_words(summary: str, text: str) -> str:
    words = summary.split()
    excerpt = " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")
    pattern = "|".join(re.escape(word) for word in text.split() if word)
    if not pattern:
        return excerpt
    return re.sub(f"({pattern})", rf"{START_SEL}\1{STOP_SEL}", excerpt, flags=re.IGNORECASE)


def _marked(snippet: str) -> SafeString:
    if snippet.count(START_SEL) != snippet.count(STOP_SEL):  # the text held a marker itself
        snippet = snippet.replace(START_SEL, "").replace(STOP_SEL, "")
    html = escape(snippet).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    # Safe: the text was escaped above; only our own <mark> tags were added after.
    return mark_safe(html)  # noqa: S308
