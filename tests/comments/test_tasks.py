"""Email to moderators about responses awaiting them: once, after commit, never at the
reader's expense, and at most one email per COMMENTS_NOTIFY_INTERVAL_SECONDS (a digest)."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from comments.models import Comment, ModerationNotice
from comments.tasks import moderator_emails, notify_moderators
from comments.views import THANK_YOU
from tests.comments.conftest import at_once, post_data, post_url
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


# --- At most one email per COMMENTS_NOTIFY_INTERVAL_SECONDS: a digest (issue 15 §2) ---
# Production's task backend and its worker (run in batch mode), a frozen clock.

START = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
digest = pytest.mark.django_db(transaction=True)  # the worker closes the connection


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_NOTIFY_INTERVAL_SECONDS = 300
    settings.NOTIFY_RETRY_DELAYS = [60, 300]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def story(db, clock):
    from tests.factories import ArticleFactory

    return ArticleFactory(headline="Council approves the bridge budget")


def post(client, story, n):
    """Reader n's response (an address and an email of their own: no flood limit)."""
    response = client.post(
        post_url(story),
        post_data(story, body=f"Response {n}.", author_email=f"reader{n}@example.org"),
        REMOTE_ADDR=f"203.0.113.{n}",
    )
    assert response.status_code == 303
    return Comment.objects.get(body=f"Response {n}.")


def run_worker():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


def listed(message):
    """The responses an email lists, by their id."""
    return sorted(int(pk) for pk in re.findall(r"/comments/comment/(\d+)/change/", message.body))


@digest
def test_a_burst_of_responses_is_two_emails_not_one_each(client, story, database_tasks, clock):
    first = post(client, story, 1)
    run_worker()
    later = []
    for n in range(2, 6):
        clock.shift(10)
        later.append(post(client, story, n))
        run_worker()
    assert [listed(m) for m in mail.outbox] == [[first.pk]]
    clock.move_to(START + datetime.timedelta(seconds=300))
    run_worker()
    assert [listed(m) for m in mail.outbox] == [[first.pk], sorted(c.pk for c in later)]


@digest
def test_the_digest_waits_for_the_end_of_the_interval(client, story, database_tasks, clock):
    post(client, story, 1)
    run_worker()
    clock.shift(10)
    post(client, story, 2)
    clock.move_to(START + datetime.timedelta(seconds=299))
    run_worker()
    assert len(mail.outbox) == 1


@digest
def test_a_response_after_a_quiet_interval_is_emailed_at_once(client, story, database_tasks, clock):
    post(client, story, 1)
    run_worker()
    clock.shift(301)
    second = post(client, story, 2)
    run_worker()
    assert [listed(m) for m in mail.outbox][1] == [second.pk]


@digest
def test_a_response_is_listed_in_one_email_only(client, story, database_tasks, clock):
    post(client, story, 1)
    run_worker()
    clock.shift(10)
    post(client, story, 2)
    for seconds in (300, 600, 3600):
        clock.move_to(START + datetime.timedelta(seconds=seconds))
        notify_moderators.enqueue()  # a stray run, or one someone re-runs
        run_worker()
    all_listed = [pk for m in mail.outbox for pk in listed(m)]
    assert len(all_listed) == len(set(all_listed)) == 2


@digest
def test_the_digest_leaves_out_responses_moderated_meanwhile(client, story, database_tasks, clock):
    from comments.moderation import approve_comments

    post(client, story, 1)
    run_worker()
    clock.shift(10)
    approved = post(client, story, 2)
    waiting = post(client, story, 3)
    approve_comments(Comment.objects.filter(pk=approved.pk), by=None)
    clock.move_to(START + datetime.timedelta(seconds=300))
    run_worker()
    assert listed(mail.outbox[-1]) == [waiting.pk]


@digest
def test_a_digest_names_how_many_responses_wait(client, story, database_tasks, clock):
    post(client, story, 1)
    run_worker()
    clock.shift(10)
    post(client, story, 2)
    post(client, story, 3)
    clock.move_to(START + datetime.timedelta(seconds=300))
    run_worker()
    assert mail.outbox[-1].subject == "[Newsroom] 2 responses await moderation"
    assert "Response 2." in mail.outbox[-1].body
    assert "Response 3." in mail.outbox[-1].body


@digest
def test_a_digest_the_mail_server_refused_is_retried_with_every_response(
    client, story, database_tasks, clock, settings
):
    post(client, story, 1)
    run_worker()
    clock.shift(10)
    post(client, story, 2)
    settings.EMAIL_BACKEND = "tests.comments.test_tasks.FailingBackend"
    clock.move_to(START + datetime.timedelta(seconds=300))
    run_worker()  # fails: retried a minute later
    clock.shift(30)
    third = post(client, story, 3)  # waits for that retry
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.shift(30)
    run_worker()
    assert len(mail.outbox) == 2
    assert third.pk in listed(mail.outbox[-1])
    assert len(listed(mail.outbox[-1])) == 2


@digest
def test_a_zero_interval_emails_each_response_at_once(client, story, database_tasks, settings):
    settings.COMMENTS_NOTIFY_INTERVAL_SECONDS = 0
    for n in (1, 2):
        post(client, story, n)
        run_worker()
    assert [len(listed(m)) for m in mail.outbox] == [1, 1]


@digest
def test_a_response_saved_while_the_task_queue_was_away_is_in_the_next_email(
    client, story, database_tasks, clock, monkeypatch
):
    class UnreachableQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("The task queue is unreachable")

    with monkeypatch.context() as patched:
        patched.setattr("comments.moderation.notify_moderators", UnreachableQueue())
        lost = post(client, story, 1)
    clock.shift(10)
    post(client, story, 2)
    run_worker()
    assert lost.pk in listed(mail.outbox[0])


@digest
def test_a_task_enqueued_before_digests_still_notifies(story, database_tasks):
    # Deployed while such a task waited: its response has no notice.
    comment = CommentFactory(article=story, status="pending")
    notify_moderators.enqueue(comment.pk)
    run_worker()
    assert listed(mail.outbox[0]) == [comment.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
@digest
def test_two_workers_at_once_send_one_email(story, database_tasks):
    for _ in range(2):
        ModerationNotice.objects.create(comment=CommentFactory(article=story, status="pending"))
    at_once(notify_moderators.call, notify_moderators.call)
    assert len(mail.outbox) == 1
    assert len(listed(mail.outbox[0])) == 2
