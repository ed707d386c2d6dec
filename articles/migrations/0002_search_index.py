# The GIN index behind reader search (articles/search.py), PostgreSQL only:
# SQLite has no full-text index of this kind and migrates through this as a
# no-op. The expression must be exactly the SQL of search.SEARCH_VECTOR, or
# PostgreSQL will not use the index; tests/articles/test_search.py checks
# that with EXPLAIN.

from django.db import migrations

INDEX_NAME = "article_search_idx"

CREATE_INDEX = f"""
CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON articles_article USING GIN ((
    (
        setweight(to_tsvector('english'::regconfig, COALESCE("articles_article"."headline", '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE("articles_article"."standfirst", '')), 'B')
    )
    || setweight(to_tsvector('english'::regconfig, COALESCE("articles_article"."body", '')), 'C')
))
"""

DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX_NAME}"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE_INDEX), _on_postgresql(DROP_INDEX)),
    ]
