"""Purges: the apps say what changed, after it is committed, and every server
process stops serving the pages that showed it (versions.py says how).

A purge must not be lost (issue 15 §4). It is written with
`core.cache.strict`: tried even while this process is backing off from a
Redis that failed a moment ago, a few times. If Redis still does not answer,
the purge is queued as a task and made as soon as it does (tasks.py). If it
cannot even be queued, it is lost: logged, and whoever made the change is
told (`purge_report`: the admin says "the site may show the old version for
up to 10 minutes", PAGE_CACHE_TTL, how long a copy cached before the change
may live).

A takedown (`takedown=True`: a story unpublished or deleted, a response
rejected, names erased) also writes tombstones, so that no copy rendered
before it is served again, not even while the database is away (versions.py).
"""

import contextlib
import contextvars
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import ngettext

from core.cache import CacheUnavailable

from .tasks import queue_purge
from .versions import LISTINGS, SITE, article_version, write_purge

logger = logging.getLogger(__name__)


def purge_articles(article_ids, *, takedown=False, listed=True):
    """These stories changed (text, state, responses): their pages and every list.

    `takedown`: what their pages showed must never be shown again (tombstones
    for their pages, and for every list unless `listed` is False: a response
    taken down was never on a list, only counted there)."""
    stories = [article_version(pk) for pk in article_ids]
    taken_down = [*stories, LISTINGS] if listed else stories
    _purge([LISTINGS, *stories], taken_down if takedown else ())


def purge_site():
    """A section, author or tag changed: every page may show it."""
    _purge([SITE])


def purge_articles_on_commit(article_ids, *, takedown=False, listed=True):
    """`purge_articles` once the current transaction commits: a reader between
    the save and the commit would otherwise cache the old page again under
    the new version. A failing purge is logged, never raised into the save."""
    article_ids = sorted(set(article_ids))
    if not article_ids:
        return

    # A named function, not a partial: Django logs a robust callback's failure
    # by its __qualname__, which a partial lacks (the log line itself raised).
    def purge_story_pages():
        purge_articles(article_ids, takedown=takedown, listed=listed)

    transaction.on_commit(purge_story_pages, robust=True)


def purge_site_on_commit():
    transaction.on_commit(purge_site, robust=True)


def _purge(keys, taken_down=()):
    try:
        write_purge(keys, taken_down)
        return
    except CacheUnavailable as error:
        failure = error
    if queue_purge(keys, taken_down, asked_at=time.time()):
        logger.warning("Purge of %s queued: the cache did not answer (%s)", keys, failure)
        _note("queued")
    else:
        logger.error(
            "Purge of %s lost: the cache did not answer (%s) and it could not be queued; "
            "pages cached before the change may be served for up to %d s",
            keys,
            failure,
            settings.PAGE_CACHE_TTL,
        )
        _note("lost")


# --- Telling whoever made the change -----------------------------------------------------


@dataclass
class PurgeReport:
    """What became of the purges made while it was open (`purge_report`)."""

    queued: int = 0
    lost: int = 0

    @property
    def warning(self):
        """What to tell the editor, or "" when every purge was made."""
        if not (self.queued or self.lost):
            return ""
        bound = _duration(settings.PAGE_CACHE_TTL)
        if self.lost:
            return (
                "The cache did not answer, so the cached copies of these pages were not "
                f"purged: the site may show the old version for up to {bound}."
            )
        return (
            "The cache did not answer: the cached copies of these pages will be purged as "
            f"soon as it does. Until then the site may show the old version for up to {bound}."
        )


_reports = contextvars.ContextVar("purge_reports", default=None)


@contextlib.contextmanager
def purge_report():
    """Collect what became of the purges made inside the block (after their
    commit: wrap the whole of what commits, e.g. an admin view)."""
    report = PurgeReport()
    token = _reports.set(report)
    try:
        yield report
    finally:
        _reports.reset(token)


def _note(outcome):
    report = _reports.get()
    if report is not None:
        setattr(report, outcome, getattr(report, outcome) + 1)


def _duration(seconds):
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%d minute", "%d minutes", minutes) % minutes
    return ngettext("%d second", "%d seconds", seconds) % seconds
