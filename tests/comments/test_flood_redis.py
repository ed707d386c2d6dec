"""The flood limit is shared by every server process through Redis.

Two separate cache clients stand for two server processes (`two_processes`,
tests/conftest.py: a key prefix of the test's own, only its keys deleted, the
shared Redis never flushed). Needs TEST_REDIS_URL (.ci/run sets it).
"""

import pytest

from comments.flood import FloodLimit, SpamAllowance

pytestmark = pytest.mark.redis


def test_a_response_accepted_by_one_process_limits_the_other(two_processes):
    first, second = two_processes
    FloodLimit(interval=15, per_hour=30, cache=first).record(
        ip_address="203.0.113.5", email="ada@example.org"
    )
    other_process = FloodLimit(interval=15, per_hour=30, cache=second)
    assert other_process.check(ip_address="203.0.113.5", email="bo@example.org") == 15
    assert other_process.check(ip_address="198.51.100.1", email="ada@example.org") == 15


def test_the_hourly_count_adds_up_across_processes(two_processes):
    first, second = two_processes
    for cache in (first, second, first):
        FloodLimit(interval=0, per_hour=3, cache=cache).record(
            ip_address="203.0.113.5", email="ada@example.org"
        )
    limit = FloodLimit(interval=0, per_hour=3, cache=second)
    assert limit.check(ip_address="203.0.113.5", email="ada@example.org") == 3600


def test_two_posts_racing_on_two_processes_only_one_gets_the_cool_down(two_processes):
    # Both have passed every other check; neither is saved yet. A check-then-set
    # would let both through.
    first, second = (FloodLimit(interval=15, per_hour=30, cache=cache) for cache in two_processes)
    outcomes = [
        first.claim(ip_address="203.0.113.5", email="ada@example.org"),
        second.claim(ip_address="203.0.113.5", email="ada@example.org"),
    ]
    assert outcomes == [0, 15]


def test_the_spam_allowance_adds_up_across_processes(two_processes):
    first, second = (SpamAllowance(per_minute=3, cache=cache) for cache in two_processes)
    taken = [process.take(ip_address="203.0.113.5") for process in (first, second, first, second)]
    assert taken == [True, True, True, False]
