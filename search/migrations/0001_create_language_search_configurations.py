from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

# PostgreSQL only: SQLite searches a folded copy of the texts (search/normalise.py).
#
# One text search configuration per language of the portal, each the language's snowball
# stemmer behind unaccent, so that "integration" finds "intégration" and "migrante"
# "migrantes". A configuration cannot call a function, so Arabic is normalised by
# nador_arabic() before it reaches nador_ar, at indexing and at query time alike. The
# arabic stemmer already drops vowel marks and tatweel, unifies أ إ آ and removes the
# article with ب ك ل before it, but it leaves ٱ, stems a word ending in ى and in ي
# differently, and keeps و and ف before the article ("والمهاجرين"): those are done here,
# the conjunction only before a word long enough not to be "والد" (father).
#
# The functions say once what search/fulltext.py needs: the vector of a text in its
# language, of names in every language (a city, an organisation: written the same in all),
# a query in every language, and the configuration of a language for the headlines.
SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    *(
        statement
        for name, stemmer in [
            ("nador_en", "english"),
            ("nador_fr", "french"),
            ("nador_es", "spanish"),
            ("nador_ar", "arabic"),
        ]
        for statement in [
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {stemmer})",
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stemmer}_stem",
        ]
    ),
    r"""CREATE FUNCTION nador_arabic(body text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT regexp_replace(
            translate(regexp_replace(body, '[\u0640\u064B-\u065F\u0670]', '', 'g'),
                'أإآٱى', 'ااااي'),
            '(^|[^\u0621-\u064A])[وف](ال[\u0621-\u064A]{4,})', '\1\2', 'g')
    $$""",
    """CREATE FUNCTION nador_tsvector(language text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language
            WHEN 'fr' THEN to_tsvector('nador_fr', coalesce(body, ''))
            WHEN 'es' THEN to_tsvector('nador_es', coalesce(body, ''))
            WHEN 'ar' THEN to_tsvector('nador_ar', nador_arabic(coalesce(body, '')))
            ELSE to_tsvector('nador_en', coalesce(body, ''))
        END
    $$""",
    """CREATE FUNCTION nador_text_vector(language text, title text, summary text, rest text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(nador_tsvector(language, title), 'A')
            || setweight(nador_tsvector(language, summary), 'B')
            || setweight(nador_tsvector(language, rest), 'C')
    $$""",
    """CREATE FUNCTION nador_names_vector(names text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(nador_tsvector('en', names) || nador_tsvector('fr', names)
            || nador_tsvector('es', names) || nador_tsvector('ar', names), 'C')
    $$""",
    # Each language's query once: a word that stems alike in several languages (most
    # names, "tramontane") would otherwise count several times in the planner's estimate of
    # the matches, which then picks a parallel plan for a few hundred rows. NULL, matching
    # nothing, when every word is a stop word in every language.
    """CREATE FUNCTION nador_query(words text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT string_agg(DISTINCT '(' || query || ')', ' | ')::tsquery
        FROM unnest(ARRAY[
            websearch_to_tsquery('nador_en', words), websearch_to_tsquery('nador_fr', words),
            websearch_to_tsquery('nador_es', words),
            websearch_to_tsquery('nador_ar', nador_arabic(words))
        ]::text[]) AS query
        WHERE query <> ''
    $$""",
    """CREATE FUNCTION nador_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language
            WHEN 'fr' THEN 'nador_fr'::regconfig
            WHEN 'es' THEN 'nador_es'::regconfig
            WHEN 'ar' THEN 'nador_ar'::regconfig
            ELSE 'nador_en'::regconfig
        END
    $$""",
    # The vectors of a practice's approved translations, one per language, joined into one.
    """CREATE AGGREGATE nador_tsvector_agg(tsvector) (
        SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = ''
    )""",
]
TEARDOWN = [
    "DROP AGGREGATE IF EXISTS nador_tsvector_agg(tsvector)",
    "DROP FUNCTION IF EXISTS nador_config(text)",
    "DROP FUNCTION IF EXISTS nador_query(text)",
    "DROP FUNCTION IF EXISTS nador_names_vector(text)",
    "DROP FUNCTION IF EXISTS nador_text_vector(text, text, text, text)",
    "DROP FUNCTION IF EXISTS nador_tsvector(text, text)",
    "DROP FUNCTION IF EXISTS nador_arabic(text)",
    *(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS nador_{code}" for code in ["en", "fr", "es", "ar"]),
]


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0009_fill_category_names_in_four_languages"),
    ]

    operations = [
        PostgreSQLOnly(SETUP, TEARDOWN),
    ]
