"""Email to moderators about responses awaiting them: once, after commit, never at the
reader's expense."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from comments.models import Comment
from comments.tasks import moderator_emails, notify_moderators
from comments.views import THANK_YOU
from tests.comments.conftest import post_data, post_url
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")


@pytest.fixture(autouse=True)
def recipients(settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.org"]


def test_pending_comment_emails_the_moderators_once_after_commit(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(post_url(article), post_data(article))
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["desk@example.org"]


def test_spam_emails_nobody(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), post_data(article, honeypot="gotcha"))
    assert Comment.objects.get().status == Comment.Status.SPAM
    assert mail.outbox == []


def test_auto_approved_comment_emails_nobody(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    CommentFactory(author_name="Ada Reader", author_email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), post_data(article))
    assert mail.outbox == []


def test_email_links_to_the_comment_in_the_admin_and_hides_the_ip(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(post_url(article), post_data(article), REMOTE_ADDR="198.51.100.77")
    comment = Comment.objects.get()
    message = mail.outbox[0]
    change_url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f"https://news.example.org{change_url}" in message.body
    assert article.headline in message.subject
    assert comment.body in message.body
    assert "198.51.100.77" not in message.body


def test_failing_mail_server_loses_nothing(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(post_url(article), post_data(article))
    assert len(callbacks) == 1  # the mail was attempted, and failed
    assert response.status_code == 303
    assert THANK_YOU in client.get(response["Location"]).content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_failing_mail_server_after_a_real_commit_loses_nothing(client, settings):
    from tests.factories import ArticleFactory

    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingBackend"
    article = ArticleFactory()
    response = client.post(post_url(article), post_data(article))
    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_a_task_queue_that_refuses_the_notice_loses_no_response(client, monkeypatch):
    from tests.factories import ArticleFactory

    class UnreachableQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("The task queue is unreachable")

    monkeypatch.setattr("comments.moderation.notify_moderators", UnreachableQueue())
    article = ArticleFactory()

    response = client.post(post_url(article), post_data(article))

    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_one_email_after_a_real_commit(client):
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    client.post(post_url(article), post_data(article))
    assert len(mail.outbox) == 1


def test_task_skips_a_comment_moderated_in_the_meantime(article):
    comment = CommentFactory(article=article, status="approved")
    assert notify_moderators.call(comment.pk) == 0
    assert mail.outbox == []


def test_task_skips_a_deleted_comment():
    assert notify_moderators.call(999_999) == 0


def test_recipients_default_to_active_staff_moderators(settings):
    settings.COMMENTS_MODERATOR_EMAILS = []
    UserFactory(username="m1", email="m1@example.org", groups=["Moderators"], is_staff=True)
    UserFactory(username="m2", email="", groups=["Moderators"], is_staff=True)
    UserFactory(
        username="m3", email="m3@example.org", groups=["Moderators"], is_staff=True, is_active=False
    )
    UserFactory(username="e1", email="e1@example.org", is_staff=True)
    assert moderator_emails() == ["m1@example.org"]


def test_no_recipients_sends_nothing(article, settings):
    settings.COMMENTS_MODERATOR_EMAILS = []
    comment = CommentFactory(article=article, status="pending")
    assert notify_moderators.call(comment.pk) == 0
