"""articles/publishing.py: the verbs that move a story between states."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article
from articles.publishing import publish_article, submit_for_review, unpublish_article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _draft(**kwargs):
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, **kwargs)


def test_publishing_a_draft_makes_it_live_now(editor):
    article = _draft()

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == NOW
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publishing_a_story_in_review_makes_it_live(editor):
    article = ArticleFactory(status=Article.Status.REVIEW, published_at=None)

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.state == "Live"


def test_publishing_a_draft_with_a_future_time_schedules_it(editor):
    later = NOW + datetime.timedelta(days=2)
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=later)

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.published_at == later
    assert article.state == "Scheduled"
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_scheduled_story_goes_live_when_its_time_comes(editor):
    article = _draft()
    publish_article(article, by=editor, at=NOW + datetime.timedelta(hours=1))

    with time_machine.travel(NOW + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()


def test_a_draft_with_a_past_time_is_published_now(editor):
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=NOW - datetime.timedelta(days=3)
    )

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.published_at == NOW


def test_publishing_at_a_given_time_schedules_it(editor):
    article = _draft()
    when = NOW + datetime.timedelta(hours=6)

    publish_article(article, by=editor, at=when)

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, when)


def test_publishing_a_live_story_again_leaves_its_time_alone(editor):
    earlier = NOW - datetime.timedelta(days=1)
    article = ArticleFactory(published_at=earlier)

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.published_at == earlier


def test_a_writer_cannot_publish(writer):
    article = _draft()

    with pytest.raises(PermissionDenied):
        publish_article(article, by=writer)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_writer_cannot_schedule(writer):
    article = _draft()

    with pytest.raises(PermissionDenied):
        publish_article(article, by=writer, at=NOW + datetime.timedelta(days=1))

    article.refresh_from_db()
    assert article.published_at is None


def test_publishing_refuses_a_slug_already_used_that_day(editor):
    ArticleFactory(slug="budget-vote", published_at=NOW - datetime.timedelta(hours=2))
    article = _draft(slug="budget-vote")

    with pytest.raises(ValidationError, match="already uses the slug"):
        publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_publishing_saves_only_the_publishing_fields(editor):
    article = _draft(headline="Original headline")
    Article.objects.filter(pk=article.pk).update(headline="Edited meanwhile")

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.headline == "Edited meanwhile"
    assert article.status == Article.Status.PUBLISHED


def test_publishing_moves_updated_at(editor):
    article = _draft()
    Article.objects.filter(pk=article.pk).update(updated_at=NOW - datetime.timedelta(days=1))
    article.refresh_from_db()

    publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.updated_at == NOW


def test_unpublishing_a_live_story_takes_it_down_as_a_draft(editor):
    article = ArticleFactory()

    unpublish_article(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_unpublishing_a_scheduled_story_cancels_it(editor):
    article = ArticleFactory(published_at=NOW + datetime.timedelta(days=1))

    unpublish_article(article, by=editor)

    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()


def test_a_writer_cannot_unpublish(writer):
    article = ArticleFactory()

    with pytest.raises(PermissionDenied):
        unpublish_article(article, by=writer)

    article.refresh_from_db()
    assert article.is_public


def test_a_writer_submits_a_draft_for_review(writer):
    article = _draft()

    submit_for_review(article, by=writer)

    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_a_published_story_cannot_be_submitted_for_review(editor):
    article = ArticleFactory()

    with pytest.raises(ValidationError, match="not a draft"):
        submit_for_review(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_a_user_without_change_permission_cannot_submit_for_review():
    reader = UserFactory()
    article = _draft()

    with pytest.raises(PermissionDenied):
        submit_for_review(article, by=reader)


def test_a_superuser_may_publish():
    boss = UserFactory(is_superuser=True, is_staff=True)
    article = _draft()

    publish_article(article, by=boss)

    assert timezone.now() == article.published_at
