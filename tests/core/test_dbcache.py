"""core/dbcache.py: the database cache that holds the rate limits' counts
without Redis. Its `incr` keeps a count's expiry (Django's resets it to the
cache's TIMEOUT) and counts every one of two increments made at once."""

import datetime
import threading

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

COUNTERS = {
    "BACKEND": "core.dbcache.CounterDatabaseCache",
    "LOCATION": "test_counters",
    "TIMEOUT": 300,
}


@pytest.fixture
def counters(settings):
    settings.CACHES = {**settings.CACHES, "counters": COUNTERS}
    call_command("createcachetable", "test_counters", verbosity=0)
    return caches["counters"]


@pytest.mark.django_db
def test_incr_counts(counters):
    counters.add("n", 1, 60)
    assert counters.incr("n") == 2
    assert counters.incr("n", 3) == 5
    assert counters.get("n") == 5


@pytest.mark.django_db
def test_incr_keeps_the_counts_expiry(counters):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        counters.add("n", 1, 60)
        counters.incr("n")  # Django's own incr would make it live 300 s from here
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert counters.get("n") is None


@pytest.mark.django_db
def test_incr_of_a_missing_key_raises_value_error(counters):
    with pytest.raises(ValueError, match="not found"):
        counters.incr("missing")


@pytest.mark.django_db
def test_incr_of_an_expired_key_raises_value_error(counters):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        counters.add("n", 1, 60)
    with (
        time_machine.travel(start + datetime.timedelta(seconds=61), tick=False),
        pytest.raises(ValueError),
    ):
        counters.incr("n")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_increments_at_once_both_count(counters):
    counters.add("n", 0, 60)
    start = threading.Barrier(2)
    errors = []

    def add_one():
        try:
            start.wait()
            for _ in range(20):
                caches["counters"].incr("n")
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counters.get("n") == 40
