"""Versions and purges: how an entry knows it is out of date.

Every entry records the versions of what it shows, read *before* it was
rendered:

- `site`: everything (sections, authors, tags: the navigation and bylines are
  on every page);
- `listings`: every list of stories (home, sections, tags, authors, feeds,
  sitemap);
- `article:<id>`: one story's page (its text, its responses).

A purge gives a version a new random value, after the change is committed
(`purge_articles_on_commit`, `purge_site_on_commit`). A version that the
cache has lost (evicted) matches nothing, so every entry built under it is
stale: never wrong, only colder. Random values rather than counters: two
purges racing on any cache backend still leave a value no reader has
rendered under.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

SITE = "pagecache:v:site"
LISTINGS = "pagecache:v:listings"


def article_version(article_id):
    return f"pagecache:v:article:{article_id}"


def purge_articles(article_ids):
    """These stories changed (text, state, responses): their pages and every list."""
    _new_versions([LISTINGS, *(article_version(pk) for pk in article_ids)])


def purge_site():
    """A section, author or tag changed: every page may show it."""
    _new_versions([SITE])


def purge_articles_on_commit(article_ids):
    """`purge_articles` once the current transaction commits: a reader between
    the save and the commit would otherwise cache the old page again under
    the new version. A failing purge is logged, never raised into the save."""
    article_ids = sorted(set(article_ids))
    if not article_ids:
        return

    # A named function, not a partial: Django logs a robust callback's failure
    # by its __qualname__, which a partial lacks (the log line itself raised).
    def purge_story_pages():
        purge_articles(article_ids)

    transaction.on_commit(purge_story_pages, robust=True)


def purge_site_on_commit():
    transaction.on_commit(purge_site, robust=True)


def _new_versions(keys):
    cache.set_many({key: _fresh_version() for key in keys}, timeout=None)


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
