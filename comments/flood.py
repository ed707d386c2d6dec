"""The rate limits on posting: how many responses one client (an IP address,
an IPv6 client by its /64) or one email may have accepted (the flood limit),
and how many posts caught as spam one client may send (the spam allowance).

Both keep their counts in a cache of their own, `caches["ratelimit"]`
(settings.py): Redis under a key prefix of its own when REDIS_URL is set, so
every server process shares the counts; otherwise a database table of its
own. Never in the page cache's store: the database cache drops a third of its
keys in key order when it fills up, and a crawl that filled it with pages
erased every count with them (issue 15 §1).

The flood limit: two counters per identity, a cool-down key that lives
`interval` seconds after each accepted response ("one per 15 s"), and an hourly
counter ("30 an hour", a window that starts with the first response of the
hour). `check()` only reads. A post being saved first `claim()`s the
cool-down: an atomic `add`, so of two posts racing on two servers only one
gets it (a check then a later set would let both through); `release()` hands
it back when the post is not saved or is spam, and `record()` counts the saved
one, so refused posts and spam never use up a reader's allowance.

The spam allowance: spam is saved, for moderators to look through, and
releases the flood limit's cool-down; without a limit of its own one client
could store spam rows as fast as it could post (issue 15 §2). `SpamAllowance`
counts a client's posts caught as spam in a one-minute window; past
COMMENTS_SPAM_PER_MINUTE they are refused and not stored.

Every limit counts an IP address as `core.client.client_network` says: an
IPv6 client by its /64 (COMMENTS_IPV6_PREFIX), which it can change the low
bits of at will.

Why not django-ratelimit: its fixed windows let two posts through a second
apart at a window's edge, it fails closed on a Redis connection error, and its
system check refuses the local-memory cache the development server uses.

A cache that is down never stops a reader: the limits fail open (logged).
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from core.client import client_network

from .emails import normalise_email

logger = logging.getLogger(__name__)

HOUR = 60 * 60
MINUTE = 60
RATELIMIT_CACHE = "ratelimit"


def _identity(kind, value):
    # Hashed: the cache holds no address in clear.
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class FloodLimit:
    interval: int
    per_hour: int
    cache_alias: str = RATELIMIT_CACHE
    cache: object = None

    @classmethod
    def from_settings(cls):
        return cls(
            interval=settings.COMMENTS_FLOOD_INTERVAL_SECONDS,
            per_hour=settings.COMMENTS_FLOOD_PER_HOUR,
        )

    def _cache(self):
        return self.cache if self.cache is not None else caches[self.cache_alias]

    @staticmethod
    def _identities(ip_address, email):
        for kind, value in (
            ("ip", client_network(ip_address)),
            ("email", normalise_email(email or "")),
        ):
            if value:
                yield _identity(kind, value)

    @staticmethod
    def _keys(identity):
        return f"comments:flood:recent:{identity}", f"comments:flood:hour:{identity}"

    def check(self, *, ip_address, email):
        """Seconds the reader should wait before posting again, or 0 if they may post now."""
        try:
            cache = self._cache()
            for identity in self._identities(ip_address, email):
                recent_key, hour_key = self._keys(identity)
                found = cache.get_many([recent_key, hour_key])
                if self.interval and recent_key in found:
                    return self.interval
                if self.per_hour and found.get(hour_key, 0) >= self.per_hour:
                    return HOUR
        except Exception:
            logger.exception("Comment flood limit skipped: the cache did not answer")
        return 0

    def claim(self, *, ip_address, email):
        """Like `check()`, but on 0 the cool-down is this post's: any other post
        from the same address or email waits, on every server, until `release()`
        or the interval ends. Fails open, as `check()` does."""
        wait = self.check(ip_address=ip_address, email=email)
        if wait or not self.interval:
            return wait
        claimed = []
        try:
            cache = self._cache()
            for identity in self._identities(ip_address, email):
                recent_key, _ = self._keys(identity)
                # A False add is "already held", or a cache that is down (the
                # fail-soft backend, core/cache.py): only the first waits.
                if not cache.add(recent_key, 1, self.interval) and cache.get(recent_key):
                    cache.delete_many(claimed)  # another post got there first
                    return self.interval
                claimed.append(recent_key)
        except Exception:
            logger.exception("Comment flood limit skipped: the cache did not answer")
        return 0

    def release(self, *, ip_address, email):
        """Hand back a claimed cool-down: the post was not saved, or is spam."""
        try:
            self._cache().delete_many(
                [self._keys(identity)[0] for identity in self._identities(ip_address, email)]
            )
        except Exception:
            logger.exception("Comment flood limit not released: the cache did not answer")

    def record(self, *, ip_address, email):
        """Count one accepted response for this IP address and this email."""
        try:
            cache = self._cache()
            for identity in self._identities(ip_address, email):
                recent_key, hour_key = self._keys(identity)
                if self.interval:
                    cache.set(recent_key, 1, self.interval)
                if self.per_hour and not cache.add(hour_key, 1, HOUR):
                    try:
                        cache.incr(hour_key)
                    except ValueError:  # expired between add and incr
                        cache.add(hour_key, 1, HOUR)
        except Exception:
            logger.exception("Comment flood limit not counted: the cache did not answer")


@dataclass(frozen=True)
class SpamAllowance:
    """How many posts caught as spam one client may send a minute (the window
    starts with the first); past it, `take()` says no and the post is refused,
    not stored. 0 turns the allowance off (no limit)."""

    per_minute: int
    cache_alias: str = RATELIMIT_CACHE
    cache: object = None

    @classmethod
    def from_settings(cls):
        return cls(per_minute=settings.COMMENTS_SPAM_PER_MINUTE)

    def _cache(self):
        return self.cache if self.cache is not None else caches[self.cache_alias]

    def take(self, *, ip_address):
        """Count one more spam post from this client: False once past the allowance.

        An unknown address is not limited here (the flood limit's email
        identity still is); a cache that is down lets the post through (logged)."""
        network = client_network(ip_address)
        if not self.per_minute or not network:
            return True
        key = f"comments:spam:{_identity('ip', network)}"
        try:
            cache = self._cache()
            if cache.add(key, 1, MINUTE):
                return True
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr: a new window
                cache.add(key, 1, MINUTE)
                return True
            # None: a fail-soft cache that stopped answering (core/cache.py).
            return count is None or count <= self.per_minute
        except Exception:
            logger.exception("Comment spam allowance skipped: the cache did not answer")
            return True
