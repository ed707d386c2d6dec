# Reader search (articles/search.py), PostgreSQL only: SQLite migrates through
# this as a no-op and searches with its substring fallback.
#
# The story's search document (headline A, standfirst B, body C, "english")
# is a STORED generated column with a GIN index, kept by PostgreSQL itself on
# every insert and update. It is not a Django model field: it exists only on
# PostgreSQL, and search.SearchDocument reads it.
#
# Why a stored column rather than a GIN index over the to_tsvector(...)
# expression: with an expression index, PostgreSQL still recomputes
# to_tsvector() on every row it checks outside the index and for every row it
# ranks, and its planner prices that far below its real cost (about 0.5 ms for
# a 4 KB body). Over 10,000 stories a word in 10% of them took 0.9 s and one
# in nearly all 0.16 s; with the stored column every query we tried takes
# under 5 ms. docs/performance.md ("Search") has the plans.

from django.db import migrations

COLUMN = "search_document"
INDEX_NAME = "article_search_idx"

ADD_COLUMN_AND_INDEX = [
    f"""
    ALTER TABLE articles_article ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(standfirst, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')
    ) STORED
    """,
    f"CREATE INDEX {INDEX_NAME} ON articles_article USING GIN ({COLUMN})",
]

DROP_COLUMN_AND_INDEX = [
    f"DROP INDEX IF EXISTS {INDEX_NAME}",
    f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {COLUMN}",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _on_postgresql(ADD_COLUMN_AND_INDEX), _on_postgresql(DROP_COLUMN_AND_INDEX)
        ),
    ]
