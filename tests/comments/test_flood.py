"""The rate limits on posting (comments/flood.py): the flood limit on accepted
responses and the spam allowance, with the local-memory cache, and their own
store that no cull of the page cache reaches."""

import datetime
import runpy
from pathlib import Path

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.utils import timezone

import newsroom.settings as settings_module
from comments.flood import FloodLimit, SpamAllowance
from comments.models import Comment
from tests.comments.conftest import post_data, post_url
from tests.factories import ArticleFactory

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


# --- IPv6: one client is its /64 (COMMENTS_IPV6_PREFIX) ---


def test_an_ipv6_client_cannot_step_around_the_limit_by_changing_its_low_bits(limit):
    limit.record(ip_address="2001:db8:5:7::1", email=EMAIL)
    assert limit.check(ip_address="2001:db8:5:7:abcd::99", email="bo@example.org") == 15


def test_another_ipv6_network_is_not_limited(limit):
    limit.record(ip_address="2001:db8:5:7::1", email=EMAIL)
    assert limit.check(ip_address="2001:db8:5:8::1", email="bo@example.org") == 0


def test_the_ipv6_prefix_is_a_setting(limit, settings):
    settings.COMMENTS_IPV6_PREFIX = 48
    limit.record(ip_address="2001:db8:5:7::1", email=EMAIL)
    assert limit.check(ip_address="2001:db8:5:ffff::1", email="bo@example.org") == 15


# --- The rate limits' own store (issue 15 §1) ---


def production_caches(monkeypatch, **env):
    """settings.CACHES as newsroom/settings.py builds it from this environment."""
    for name in ("CACHE_BACKEND", "RATELIMIT_BACKEND", "CACHE_KEY_PREFIX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"DEBUG": "0", "REDIS_URL": "", **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings_module.__file__)))["CACHES"]


def test_without_redis_the_rate_limits_have_a_database_table_of_their_own(monkeypatch):
    caches = production_caches(monkeypatch, CACHE_BACKEND="database")
    assert caches["ratelimit"]["BACKEND"] == "core.dbcache.CounterDatabaseCache"
    assert caches["ratelimit"]["LOCATION"] != caches["default"]["LOCATION"]


def test_with_redis_the_rate_limits_have_a_key_prefix_of_their_own(monkeypatch):
    caches = production_caches(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/1")
    assert caches["ratelimit"]["BACKEND"] == "core.cache.FailSoftRedisCache"
    assert caches["ratelimit"]["KEY_PREFIX"] == "newsroom:ratelimit"
    assert caches["default"]["KEY_PREFIX"] == "newsroom"


@pytest.mark.django_db
def test_a_crawl_that_culls_the_cache_keeps_the_flood_limit(
    client, settings, monkeypatch, caches_on
):
    # Production without Redis (what `make serve` runs): the database cache
    # for pages, and the rate limits as settings.py gives them. A page cache of
    # 20 entries: a crawl of 30 stories fills it and makes it cull, as about
    # 800 stories did with the real MAX_ENTRIES. The flood keys used to sort
    # before every page's ("newsroom:1:comments:flood:…"), so the cull took them.
    configured = production_caches(monkeypatch, CACHE_BACKEND="database")
    configured["default"]["OPTIONS"] = {"MAX_ENTRIES": 20}
    settings.CACHES = configured
    call_command("createcachetable", verbosity=0)  # as bin/serve and deploy/ run it
    flood = FloodLimit.from_settings()
    flood.record(ip_address=IP, email=EMAIL)
    first = ArticleFactory(headline="The first story crawled")
    client.get(first.get_absolute_url())
    assert table_rows("newsroom_cache") > 0  # the page cache is in use

    for story in ArticleFactory.create_batch(30):
        assert client.get(story.get_absolute_url()).status_code == 200

    assert table_rows("newsroom_cache") <= 20 + 20 // 3  # it culled
    assert flood.check(ip_address=IP, email="someone.else@example.org") == 15
    assert flood.check(ip_address="198.51.100.1", email=EMAIL) == 15


def table_rows(table):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


# --- The spam allowance (issue 15 §2) ---


@pytest.fixture
def allowance():
    return SpamAllowance(per_minute=3)


def test_spam_within_the_allowance_is_let_through(allowance):
    assert [allowance.take(ip_address=IP) for _ in range(3)] == [True, True, True]


def test_spam_past_the_allowance_is_refused(allowance):
    for _ in range(3):
        allowance.take(ip_address=IP)
    assert allowance.take(ip_address=IP) is False


def test_the_spam_allowance_comes_back_after_a_minute(allowance):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            allowance.take(ip_address=IP)
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert allowance.take(ip_address=IP) is True


def test_each_client_has_its_own_spam_allowance(allowance):
    for _ in range(4):
        allowance.take(ip_address=IP)
    assert allowance.take(ip_address="198.51.100.1") is True


def test_an_ipv6_spammer_is_counted_by_its_64(allowance):
    for host in range(1, 4):
        allowance.take(ip_address=f"2001:db8:5:7::{host}")
    assert allowance.take(ip_address="2001:db8:5:7:ffff:ffff:ffff:ffff") is False


def test_zero_turns_the_spam_allowance_off():
    off = SpamAllowance(per_minute=0)
    assert all(off.take(ip_address=IP) for _ in range(50))


def test_a_spam_allowance_on_a_cache_that_is_down_fails_open():
    from core.cache import FailSoftRedisCache

    dead = FailSoftRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    allowance = SpamAllowance(per_minute=1, cache=dead)
    assert all(allowance.take(ip_address=IP) for _ in range(3))


@pytest.mark.django_db
def test_a_bot_past_its_spam_allowance_stores_nothing(client, article, settings):
    settings.COMMENTS_SPAM_PER_MINUTE = 10
    answers = [
        client.post(post_url(article), post_data(article, body=f"Buy {n}", honeypot="bot"))
        for n in range(25)
    ]
    assert [a.status_code for a in answers] == [303] * 10 + [429] * 15
    assert Comment.objects.filter(status="spam").count() == 10


@pytest.mark.django_db
def test_a_refused_spam_post_gets_the_flood_limits_answer_with_the_text_kept(
    client, article, settings
):
    settings.COMMENTS_SPAM_PER_MINUTE = 1
    client.post(post_url(article), post_data(article, body="Buy one", honeypot="bot"))
    refused = client.post(post_url(article), post_data(article, body="Buy two", honeypot="bot"))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You are posting responses too quickly" in page
    assert "Buy two" in page


@pytest.mark.django_db
def test_every_kind_of_spam_counts_against_the_allowance(client, article, settings):
    settings.COMMENTS_SPAM_PER_MINUTE = 3
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]
    for fields in (
        {"honeypot": "bot"},
        {"shown_seconds_ago": 0},  # too fast
        {"shown_seconds_ago": 2 * 24 * 3600},  # a stale form
    ):
        client.post(post_url(article), post_data(article, body=str(fields), **fields))
    refused = client.post(post_url(article), post_data(article, body="Best casino"))
    assert refused.status_code == 429
    assert Comment.objects.count() == 3


@pytest.mark.django_db
def test_spam_from_an_ipv6_network_shares_one_allowance(client, article, settings):
    settings.COMMENTS_SPAM_PER_MINUTE = 2
    for host in (1, 2, 3):
        last = client.post(
            post_url(article),
            post_data(article, body=f"Buy {host}", honeypot="bot"),
            REMOTE_ADDR=f"2001:db8:5:7::{host}",
        )
    assert last.status_code == 429
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_spammer_does_not_use_up_a_readers_allowance_elsewhere(client, article, settings):
    settings.COMMENTS_SPAM_PER_MINUTE = 1
    for n in range(3):
        client.post(post_url(article), post_data(article, body=f"Buy {n}", honeypot="bot"))
    reader = client.post(post_url(article), post_data(article), REMOTE_ADDR="198.51.100.9")
    assert reader.status_code == 303
