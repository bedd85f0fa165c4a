"""Each bitmap of the facet index keeps its number of practices (`n`): the list without
filters or words reads its facet counts from it instead of reading every bitmap (at
300,000 practices, 400 bitmaps of 37 kB each). search/bitmap_index.py keeps it equal to
bit_count(bits) on every write."""

from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

ADD = (
    "ALTER TABLE practices_facet_bitmap ADD COLUMN n integer NOT NULL DEFAULT 0; "
    "UPDATE practices_facet_bitmap SET n = bit_count(bits)"
)
DROP = "ALTER TABLE practices_facet_bitmap DROP COLUMN n"


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_search_bits_by_64_bit_words"),
        ("practices", "0005_add_facet_bitmap"),
    ]

    operations = [PostgreSQLOnly(ADD, DROP)]
