import django.contrib.postgres.search
from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

# The unaccent extension, the accent-insensitive text search configuration and the GIN
# index exist on PostgreSQL only: SQLite keeps a plain column that stays empty.
POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'nador_search') THEN
            CREATE TEXT SEARCH CONFIGURATION nador_search (COPY = simple);
            ALTER TEXT SEARCH CONFIGURATION nador_search
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    "CREATE INDEX IF NOT EXISTS practice_search_vector_gin "
    "ON practices_practice USING gin (search_vector)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS practice_search_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS nador_search",
]


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0002_load_gcm_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgreSQLOnly(POSTGRES_SETUP, POSTGRES_TEARDOWN),
    ]
