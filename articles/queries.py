"""The article page's hand-written SQL: its two statements, each the same
text on every cold render, so PostgreSQL prepares them once per connection
(core/db.py's `execute_prepared`).

1. **The story's row** (`published_story`): `Article.objects.published()`
   (the visibility rule), its section, its slug and its publication day.
   Through the ORM that costs about 2 ms of CPU on the benchmark machine
   (docs/performance.md), most of it building and compiling the same
   statement again; the database answers it from an index in a small
   fraction of that. So the QuerySet is compiled once per process and
   database, with stand-in values, and each lookup runs that statement with
   its own values in their places, adapted as the ORM adapts them, and builds
   the instances as the ORM does. The rule stays in `published()`: change it
   and the next process compiles the new statement
   (tests/articles/test_queries.py holds the two paths to the same answers).
   `is_story_at` asks the same of a row already in hand (a cached one).

2. **The story's related rows** (`page_relations`): bylines, tags,
   pull-quotes with their source, sources, notes (corrections and the like).
   Through the ORM (prefetch_related with its ordering and select_related)
   they cost about 3 ms of CPU a cold render to compose, compile and load,
   for a few index lookups the database answers in well under a
   millisecond; as statements of their own they would still cost a round
   trip each. So the SELECTs are one UNION ALL, one
   round trip, written from the field lists below: adding a field to
   `Source` (say) is adding its name to `SOURCE_FIELDS`.
"""

import datetime
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.db import connection, connections, router
from django.db.models.query import get_related_populators
from django.dispatch import receiver

from core.db import execute_prepared

from .models import Article, Author, Byline, PullQuote, Source, StoryNote, Tag

# --- 1. The story's row -----------------------------------------------------------------

# Stand-in values, unlike any real one, to find each value's place among the
# compiled statement's parameters.
_STAND_INS = {
    "slug": "\x00stand-in-slug",
    "start": datetime.datetime(1901, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "end": datetime.datetime(1902, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "now": datetime.datetime(1903, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
}


def story_at(slug, start, end, now):
    """The QuerySet `published_story` runs: the published story with `slug`,
    published in [start, end), visible at `now`, with its section."""
    return (
        Article.objects.published(at=now)
        .for_article_page()
        .filter(slug=slug, published_at__gte=start, published_at__lt=end)
    )


def is_story_at(article, slug, start, end):
    """What `story_at(slug, start, end, now)` asks of the database, asked of a
    row already in hand (a cached one): public now, at that address."""
    return article.is_public and article.slug == slug and start <= article.published_at < end


def published_story(slug, start, end, now):
    """`story_at(...)`'s one story, or None, by a statement compiled once."""
    alias = router.db_for_read(Article)
    compiled = _compiled.get(alias)
    if compiled is None:
        compiled = _compiled[alias] = _CompiledStoryLookup(alias)
    return compiled.get(slug=slug, start=start, end=end, now=now)


class _CompiledStoryLookup:
    def __init__(self, alias):
        self.alias = alias
        db = connections[alias]
        queryset = story_at(**_STAND_INS).using(alias)
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        published_at = Article._meta.get_field("published_at")
        self.adapt = {
            "slug": lambda value: value,
            **{
                name: lambda value: published_at.get_db_prep_value(value, db)
                for name in ("start", "end", "now")
            },
        }
        adapted = {name: self.adapt[name](value) for name, value in _STAND_INS.items()}
        # Each parameter is a stand-in (filled per lookup) or a constant of
        # the rule's own (e.g. the "published" status).
        self.places = [
            next((name for name, value in adapted.items() if value == param), None)
            for param in params
        ]
        self.constants = params
        missing = set(_STAND_INS) - set(self.places)
        if missing:
            raise RuntimeError(f"published_story: no place for {sorted(missing)} in {self.sql}")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        self.own_columns = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.own_columns]]
        self.related_populators = get_related_populators(klass_info, select, alias)

    def get(self, **values):
        adapted = {name: self.adapt[name](value) for name, value in values.items()}
        params = [
            adapted[place] if place is not None else constant
            for place, constant in zip(self.places, self.constants, strict=True)
        ]
        with connections[self.alias].cursor() as cursor:
            execute_prepared(cursor, self.sql, params)
            rows = cursor.fetchmany(2)
        if len(rows) != 1:
            return None  # none, or (impossible by the unique slug per day) two
        row = next(iter(self.compiler.results_iter([rows])))
        story = Article.from_db(self.alias, self.init_list, row[self.own_columns])
        for populator in self.related_populators:
            populator.populate(row, story)
        return story


_compiled = {}


@receiver(setting_changed)
def _forget_compiled(**kwargs):
    _compiled.clear()


# --- 2. The story's related rows ----------------------------------------------------------


@dataclass(frozen=True)
class PageRelations:
    """What the article page shows besides the story's own row: its authors in
    byline order, its tags, its pull-quotes (each with its source, if any) in
    the order they are placed, its sources, and its notes (StoryNote: oldest
    first, withdrawn ones included)."""

    authors: list
    tags: list
    pull_quotes: list
    sources: list
    notes: list


# The fields the page draws of each related row: the one list each. An
# author's and a tag's share their columns. A pull-quote's story is the one
# asked for; its source comes with the first QUOTE_SOURCE_FIELDS of the
# source's fields (what its link needs).
NAMED_FIELDS = ("name", "slug", "id")
QUOTE_FIELDS = ("id", "text", "speaker", "speaker_role", "after_paragraph", "source_id")
SOURCE_FIELDS = (
    "id",
    "article_id",
    "title",
    "url",
    "kind",
    "publisher",
    "published_on",
    "quoted_text",
    "archive_url",
)
QUOTE_SOURCE_FIELDS = SOURCE_FIELDS[:4]
NOTE_FIELDS = ("id", "kind", "text", "noted_at", "amended_at", "withdrawn_at")

# The UNION's columns after `kind`, `place` and `tie`: (prefix, model, field).
_COLUMNS = (
    *(("named", Author, name) for name in NAMED_FIELDS),
    *(("quote", PullQuote, name) for name in QUOTE_FIELDS),
    *(("source", Source, name) for name in SOURCE_FIELDS),
    *(("note", StoryNote, name) for name in NOTE_FIELDS),
)


def _column_slice(prefix):
    places = [i for i, (group, _, _) in enumerate(_COLUMNS, start=3) if group == prefix]
    return slice(places[0], places[-1] + 1)


_NAMED_COLUMNS = _column_slice("named")
_QUOTE_COLUMNS = _column_slice("quote")
_SOURCE_COLUMNS = _column_slice("source")
_NOTE_COLUMNS = _column_slice("note")
_QUOTE_SOURCE_COLUMNS = slice(_SOURCE_COLUMNS.start, _SOURCE_COLUMNS.start + 4)


def _relations_sql(db):
    """The UNION ALL of the five SELECTs, one text per database vendor.

    Every SELECT gives the same columns, NULL where a kind has nothing to put;
    `kind` says which list a row belongs to, and `place`, `tie` and the name
    (ORDER BY) give each kind its own order. The first SELECT types its
    NULLs: PostgreSQL types a UNION's columns pair by pair, and two untyped
    NULLs make a text column that an integer or a date cannot join. SQLite
    ignores the casts; it does not tell Django that a date column is one
    either, so dates and times come back as text there (`page_relations`
    converts them).
    """
    sql = _relations_sql_texts.get(db.vendor)
    if sql is not None:
        return sql

    def column(model, name):
        return model._meta.get_field(name.removesuffix("_id")).column

    def select(kind, place, tie, tables, where, values, *, typed=False):
        parts = [f"'{kind}'", place, tie]
        for group, model, name in _COLUMNS:
            alias = f"{group}_{name}"
            value = values.get((group, name))
            if value is None and typed:
                value = f"CAST(NULL AS {model._meta.get_field(name).cast_db_type(db)})"
            parts.append(f"{value or 'NULL'} AS {alias}" if typed else value or "NULL")
        if typed:
            parts[:3] = [f"{parts[0]} AS kind", f"{place} AS place", f"{tie} AS tie"]
        return f"SELECT {', '.join(parts)}\nFROM {tables}\nWHERE {where}"

    byline, author = Byline._meta.db_table, Author._meta.db_table
    tag, tagging = Tag._meta.db_table, Article.tags.through._meta.db_table
    quote, source = PullQuote._meta.db_table, Source._meta.db_table
    note = StoryNote._meta.db_table
    selects = [
        select(
            "author",
            'b."order"',
            "b.id",
            f"{byline} b JOIN {author} a ON a.id = b.author_id",
            "b.article_id = %s",
            {("named", name): f"a.{column(Author, name)}" for name in NAMED_FIELDS},
            typed=True,
        ),
        select(
            "tag",
            "NULL",
            "NULL",
            f"{tagging} at JOIN {tag} t ON t.id = at.tag_id",
            "at.article_id = %s",
            {("named", name): f"t.{column(Tag, name)}" for name in NAMED_FIELDS},
        ),
        select(
            "quote",
            "q.after_paragraph",
            "q.id",
            f"{quote} q LEFT JOIN {source} s ON s.id = q.source_id",
            "q.article_id = %s",
            {
                **{("quote", name): f"q.{column(PullQuote, name)}" for name in QUOTE_FIELDS},
                **{
                    ("source", name): f"s.{column(Source, name)}"
                    for name in QUOTE_SOURCE_FIELDS
                },
            },
        ),
        select(
            "source",
            's."order"',
            "s.id",
            f"{source} s",
            "s.article_id = %s",
            {("source", name): f"s.{column(Source, name)}" for name in SOURCE_FIELDS},
        ),
        select(
            "note",
            "NULL",
            "n.id",
            f"{note} n",
            "n.article_id = %s",
            {("note", name): f"n.{column(StoryNote, name)}" for name in NOTE_FIELDS},
        ),
    ]
    sql = "\nUNION ALL\n".join(selects) + "\nORDER BY kind, place, tie, named_name"
    _relations_sql_texts[db.vendor] = sql
    return sql


_relations_sql_texts = {}


def fetch_page_relations(article_id):
    """The PageRelations of one story, in one query whatever their number
    (issue 2 §7)."""
    with connection.cursor() as cursor:
        execute_prepared(cursor, _relations_sql(connection), [article_id] * 5)
        rows = cursor.fetchall()
    authors, tags, quotes, sources, notes = [], [], [], [], []
    for row in rows:
        kind = row[0]
        if kind == "author":
            authors.append(_loaded(Author, NAMED_FIELDS, row[_NAMED_COLUMNS]))
        elif kind == "tag":
            tags.append(_loaded(Tag, NAMED_FIELDS, row[_NAMED_COLUMNS]))
        elif kind == "quote":
            fields = (*QUOTE_FIELDS, "article_id")
            quote = _loaded(PullQuote, fields, (*row[_QUOTE_COLUMNS], article_id))
            quote.source = (
                _loaded(Source, QUOTE_SOURCE_FIELDS, row[_QUOTE_SOURCE_COLUMNS])
                if quote.source_id is not None
                else None
            )
            quotes.append(quote)
        elif kind == "note":
            values = (*row[_NOTE_COLUMNS], article_id)
            note = _loaded(StoryNote, (*NOTE_FIELDS, "article_id"), values)
            for name in ("noted_at", "amended_at", "withdrawn_at"):
                _parse_sqlite_time(note, name)
            notes.append(note)
        else:
            source = _loaded(Source, SOURCE_FIELDS, row[_SOURCE_COLUMNS])
            if isinstance(source.published_on, str):  # SQLite: see _relations_sql
                source.published_on = datetime.date.fromisoformat(source.published_on)
            sources.append(source)
    notes.sort(key=lambda note: (note.noted_at, note.pk))
    return PageRelations(
        authors=authors, tags=tags, pull_quotes=quotes, sources=sources, notes=notes
    )


def _parse_sqlite_time(instance, name):
    """SQLite hands a UNION's datetime column back as text (see _relations_sql)."""
    value = getattr(instance, name)
    if isinstance(value, str):
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        setattr(instance, name, moment)


def page_relations(article):
    """The story's PageRelations, fetched the first time a part of its page
    asks (a part that comes from the fragment cache needs none of them) and
    kept on the instance for the rest of the render."""
    relations = article.__dict__.get("_page_relations")
    if relations is None:
        relations = article.__dict__["_page_relations"] = fetch_page_relations(article.pk)
    return relations


def _loaded(model, names, row):
    """A model instance from a row of `names` (Model.from_db wants the values
    in the model's field order; the fields not named are deferred, so drawing
    one by mistake costs a query the budget tests see, not a wrong default)."""
    values = dict(zip(names, row, strict=True))
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, fields, [values[name] for name in fields])
