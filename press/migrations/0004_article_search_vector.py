"""German full-text search on PostgreSQL: a stored generated tsvector with a GIN index.

The column is not a model field: Django never writes it, PostgreSQL keeps it current on every
insert and update. press.search reads it. SQLite has no tsvector; it searches with a fold()
function instead (press.search), so this migration does nothing there.
"""

from django.db import migrations

CREATE = """
ALTER TABLE press_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', coalesce(title, '')), 'A')
    || setweight(to_tsvector('german', coalesce(kicker, '') || ' ' || coalesce(lead, '')), 'B')
    || setweight(to_tsvector('german', coalesce(body, '')), 'C')
) STORED;
CREATE INDEX press_article_search_vector ON press_article USING GIN (search_vector);
"""
DROP = """
DROP INDEX IF EXISTS press_article_search_vector;
ALTER TABLE press_article DROP COLUMN IF EXISTS search_vector;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("press", "0003_photo_renditions")]

    operations = [migrations.RunPython(create, drop)]
