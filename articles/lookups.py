"""The article page's one ORM query, compiled once per process.

A story's page looks its row up by address: `Article.objects.published()`
(the visibility rule), its section (`for_article_page`), its slug and its
publication day. Through the ORM that costs about 2 ms of CPU on the
benchmark machine (docs/performance.md), most of it building and compiling
the same statement again; the database answers it from an index in a small
fraction of that. So the QuerySet is compiled once per process and database,
with stand-in values, and each lookup runs that statement with its own values
in their places, adapted as the ORM adapts them, and builds the instances as
the ORM does. The rule stays where it is: change `published()` and the next
process compiles the new statement (tests/articles/test_lookups.py holds the
two paths to the same answers).
"""

import datetime

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models.query import get_related_populators
from django.dispatch import receiver

from newsroom.db import execute_prepared

from .models import Article

# Stand-in values, unlike any real one, to find each value's place among the
# compiled statement's parameters.
_STAND_INS = {
    "slug": "\x00stand-in-slug",
    "start": datetime.datetime(1901, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "end": datetime.datetime(1902, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "now": datetime.datetime(1903, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
}


def _story_at(slug, start, end, now):
    return (
        Article.objects.published(at=now)
        .for_article_page()
        .filter(slug=slug, published_at__gte=start, published_at__lt=end)
    )


def published_story(slug, start, end, now):
    """The published story with `slug`, published in [start, end), visible at
    `now`, with its section; None if there is none."""
    alias = router.db_for_read(Article)
    compiled = _compiled.get(alias)
    if compiled is None:
        compiled = _compiled[alias] = _Compiled(alias)
    return compiled.get(slug=slug, start=start, end=end, now=now)


class _Compiled:
    def __init__(self, alias):
        self.alias = alias
        connection = connections[alias]
        queryset = _story_at(**_STAND_INS).using(alias)
        self.compiler = queryset.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        published_at = Article._meta.get_field("published_at")
        self.adapt = {
            "slug": lambda value: value,
            **{
                name: lambda value: published_at.get_db_prep_value(value, connection)
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
def _forget(**kwargs):
    _compiled.clear()
