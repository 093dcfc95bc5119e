"""The quote columns of the search (migration 0010) kept current once per statement instead of
once per quote row (issue 16).

Every refresh rewrites the article row and so makes PostgreSQL compute its generated
search_vector again, about 3 ms for a release of this office. With a row trigger an import paid
that once per quote; statement triggers with transition tables (PostgreSQL 10+, "CREATE
TRIGGER … REFERENCING NEW TABLE") refresh each article a statement touched once, and the
importer inserts all quotes of a release in one statement. PostgreSQL allows a transition table
only on a trigger for one event, hence three triggers. SQLite has no such columns: nothing to
do there.
"""

from django.db import migrations

CREATE = """
DROP TRIGGER press_quote_search ON press_quote;
DROP FUNCTION press_quote_search();

CREATE FUNCTION press_quote_search_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM press_article_refresh_quotes(article_id)
    FROM (SELECT DISTINCT article_id FROM new_quotes) changed;
    RETURN NULL;
END
$$;
CREATE TRIGGER press_quote_search_insert AFTER INSERT ON press_quote
REFERENCING NEW TABLE AS new_quotes
FOR EACH STATEMENT EXECUTE FUNCTION press_quote_search_inserted();

CREATE FUNCTION press_quote_search_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM press_article_refresh_quotes(article_id)
    FROM (SELECT article_id FROM old_quotes UNION SELECT article_id FROM new_quotes) changed;
    RETURN NULL;
END
$$;
CREATE TRIGGER press_quote_search_update AFTER UPDATE ON press_quote
REFERENCING OLD TABLE AS old_quotes NEW TABLE AS new_quotes
FOR EACH STATEMENT EXECUTE FUNCTION press_quote_search_updated();

CREATE FUNCTION press_quote_search_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM press_article_refresh_quotes(article_id)
    FROM (SELECT DISTINCT article_id FROM old_quotes) changed;
    RETURN NULL;
END
$$;
CREATE TRIGGER press_quote_search_delete AFTER DELETE ON press_quote
REFERENCING OLD TABLE AS old_quotes
FOR EACH STATEMENT EXECUTE FUNCTION press_quote_search_deleted();
"""

# Back to migration 0010's row trigger.
DROP = """
DROP TRIGGER press_quote_search_insert ON press_quote;
DROP TRIGGER press_quote_search_update ON press_quote;
DROP TRIGGER press_quote_search_delete ON press_quote;
DROP FUNCTION press_quote_search_inserted();
DROP FUNCTION press_quote_search_updated();
DROP FUNCTION press_quote_search_deleted();

CREATE FUNCTION press_quote_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM press_article_refresh_quotes(OLD.article_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM press_article_refresh_quotes(NEW.article_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER press_quote_search AFTER INSERT OR UPDATE OR DELETE ON press_quote
FOR EACH ROW EXECUTE FUNCTION press_quote_search();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("press", "0012_photo_files_outside_media")]

    operations = [migrations.RunPython(create, drop)]
