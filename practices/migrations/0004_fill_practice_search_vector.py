from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

# The same vector as search.fulltext.search_vector_expression(), in SQL, since a
# migration cannot rely on today's model code.
FILL = """
UPDATE practices_practice AS p SET search_vector =
    setweight(to_tsvector('nador_search', coalesce(p.title, '')), 'A')
    || setweight(to_tsvector('nador_search', coalesce(p.summary, '')), 'B')
    || setweight(to_tsvector('nador_search', concat_ws(' ',
        p.impact, p.lessons_learnt, p.city,
        (SELECT string_agg(s.name, ' ') FROM practices_stakeholderrole AS r
         JOIN stakeholders_stakeholder AS s ON s.id = r.stakeholder_id
         WHERE r.practice_id = p.id))), 'C')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0003_add_practice_search_vector"),
        ("stakeholders", "0001_create_stakeholders_and_memberships"),
    ]

    operations = [PostgreSQLOnly(FILL, migrations.RunSQL.noop)]
