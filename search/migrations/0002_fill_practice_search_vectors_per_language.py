from django.db import migrations

from nador_portal.migration_operations import PostgreSQLOnly

# search.fulltext.ALL_VECTORS_SQL as it was when the configurations per language came in,
# copied here since a migration must not change with the code.
FILL = """
INSERT INTO practices_practicesearch (practice_id, vector)
SELECT p.id,
    nador_text_vector(p.language, p.title, p.summary, concat_ws(' ', p.impact, p.lessons_learnt))
    || coalesce(t.vector, '')
    || nador_names_vector(concat_ws(' ', p.city, n.names))
FROM practices_practice AS p LEFT JOIN (
    SELECT r.practice_id, string_agg(s.name, ' ' ORDER BY s.name) AS names
    FROM practices_stakeholderrole AS r
    JOIN stakeholders_stakeholder AS s ON s.id = r.stakeholder_id
    GROUP BY r.practice_id
) AS n ON n.practice_id = p.id LEFT JOIN (
    SELECT t.practice_id, nador_tsvector_agg(nador_text_vector(t.language, t.title, t.summary,
        concat_ws(' ', t.impact, t.lessons_learnt)) ORDER BY t.language) AS vector
    FROM practices_practicetranslation AS t
    WHERE t.status = 'published'
    GROUP BY t.practice_id
) AS t ON t.practice_id = p.id
ON CONFLICT (practice_id) DO UPDATE SET vector = EXCLUDED.vector
"""
# The vectors before, all in nador_search (practices migration 0003), for a way back.
UNFILL = """
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


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_create_language_search_configurations"),
    ]

    operations = [
        PostgreSQLOnly(FILL, UNFILL),
    ]
