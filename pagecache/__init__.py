"""The page cache and the fragment cache, with exact invalidation (issue 5 §2).

An app of its own that imports no other app of ours: the apps mark their
views (`cached_page`), say what a page shows while it renders
(`page_shows_article`, `page_expires_at`, `page_is_a_copy`), purge after
their changes commit (`purge_articles_on_commit`, `purge_site_on_commit`;
`takedown=True` when what was shown must never come back, not even during a
database outage), and hand it what it cannot know from their `AppConfig.ready()` (`register`:
personal cookies, keys every story page reads, the next scheduled
publication).

- pages.py: whole pages for anonymous readers, their headers, `cached_page`;
- middleware.py: `PageCacheMiddleware`, which answers them early in the stack;
- fragments.py: parts of a story's page, and its row, for readers who bypass
  the page cache;
- versions.py: the versions every entry records, and the tombstones;
- purges.py: the purges, never lost (`purge_report` says when one was);
- tasks.py: a purge the cache did not take, made when it answers;
- admin.py: `PurgeWarningsMixin`, the admin's warning when a purge was lost;
- hints.py: what this process has learned (bounded, hints only);
- registry.py: what the apps registered;
- templatetags/pagecache.py: `{% storypart %}`.

PAGE_CACHE=0 and FRAGMENT_CACHE=0 turn either off (benchmarks measure the
cold render so). docs/ARCHITECTURE.md ("Caching") tells the whole design and why.
"""

from .fragments import (
    cached_fragment,
    cached_story,
    cached_value,
    fetched_ahead_for,
    page_shows_article,
)
from .hints import hints
from .pages import (
    cached_page,
    forget_next_scheduled,
    is_personal,
    page_expires_at,
    page_is_a_copy,
)
from .purges import (
    purge_articles,
    purge_articles_on_commit,
    purge_report,
    purge_site,
    purge_site_on_commit,
)
from .registry import personal_cookies, register
from .versions import LISTINGS, SITE, article_version

__all__ = [
    "LISTINGS",
    "SITE",
    "article_version",
    "cached_fragment",
    "cached_page",
    "cached_story",
    "cached_value",
    "fetched_ahead_for",
    "forget_next_scheduled",
    "hints",
    "is_personal",
    "page_expires_at",
    "page_is_a_copy",
    "page_shows_article",
    "personal_cookies",
    "purge_articles",
    "purge_articles_on_commit",
    "purge_report",
    "purge_site",
    "purge_site_on_commit",
    "register",
]
