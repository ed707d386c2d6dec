"""Comment: what a response is, and which ones readers see."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_new_comment_is_pending_by_default(article):
    comment = Comment.objects.create(
        article=article, body="Hello", author_name="Ada", author_email="ada@example.org"
    )
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_public_excludes_unapproved(article, status):
    CommentFactory(article=article, status=status)
    assert not Comment.objects.public().exists()


def test_public_includes_approved(article):
    comment = CommentFactory(article=article)
    assert list(Comment.objects.public()) == [comment]


def test_approved_reply_under_a_rejected_parent_is_not_public(article):
    parent = CommentFactory(article=article, status=Comment.Status.REJECTED)
    CommentFactory(article=article, parent=parent)
    assert not Comment.objects.public().exists()


def test_oldest_first(article):
    now = timezone.now()
    later = CommentFactory(article=article, created_at=now)
    earlier = CommentFactory(article=article, created_at=now - datetime.timedelta(hours=1))
    assert list(Comment.objects.oldest_first()) == [earlier, later]


def test_excerpt_is_short_and_on_one_line():
    comment = Comment(body="word " * 50 + "\nend")
    assert "\n" not in comment.excerpt
    assert len(comment.excerpt) <= 80


def test_str_names_the_author_the_story_and_the_start_of_the_response():
    comment = CommentFactory(
        article=ArticleFactory(headline="Council approves the new harbour wall budget"),
        author_name="Ada Reader",
        body="The council should publish the full minutes.",
    )
    assert str(comment) == (
        "Ada Reader on “Council approves the new harbour wall b…”: "
        "The council should publish the full minutes."
    )


def test_absolute_url_points_at_the_comment(article):
    comment = CommentFactory(article=article)
    assert comment.get_absolute_url() == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_absolute_url_of_a_comment_on_a_later_page_names_the_page(article, settings):
    settings.COMMENTS_PER_PAGE = 1
    now = timezone.now()
    CommentFactory(article=article, created_at=now - datetime.timedelta(minutes=1))
    second = CommentFactory(article=article, created_at=now)
    reply = CommentFactory(article=article, parent=second, created_at=now)
    assert "?cpage=2#" in second.get_absolute_url()
    assert "?cpage=2#" in reply.get_absolute_url()


def test_reply_must_be_on_the_same_article(article):
    parent = CommentFactory()
    reply = CommentFactory.build(article=article, parent=parent)
    with pytest.raises(ValidationError, match="on this story"):
        reply.clean()


def test_reply_must_be_to_an_approved_comment(article):
    parent = CommentFactory(article=article, status=Comment.Status.PENDING)
    with pytest.raises(ValidationError, match="not published"):
        CommentFactory.build(article=article, parent=parent).clean()


def test_replies_are_one_level_deep(article):
    parent = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=parent)
    with pytest.raises(ValidationError, match="first response"):
        CommentFactory.build(article=article, parent=reply).clean()


def test_website_must_be_http_or_https(article):
    comment = CommentFactory.build(article=article, author_url="ftp://example.org/")
    with pytest.raises(ValidationError) as error:
        comment.full_clean()
    assert "author_url" in error.value.message_dict


def test_deleting_an_article_deletes_its_comments():
    article = ArticleFactory()
    CommentFactory(article=article)
    article.delete()
    assert not Comment.objects.exists()


# --- Which commenter (comments/emails.py) ---


def test_saving_stores_the_normalised_email(article):
    comment = CommentFactory(article=article, author_email="Jane@MÜNCHEN.de")
    assert Comment.objects.get(pk=comment.pk).author_email_normalised == "jane@xn--mnchen-3ya.de"


def test_changing_the_email_changes_the_normalised_copy_even_with_update_fields(article):
    comment = CommentFactory(article=article, author_email="jane@example.org")
    comment.author_email = "Jane@MÜNCHEN.de"
    comment.save(update_fields=["author_email"])
    assert Comment.objects.get(pk=comment.pk).author_email_normalised == "jane@xn--mnchen-3ya.de"
