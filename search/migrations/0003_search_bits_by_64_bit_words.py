"""practice_search_bits() builds the bitmap of a search's matches 64 bits at a time: for a
common word (all 100,000 practices) 2,048 groups and hex words instead of 16,384, 28 ms
instead of 37 at 100k (docs/performance/log.md, 4 December 23:20). The same bits: a bitmap
of any length is cut back to `size`."""

from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

BY_WORDS = """CREATE OR REPLACE FUNCTION practice_search_bits(query tsquery, size integer)
RETURNS bit varying LANGUAGE sql STABLE SET enable_seqscan = off AS $$
    SELECT substring(('x' || string_agg(lpad(to_hex(COALESCE(m.b, 0)), 16, '0'), ''
        ORDER BY n))::bit varying from 1 for size)
    FROM generate_series(0, (size + 63) / 64 - 1) n
    LEFT JOIN (
        SELECT practice_id / 64 AS word, bit_or(1::bigint << (63 - mod(practice_id, 64))::int)
            AS b
        FROM practices_practicesearch WHERE vector @@ query GROUP BY 1
    ) m ON m.word = n
$$"""

BY_BYTES = """CREATE OR REPLACE FUNCTION practice_search_bits(query tsquery, size integer)
RETURNS bit varying LANGUAGE sql STABLE SET enable_seqscan = off AS $$
    SELECT ('x' || string_agg(lpad(to_hex(COALESCE(m.b, 0)), 2, '0'), '' ORDER BY n))
        ::bit varying
    FROM generate_series(0, size / 8 - 1) n
    LEFT JOIN (
        SELECT practice_id / 8 AS byte, bit_or(128 >> mod(practice_id, 8)::int) AS b
        FROM practices_practicesearch WHERE vector @@ query GROUP BY 1
    ) m ON m.byte = n
$$"""


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fill_practice_search_vectors_per_language")]

    operations = [PostgreSQLOnly(BY_WORDS, BY_BYTES)]
