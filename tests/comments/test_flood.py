"""The flood limit on accepted responses (comments/flood.py), with the local-memory cache."""

import datetime

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from comments.flood import FloodLimit
from comments.models import Comment
from tests.comments.conftest import post_data, post_url

IP, EMAIL = "203.0.113.5", "ada@example.org"


@pytest.fixture
def limit():
    return FloodLimit(interval=15, per_hour=30)


def test_nothing_recorded_means_no_wait(limit):
    assert limit.check(ip_address=IP, email=EMAIL) == 0


def test_checking_does_not_count(limit):
    for _ in range(5):
        limit.check(ip_address=IP, email=EMAIL)
    assert limit.check(ip_address=IP, email=EMAIL) == 0


def test_one_per_interval_from_the_same_ip(limit):
    limit.record(ip_address=IP, email=EMAIL)
    assert limit.check(ip_address=IP, email="someone.else@example.org") == 15


def test_one_per_interval_from_the_same_email_whatever_the_case(limit):
    limit.record(ip_address=IP, email=EMAIL)
    assert limit.check(ip_address="198.51.100.1", email="ADA@example.org") == 15


def test_another_person_is_not_limited(limit):
    limit.record(ip_address=IP, email=EMAIL)
    assert limit.check(ip_address="198.51.100.1", email="bo@example.org") == 0


def test_interval_passes(limit):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        limit.record(ip_address=IP, email=EMAIL)
    with time_machine.travel(start + datetime.timedelta(seconds=16), tick=False):
        assert limit.check(ip_address=IP, email=EMAIL) == 0


def test_thirty_an_hour(limit):
    start = timezone.now()
    for minute in range(30):
        with time_machine.travel(start + datetime.timedelta(minutes=minute), tick=False):
            assert limit.check(ip_address=IP, email=EMAIL) == 0
            limit.record(ip_address=IP, email=EMAIL)
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert limit.check(ip_address=IP, email=EMAIL) == 3600
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert limit.check(ip_address=IP, email=EMAIL) == 0


def test_zero_turns_a_limit_off():
    off = FloodLimit(interval=0, per_hour=0)
    off.record(ip_address=IP, email=EMAIL)
    assert off.check(ip_address=IP, email=EMAIL) == 0


def test_cache_keys_hold_no_email_in_clear(limit):
    identities = list(limit._identities(IP, EMAIL))
    assert all(EMAIL not in key and IP not in key for key in identities)


def test_a_cache_that_is_down_fails_open(caplog):
    # Nothing listens on port 1: every cache call fails, as with a dead Redis.
    dead = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    limit = FloodLimit(interval=15, per_hour=30, cache=dead)
    limit.record(ip_address=IP, email=EMAIL)
    assert limit.check(ip_address=IP, email=EMAIL) == 0
    assert "flood limit" in caplog.text


@pytest.mark.django_db
def test_spam_does_not_use_up_the_allowance(client, article):
    client.post(post_url(article), post_data(article, honeypot="bot"))
    response = client.post(post_url(article), post_data(article, body="A real response."))
    assert response.status_code == 303
    assert Comment.objects.filter(status="pending").count() == 1


@pytest.mark.django_db
def test_refused_posts_do_not_count(client, article, settings):
    settings.COMMENTS_FLOOD_PER_HOUR = 1
    settings.COMMENTS_FLOOD_INTERVAL_SECONDS = 0
    client.post(post_url(article), post_data(article, body=""))  # invalid: not counted
    response = client.post(post_url(article), post_data(article))
    assert response.status_code == 303
    second = client.post(post_url(article), post_data(article, body="Another."))
    assert second.status_code == 429


def test_a_claimed_cool_down_makes_the_next_post_wait(limit):
    assert limit.claim(ip_address=IP, email=EMAIL) == 0
    assert limit.claim(ip_address=IP, email="someone.else@example.org") == 15


def test_a_released_claim_lets_the_reader_post_again(limit):
    limit.claim(ip_address=IP, email=EMAIL)
    limit.release(ip_address=IP, email=EMAIL)
    assert limit.claim(ip_address=IP, email=EMAIL) == 0


def test_a_refused_claim_holds_nothing_for_the_other_identity(limit):
    limit.claim(ip_address=IP, email=EMAIL)
    limit.claim(ip_address="198.51.100.1", email=EMAIL)  # refused on the email
    assert limit.check(ip_address="198.51.100.1", email="bo@example.org") == 0


def test_claiming_through_a_fail_soft_cache_that_is_down_fails_open():
    from core.cache import FailSoftRedisCache

    dead = FailSoftRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    limit = FloodLimit(interval=15, per_hour=30, cache=dead)
    assert limit.claim(ip_address=IP, email=EMAIL) == 0
    assert limit.claim(ip_address=IP, email=EMAIL) == 0
