"""The fragment cache: parts of a story's page (its HTML, the story's row)
for the readers who must bypass the page cache (signed-in staff, a commenter
with a pending response), so their page is cheap too.

The fragments of the story being rendered are fetched ahead in one round
trip with the versions they depend on (a page has several parts: one
get_many instead of one each). Which keys to fetch is learned per process
(`hints.fragments`): those the previous render of that story used (e.g. the
page of responses it showed); a key it lacks is fetched alone. Keys that
every page reads from the cache anyway (`register(fetch_ahead=...)`: the
section navigation) come in the same round trip, for `cached_value` to hand
out. What was fetched ahead is forgotten at the start and end of every
request.
"""

import contextvars
import logging
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from .hints import hints
from .pages import page_depends_on_article
from .registry import fetch_ahead_keys
from .versions import SITE, article_version, versions_before_rendering

logger = logging.getLogger(__name__)


class _FetchedAhead(NamedTuple):
    article_id: int
    fragments: frozenset  # the fragment keys asked for
    values: dict  # what the cache held, by key (a key it lacked is absent)
    others: frozenset  # the other keys asked for (`cached_value`)


_prefetched_fragments = contextvars.ContextVar("prefetched_fragments", default=None)


def page_shows_article(request, article_id, *, also=()):
    """Called by a view: this page shows that story (its entry depends on its
    version). Its parts are fetched from the fragment cache now, in one round
    trip, for the render to find (`cached_fragment`), with the keys `also`
    names (e.g. its hero's renditions) and those every page reads
    (`register(fetch_ahead=...)`), fragment cache or not (`cached_value`)."""
    page_depends_on_article(request, article_id)
    if not _already_prefetched(article_id):
        _prefetch_fragments(article_id, also=also)


def cached_value(key):
    """What the cache holds under `key` (None: nothing): from what was fetched
    ahead with this request's story, else in a round trip of its own. A cache
    that does not answer is a miss, as everywhere in this app."""
    prefetched = _prefetched_fragments.get()
    if prefetched is not None and key in prefetched.others:
        return prefetched.values.get(key)
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache skipped: it did not answer")
        return None


def fetched_ahead_for():
    """The story whose parts this request fetched ahead (None: none yet)."""
    prefetched = _prefetched_fragments.get()
    return prefetched.article_id if prefetched is not None else None


def _prefetch_fragments(article_id, *, also=()):
    learned = hints.fragments.get(article_id) if settings.FRAGMENT_CACHE else None
    fragments = tuple(learned.values()) if learned else ()
    others = (*fetch_ahead_keys(), *also)
    if not fragments and not others:
        return
    versions = (SITE, article_version(article_id)) if fragments else ()
    try:
        fetched = cache.get_many([*fragments, *others, *versions])
    except Exception:
        logger.exception("Fragments not fetched ahead: the cache did not answer")
        return
    if fragments:
        # Learned afresh by this render: a part it no longer shows (the
        # responses' own fragment, once their whole section is cached) is not
        # fetched again.
        hints.fragments[article_id] = {}
    _prefetched_fragments.set(
        _FetchedAhead(article_id, frozenset(fragments), fetched, frozenset(others))
    )


def _forget_prefetched_fragments(**kwargs):
    _prefetched_fragments.set(None)


request_started.connect(_forget_prefetched_fragments)
request_finished.connect(_forget_prefetched_fragments)


def _already_prefetched(article_id):
    prefetched = _prefetched_fragments.get()
    return prefetched is not None and prefetched.article_id == article_id


def _fetch_fragment(name, key, article_id, dependencies):
    """{key and its dependencies: what the cache holds}, from what was fetched
    ahead for this story if it includes the key, else in a round trip."""
    learned = hints.fragments.get(article_id)
    if learned is None:
        learned = hints.fragments[article_id] = {}
    learned[name] = key
    if _already_prefetched(article_id) and key in _prefetched_fragments.get().fragments:
        fetched = _prefetched_fragments.get().values
        return {name: fetched[name] for name in (key, *dependencies) if name in fetched}
    return cache.get_many([key, *dependencies])


def cached_fragment(name, article_id, render, *, variant=(), usable=None):
    """One part of a story's page (its HTML, or the story's row), from the
    cache or from `render()`.

    Keyed by the story, the part's `name` and `variant` (e.g. the page of
    responses); valid while the site's and the story's versions are those it
    was rendered under. `usable(value)`, if given, must also hold of a cached
    value and of a rendered one before it is kept (see `cached_story`).
    FRAGMENT_CACHE=0: always `render()`.
    """
    if not settings.FRAGMENT_CACHE:
        return render()
    key = "pagecache:fragment:{}:{}:{}".format(
        name, article_id, ":".join(str(part) for part in variant)
    )
    dependencies = (SITE, article_version(article_id))
    try:
        fetched = _fetch_fragment(name, key, article_id, dependencies)
        entry = fetched.pop(key, None)
        if (
            entry is not None
            and entry[0] == [fetched.get(name) for name in dependencies]
            and (usable is None or usable(entry[1]))
        ):
            return entry[1]
        versions = versions_before_rendering(dependencies, fetched)
    except Exception:
        logger.exception("Fragment cache skipped: the cache did not answer")
        return render()
    value = render()
    if versions.keys() >= set(dependencies) and (usable is None or usable(value)):
        try:
            entry = ([versions[name] for name in dependencies], value)
            cache.set(key, entry, settings.PAGE_CACHE_TTL)
        except Exception:
            logger.exception("Fragment not cached: the cache did not answer")
    return value


def cached_story(address, fetch, answers):
    """The row of the story an article page shows, for a reader who bypasses
    the page cache: from the fragment cache when this process has served
    `address` before (`hints.stories`), in the same round trip as the page's
    parts; else `fetch()` (the database, through the QuerySet that says what
    is public; it raises Http404 for anything else).

    A cached row is kept under the story's and the site's versions like any
    fragment, so an edit, a new response or a section's rename retires it;
    `answers(row)` must hold of it too: the visibility rule re-checked on the
    row itself, now (a story unpublished by a scheduled time, not by an edit,
    leaves no purge behind), and that it is still the story at that address.
    A fetched row is kept only if it is the story this process expected
    there (a hint that turns out wrong is only corrected, for next time).
    """
    article_id = hints.stories.get(address) if settings.FRAGMENT_CACHE else None
    if article_id is None:
        row = fetch()
    else:
        _prefetch_fragments(article_id)
        row = cached_fragment(
            "row",
            article_id,
            fetch,
            usable=lambda row: row.pk == article_id and answers(row),
        )
    if settings.FRAGMENT_CACHE and article_id != row.pk:
        hints.stories[address] = row.pk
    return row
