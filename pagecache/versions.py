"""Versions and tombstones: how an entry knows it is out of date, and when a
copy must never be served again.

Every entry records the versions of what it shows, read *before* it was
rendered:

- `site`: everything (sections, authors, tags: the navigation and bylines are
  on every page);
- `listings`: every list of stories (home, sections, tags, authors, feeds,
  sitemap);
- `article:<id>`: one story's page (its text, its responses).

A purge gives a version a new random value, after the change is committed
(purges.py). A version that the cache has lost (evicted) matches nothing, so
every entry built under it is stale: never wrong, only colder. Random values
rather than counters: two purges racing on any cache backend still leave a
value no reader has rendered under.

**Tombstones** (issue 15 §5). A stale entry is still kept for one purpose:
while the database is away, the page cache serves a page's last copy rather
than a 503 (pages.py). That must never bring back what was taken down (a
story unpublished for legal reasons, a rejected response, erased names). So a
takedown also writes, beside each version it changes, a tombstone: the time
of the takedown. A copy rendered before the tombstone of any version it
recorded is never served again, not even in an outage. The copies
themselves cannot be listed (every `?cpage`, list page and feed); the
tombstone, like the version, needs no list. It lives as long as any copy
rendered before it could (PAGE_CACHE_TTL), and says a few seconds more than
the clock (TOMBSTONE_MARGIN), for servers whose clocks differ a little.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache

from core.cache import strict

SITE = "pagecache:v:site"
LISTINGS = "pagecache:v:listings"

# Seconds added to a tombstone's time: a copy rendered that soon after the
# takedown, by a server whose clock is a little behind, is refused too
# (NTP keeps servers' clocks far closer than this).
TOMBSTONE_MARGIN = 5


def article_version(article_id):
    return f"pagecache:v:article:{article_id}"


def tombstone_key(version_key):
    """The tombstone beside a version: pagecache:v:article:7 → pagecache:tomb:article:7."""
    return "pagecache:tomb:" + version_key.removeprefix("pagecache:v:")


def write_purge(keys, taken_down=()):
    """New values for the versions `keys`, and tombstones for those of them
    in `taken_down`, tombstones first. Raises core.cache.CacheUnavailable
    when the cache does not take them (purges.py queues the purge then)."""
    if taken_down:
        moment = time.time() + TOMBSTONE_MARGIN
        strict(cache).set_many(
            {tombstone_key(key): moment for key in taken_down},
            timeout=settings.PAGE_CACHE_TTL + TOMBSTONE_MARGIN,
        )
    strict(cache).set_many({key: _fresh_version() for key in keys}, timeout=None)


def taken_down_since(dependencies, rendered):
    """Whether any of these versions was taken down after `rendered` (a
    timestamp), or the cache cannot tell: one round trip that must answer."""
    tombstones = strict(cache).get_many([tombstone_key(key) for key in dependencies])
    return any(moment >= rendered for moment in tombstones.values())


def _fresh_version():
    return secrets.token_hex(8)


def versions_before_rendering(keys, fetched):
    """The current version of each key, as read before the content is rendered
    (a purge committed after this read makes the entry stale at once). A key
    the cache does not hold gets a fresh version; if another process adds
    one first, theirs is read back."""
    versions = {key: fetched[key] for key in keys if key in fetched}
    for key in [key for key in keys if key not in versions]:
        candidate = _fresh_version()
        current = candidate if cache.add(key, candidate, timeout=None) else cache.get(key)
        if current is not None:  # else gone again at once: nothing is stored under it
            versions[key] = current
    return versions
