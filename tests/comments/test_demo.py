"""comments/demo.py: demo responses for load_demo, idempotent."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from comments.demo import load_demo_comments
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_demo_responses_include_a_reply_and_one_pending(article):
    load_demo_comments(article)
    assert Comment.objects.filter(article=article, parent__isnull=False).exists()
    assert Comment.objects.filter(article=article, status="pending").count() == 1
    article.refresh_from_db()
    assert article.comment_count == Comment.objects.public().for_article(article).count() == 3


def test_loading_twice_adds_nothing(article):
    assert load_demo_comments(article) == 4
    assert load_demo_comments(article) == 0
    assert Comment.objects.count() == 4


def test_demo_responses_are_not_in_the_future(article):
    from django.utils import timezone

    load_demo_comments(article)
    assert not Comment.objects.filter(created_at__gt=timezone.now()).exists()


def test_load_demo_command_puts_responses_under_the_lead_story(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    lead = Article.objects.get(is_lead=True)
    assert lead.comments.approved().count() == 3
    assert lead.comments.pending().count() == 1
    lead.refresh_from_db()
    assert lead.comment_count == 3
