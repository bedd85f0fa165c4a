"""nador_phrase_keys(): the pairs of adjacent stored words of one search vector, as keys
(search/word_bits.py). The same join of the vector's positions with themselves that the
statements wrote inline, as a LATERAL subquery per practice, takes 0.45-0.5 s instead of
1.15-1.4 s for 1,000 practices in a function of its own, and the whole index rebuilt at
10,000 practices is the same byte for byte (docs/performance/log.md, 5 December 23:00)."""

from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

CREATE = """CREATE OR REPLACE FUNCTION nador_phrase_keys(vector tsvector, words text[], size integer)
RETURNS integer[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH c AS (
        SELECT w.number::integer AS number, n.position
        FROM unnest(vector) u
        JOIN unnest(words) WITH ORDINALITY AS w (word, number) ON w.word = u.lexeme,
        unnest(u.positions) n (position)
    )
    SELECT coalesce(array_agg(DISTINCT a.number * size + b.number), '{}')
    FROM c a JOIN c b ON b.position = a.position + 1
$$"""
DROP = "DROP FUNCTION IF EXISTS nador_phrase_keys(tsvector, text[], integer)"


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facet_bitmap_counts")]

    operations = [PostgreSQLOnly(CREATE, DROP)]
