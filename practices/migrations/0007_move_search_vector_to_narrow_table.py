import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from nador_portal.migration_operations import PostgreSQLOnly

# PostgreSQL only (SQLite searches with icontains and leaves the table empty). The vectors
# move to a narrow table whose rows keep them out of line (toast_tuple_target): the GIN
# matches of a common word then cost ~650 heap pages to turn into ids, not ~21,600 pages
# of practice rows. practice_search_bits() builds the facet index's bitmap of the matches
# (search/bitmap_index.py); the table looks small to the planner, which would otherwise
# pick a sequential scan that reads every vector back from TOAST (280 ms against 25 ms
# at 100,000 practices), hence enable_seqscan = off for that one query.
SETUP = [
    "ALTER TABLE practices_practicesearch SET (toast_tuple_target = 128)",
    "INSERT INTO practices_practicesearch (practice_id, vector) "
    "SELECT id, search_vector FROM practices_practice WHERE search_vector IS NOT NULL",
    "CREATE INDEX practice_search_gin ON practices_practicesearch USING gin (vector)",
    """CREATE OR REPLACE FUNCTION practice_search_bits(query tsquery, size integer)
    RETURNS bit varying LANGUAGE sql STABLE SET enable_seqscan = off AS $$
        SELECT ('x' || string_agg(lpad(to_hex(COALESCE(m.b, 0)), 2, '0'), '' ORDER BY n))
            ::bit varying
        FROM generate_series(0, size / 8 - 1) n
        LEFT JOIN (
            SELECT practice_id / 8 AS byte, bit_or(128 >> mod(practice_id, 8)::int) AS b
            FROM practices_practicesearch WHERE vector @@ query GROUP BY 1
        ) m ON m.byte = n
    $$""",
]
TEARDOWN = [
    "DROP FUNCTION IF EXISTS practice_search_bits(tsquery, integer)",
    "UPDATE practices_practice p SET search_vector = s.vector "
    "FROM practices_practicesearch s WHERE s.practice_id = p.id",
    "CREATE INDEX IF NOT EXISTS practice_search_vector_gin "
    "ON practices_practice USING gin (search_vector)",
]


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_add_practice_home_order_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PracticeSearch",
            fields=[
                (
                    "practice",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="practices.practice",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
        ),
        PostgreSQLOnly(SETUP, TEARDOWN),
        migrations.RemoveField(model_name="practice", name="search_vector"),
    ]
