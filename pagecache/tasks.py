"""A purge the cache did not take, made later (issue 15 §4).

A purge runs after the commit (purges.py). When Redis does not answer it, even
after a few tries, the purge is queued here and made as soon as Redis
answers again: `replay_purge` tries, and on a failure enqueues itself again
after the next of REPLAY_DELAYS (the last repeats). It stops once
PAGE_CACHE_TTL has passed since the change: every copy rendered before it
has expired by then, so the purge has nothing left to do.

Replaying is always safe, however late: a new version is only colder pages,
and a tombstone written now says a later time than the takedown's, so it
refuses every copy the takedown's own would have (and a few harmless more).

Queuing needs a backend that can run a task later (`supports_defer`: the
database one, with `manage.py db_worker`). With the immediate backend
(development, tests) the purge is lost, logged, and the editor is told
(purges.py's report).
"""

import datetime
import logging
import time

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core.cache import CacheUnavailable

from .versions import TOMBSTONE_MARGIN, write_purge

logger = logging.getLogger(__name__)

# Seconds before each new try; the last repeats until the purge is moot.
REPLAY_DELAYS = (5, 15, 30, 60)


@task()
def replay_purge(keys, taken_down, *, asked_at, attempt=1):
    """Make a purge that the cache did not take at `asked_at` (a timestamp)."""
    try:
        write_purge(keys, taken_down)
    except CacheUnavailable as error:
        if is_moot(asked_at):
            logger.warning(
                "Purge of %s no longer needed: every copy cached before it has expired", keys
            )
        elif not queue_purge(keys, taken_down, asked_at=asked_at, attempt=attempt + 1):
            logger.error("Purge of %s given up on: the cache does not answer (%s)", keys, error)
        return False
    late = time.time() - asked_at
    logger.warning("Purge of %s made %d s late, at attempt %d", keys, late, attempt)
    return True


def queue_purge(keys, taken_down, *, asked_at, attempt=1):
    """Queue attempt `attempt` of this purge; False when it cannot be queued
    (a backend that cannot run it later, a queue that fails) or is moot."""
    if is_moot(asked_at) or not replay_purge.get_backend().supports_defer:
        return False
    delay = REPLAY_DELAYS[min(attempt, len(REPLAY_DELAYS)) - 1]
    try:
        replay_purge.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            list(keys), list(taken_down), asked_at=asked_at, attempt=attempt
        )
    except Exception:
        logger.exception("Purge of %s could not be queued", keys)
        return False
    return True


def is_moot(asked_at):
    """Whether every copy a purge asked at `asked_at` was for has expired."""
    return time.time() > asked_at + settings.PAGE_CACHE_TTL + TOMBSTONE_MARGIN
