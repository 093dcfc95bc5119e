"""PostgreSQL search (issue 15): quotes and spokespersons' names in the search column, and
words with invisible characters inside found by the word without them.

A generated column can only read its own row, so two plain text columns on press_article hold
the article's quoted names and quote texts, kept current by triggers on press_quote (insert,
update, delete) and press_spokesperson (a new name). Like search_vector they are not model
fields: Django never writes them. The search column is generated again from them with the
spokesperson's name weighted like the title (A) and the quote texts like the body (C), and with
the characters of public.search.INVISIBLE removed before PostgreSQL splits the text into words
(it would split "Qualifizierungs<soft hyphen>offensive" in two). SQLite does the same in Python
(public.search), so this migration does nothing there.
"""

from django.db import migrations

# The same characters as public.search.INVISIBLE; a migration must not import the code it
# serves (it is history).
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def words(column: str) -> str:
    return f"to_tsvector('german', translate(coalesce({column}, ''), '{INVISIBLE}', ''))"


CREATE = f"""
ALTER TABLE press_article ADD COLUMN search_quoted_names text NOT NULL DEFAULT '';
ALTER TABLE press_article ADD COLUMN search_quotes text NOT NULL DEFAULT '';

CREATE FUNCTION press_article_refresh_quotes(article bigint) RETURNS void
LANGUAGE sql AS $$
    UPDATE press_article SET
        search_quoted_names = coalesce((
            SELECT string_agg(s.name, ' ' ORDER BY q.position, q.id)
            FROM press_quote q JOIN press_spokesperson s ON s.id = q.spokesperson_id
            WHERE q.article_id = article
        ), ''),
        search_quotes = coalesce((
            SELECT string_agg(q.text, ' ' ORDER BY q.position, q.id)
            FROM press_quote q WHERE q.article_id = article
        ), '')
    WHERE id = article;
$$;

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

CREATE FUNCTION press_spokesperson_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM press_article_refresh_quotes(article_id)
    FROM (SELECT DISTINCT article_id FROM press_quote WHERE spokesperson_id = NEW.id) quoted;
    RETURN NULL;
END
$$;
CREATE TRIGGER press_spokesperson_search AFTER UPDATE OF name ON press_spokesperson
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION press_spokesperson_search();

SELECT press_article_refresh_quotes(article_id)
FROM (SELECT DISTINCT article_id FROM press_quote) quoted;

DROP INDEX IF EXISTS press_article_search_vector;
ALTER TABLE press_article DROP COLUMN search_vector;
ALTER TABLE press_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight({words("title")}, 'A')
    || setweight({words("search_quoted_names")}, 'A')
    || setweight({words("coalesce(kicker, '') || ' ' || coalesce(lead, '')")}, 'B')
    || setweight({words("body")}, 'C')
    || setweight({words("search_quotes")}, 'C')
) STORED;
CREATE INDEX press_article_search_vector ON press_article USING GIN (search_vector);
"""

# Back to migration 0004's column.
DROP = """
DROP INDEX IF EXISTS press_article_search_vector;
ALTER TABLE press_article DROP COLUMN search_vector;
DROP TRIGGER IF EXISTS press_spokesperson_search ON press_spokesperson;
DROP TRIGGER IF EXISTS press_quote_search ON press_quote;
DROP FUNCTION IF EXISTS press_spokesperson_search();
DROP FUNCTION IF EXISTS press_quote_search();
DROP FUNCTION IF EXISTS press_article_refresh_quotes(bigint);
ALTER TABLE press_article DROP COLUMN search_quotes;
ALTER TABLE press_article DROP COLUMN search_quoted_names;
ALTER TABLE press_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', coalesce(title, '')), 'A')
    || setweight(to_tsvector('german', coalesce(kicker, '') || ' ' || coalesce(lead, '')), 'B')
    || setweight(to_tsvector('german', coalesce(body, '')), 'C')
) STORED;
CREATE INDEX press_article_search_vector ON press_article USING GIN (search_vector);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("press", "0009_article_release_date")]

    operations = [migrations.RunPython(create, drop)]
