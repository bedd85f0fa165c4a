"""The facet index of search/bitmap_index.py: one bitmap of published practices per facet
value. PostgreSQL only (bit varying, bit_count); elsewhere the counts come from the tables.
Filled by `manage.py refresh_facet_index`; until then the readers count from the tables."""

from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

CREATE = """
CREATE TABLE practices_facet_bitmap (
    dimension varchar(20) NOT NULL,
    value varchar(255) NOT NULL,
    bits bit varying NOT NULL,
    rank integer NOT NULL DEFAULT 0,
    PRIMARY KEY (dimension, value)
)
"""
DROP = "DROP TABLE IF EXISTS practices_facet_bitmap"


class Migration(migrations.Migration):
    dependencies = [("practices", "0004_fill_practice_search_vector")]

    operations = [PostgreSQLOnly(CREATE, DROP)]
