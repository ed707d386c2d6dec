"""A purge is never silently lost (issue 15 §4): after Redis failed a moment
ago (the fail-soft back-off), a purge still tries it, a few times; if Redis is
still away the purge is queued as a task and made when it answers; and if it
cannot even be queued, the editor is told how long the site may show the old
version. The cache is a real FailSoftRedisCache in front of a port that
refuses or forwards to the test Redis (conftest.py's RedisProxy)."""

import datetime
import logging

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import pagecache
from articles.models import Article
from comments.models import Comment
from core.cache import STRICT_ATTEMPTS
from pagecache.versions import LISTINGS, article_version
from tests.factories import ArticleFactory, CommentFactory, UserFactory

START = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def run_worker():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


def backed_off(cache):
    """Make the cache fail once: the process now skips Redis for a while."""
    cache.get("anything")
    assert cache._down_until > 0


# --- Tried even inside the back-off, a few times -----------------------------------------


@pytest.mark.django_db
def test_an_ordinary_call_inside_the_back_off_window_skips_redis(redis_proxy):
    redis_proxy.down = True
    backed_off(redis_proxy.cache)
    asked = redis_proxy.connections
    redis_proxy.cache.get("anything")
    assert redis_proxy.connections == asked


@pytest.mark.django_db
def test_a_purge_inside_the_back_off_window_still_tries_redis_a_few_times(redis_proxy):
    redis_proxy.down = True
    backed_off(redis_proxy.cache)
    asked = redis_proxy.connections
    pagecache.purge_articles([7])
    assert redis_proxy.connections - asked == STRICT_ATTEMPTS


@pytest.mark.redis
@pytest.mark.django_db
def test_a_purge_after_a_timeout_reaches_redis_once_it_answers(redis_proxy, needs_redis):
    redis_proxy.down = True
    backed_off(redis_proxy.cache)
    redis_proxy.down = False  # Redis is back, inside this process's back-off window
    pagecache.purge_articles([7])
    assert redis_proxy.direct.get(article_version(7)) is not None
    assert redis_proxy.direct.get(LISTINGS) is not None


@pytest.mark.redis
@pytest.mark.django_db
def test_a_purge_is_retried_when_redis_fails_once(redis_proxy, needs_redis):
    redis_proxy.drop_next = 1
    pagecache.purge_articles([7])
    assert redis_proxy.direct.get(article_version(7)) is not None


@pytest.mark.redis
@pytest.mark.django_db
def test_a_purge_that_reaches_redis_ends_the_back_off(redis_proxy, needs_redis):
    redis_proxy.down = True
    backed_off(redis_proxy.cache)
    redis_proxy.down = False
    pagecache.purge_articles([7])
    redis_proxy.cache.set("page", "kept")
    assert redis_proxy.direct.get("page") == "kept"


@pytest.mark.redis
@pytest.mark.django_db
def test_a_takedown_that_reaches_redis_writes_its_tombstones(redis_proxy, needs_redis):
    redis_proxy.drop_next = 1
    pagecache.purge_articles([7], takedown=True)
    assert redis_proxy.direct.get("pagecache:tomb:article:7") is not None
    assert redis_proxy.direct.get("pagecache:tomb:listings") is not None


# --- Queued, and made when Redis answers -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_purge_redis_does_not_take_is_queued(redis_proxy, database_tasks, clock):
    redis_proxy.down = True
    pagecache.purge_articles([7])
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"][0] == [LISTINGS, article_version(7)]
    assert queued.run_after == START + datetime.timedelta(seconds=5)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_queued_purge_is_made_when_redis_answers(redis_proxy, needs_redis, database_tasks, clock):
    redis_proxy.down = True
    pagecache.purge_articles([7], takedown=True)
    redis_proxy.down = False
    clock.shift(datetime.timedelta(seconds=5))
    run_worker()
    assert redis_proxy.direct.get(article_version(7)) is not None
    assert redis_proxy.direct.get("pagecache:tomb:article:7") is not None


@pytest.mark.django_db(transaction=True)
def test_a_queued_purge_tries_again_while_redis_is_away(redis_proxy, database_tasks, clock):
    redis_proxy.down = True
    pagecache.purge_articles([7])
    clock.shift(datetime.timedelta(seconds=5))
    run_worker()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).get()
    assert waiting.args_kwargs["kwargs"]["attempt"] == 2
    assert waiting.run_after == START + datetime.timedelta(seconds=5 + 15)


@pytest.mark.django_db(transaction=True)
def test_a_queued_purge_stops_once_every_old_copy_has_expired(
    redis_proxy, database_tasks, clock, settings, caplog
):
    redis_proxy.down = True
    pagecache.purge_articles([7])
    clock.shift(datetime.timedelta(seconds=settings.PAGE_CACHE_TTL + 60))
    with caplog.at_level(logging.WARNING, logger="pagecache.tasks"):
        run_worker()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert "no longer needed" in caplog.text


# --- Lost: the editor is told -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_purge_that_cannot_be_queued_is_reported_with_how_long_the_old_page_may_show(
    redis_proxy,
):
    # The immediate task backend (the default here) cannot run a task later.
    redis_proxy.down = True
    with pagecache.purge_report() as report:
        pagecache.purge_articles([7])
    assert report.lost == 1
    assert "the site may show the old version for up to 10 minutes" in report.warning


@pytest.mark.django_db
def test_a_lost_purge_is_logged_as_an_error(redis_proxy, caplog):
    redis_proxy.down = True
    with caplog.at_level(logging.ERROR, logger="pagecache.purges"):
        pagecache.purge_articles([7])
    assert "Purge of" in caplog.text and "lost" in caplog.text


@pytest.mark.django_db
def test_a_purge_redis_takes_reports_nothing(settings):
    with pagecache.purge_report() as report:
        pagecache.purge_articles([7])
    assert report.warning == ""


@pytest.fixture
def moderator(db):
    # A superuser: a test that commits (transaction=True) starts from tables
    # emptied of the groups' permissions the migrations made.
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.mark.django_db(transaction=True)
def test_a_moderator_is_told_when_a_rejection_could_not_be_purged(client, redis_proxy, moderator):
    comment = CommentFactory(status=Comment.Status.APPROVED)
    client.force_login(moderator)
    redis_proxy.down = True
    response = client.post(
        reverse("admin:comments_comment_changelist") + "?status=all",
        {"action": "reject", "_selected_action": [comment.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 comment rejected." in page
    assert "the site may show the old version for up to 10 minutes" in page


@pytest.mark.django_db(transaction=True)
def test_a_moderator_is_told_when_a_rejection_is_queued(
    client, redis_proxy, moderator, database_tasks
):
    comment = CommentFactory(status=Comment.Status.APPROVED)
    client.force_login(moderator)
    redis_proxy.down = True
    response = client.post(
        reverse("admin:comments_comment_changelist") + "?status=all",
        {"action": "reject", "_selected_action": [comment.pk]},
        follow=True,
    )
    assert "will be purged as soon as it does" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_editor_is_told_when_an_unpublish_could_not_be_purged(client, redis_proxy):
    story = ArticleFactory()
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    redis_proxy.down = True
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [story.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert Article.objects.get().status == Article.Status.DRAFT
    assert "1 story unpublished" in page
    assert "the site may show the old version for up to 10 minutes" in page


@pytest.mark.django_db(transaction=True)
def test_a_moderator_who_deletes_a_response_is_told_too(client, redis_proxy, moderator):
    comment = CommentFactory(status=Comment.Status.APPROVED)
    client.force_login(moderator)
    redis_proxy.down = True
    response = client.post(
        reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"}, follow=True
    )
    assert not Comment.objects.exists()
    assert "the site may show the old version for up to 10 minutes" in response.content.decode()
