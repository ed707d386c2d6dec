"""Paginators that never count a whole archive (issue 6).

Django's Paginator asks the database for an exact `COUNT(*)` of the list on
every page, and pages by OFFSET. Over 100,000 stories or 1,000,000 responses
both grow with the archive: the count reads every matching row, and page
8,000 makes the database read and throw away 96,000 rows before the ones it
shows. These paginators count at most `max_count + 1` rows
(`SELECT COUNT(*) FROM (… LIMIT max_count + 1)`), so the count and the
deepest page reachable are both bounded; `count_is_capped` says whether
there were more, so the page can say "more than …".
"""

from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Subquery


class CappedCountPaginator(Paginator):
    """A Paginator whose count stops at `max_count` rows.

    With more rows than that, `count` is `max_count`, `count_is_capped` is
    true, and pages beyond `max_count` rows do not exist (a 404 on the public
    lists, the admin's "invalid page" on a changelist).
    """

    def __init__(self, object_list, per_page, *, max_count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = max_count

    @cached_property
    def count(self):
        return min(self._rows_up_to_the_cap, self.max_count)

    @property
    def count_is_capped(self):
        """Whether there are more than `max_count` rows (how many more is not known)."""
        return self._rows_up_to_the_cap > self.max_count

    @cached_property
    def _rows_up_to_the_cap(self):
        if hasattr(self.object_list, "query"):
            # Counted in the database, unordered: an order would make it sort
            # the rows it counts rather than just read an index.
            return self.object_list.order_by()[: self.max_count + 1].count()
        return len(self.object_list[: self.max_count + 1])


class DeferredJoinPaginator(Paginator):
    """Pages a QuerySet by OFFSET over its ids only, then fetches that page's rows.

    For lists paged deep (the sitemap's files reach OFFSET 96,000 at 100,000
    stories): with an index that holds the whole order and the id
    (`article_status_pub_idx`), the ids of a page are read from the index
    alone, and only the page's own rows from the table, instead of every
    skipped row being read and sorted.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = self.object_list.filter(pk__in=Subquery(ids))
        return self._get_page(rows, number, self)


# How many rows an admin changelist counts, at most: 200 pages of 50. Past it
# the list says "more than 10,000" and the filters and search narrow it down.
ADMIN_MAX_COUNT = 10_000


class CappedCountAdminMixin:
    """For a ModelAdmin whose table grows with the archive (stories, responses):
    no exact `COUNT(*)` over the table on any load.

    Django's changelist counts twice (the filtered list, and the whole table
    for "N total"); `show_full_result_count = False` drops the second, and the
    paginator caps the first. Facets (`?_facets=`) would count every choice of
    every filter over the whole table: they are off. The changelist's pagination
    template says "more than N" when the count was capped
    (templates/admin/capped_count_pagination.html, included by the model's own
    `pagination.html`).
    """

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    max_count = ADMIN_MAX_COUNT

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        return CappedCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            max_count=self.max_count,
        )
