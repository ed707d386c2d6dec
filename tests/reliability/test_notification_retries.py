"""The mail server down or slow: the moderators' email is retried with backoff
until it goes, and never again once it has (comments/tasks.py, issue 8).

Production's task backend (django-tasks-db) and its worker, run here in batch
mode; the clock is frozen and moved (time-machine); mail goes to Django's
local-memory outbox, or to a backend that fails like a dead server."""

import datetime
import logging

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from comments.tasks import notify_moderators
from tests.comments.conftest import post_data, post_url
from tests.factories import ArticleFactory

# The worker closes the connection between tasks, as it does in production:
# the test's data must be committed (a transaction per test would be lost).
pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DOWN = "tests.reliability.test_notification_retries.MailServerDown"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@example.org"]
    settings.NOTIFY_RETRY_DELAYS = [60, 300, 900]


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def comment(client, clock, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(post_url(article), post_data(article))
    assert response.status_code == 303  # saved and thanked whatever the mail server does
    return Comment.objects.get()


def run_worker():
    call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False)


def attempts():
    """Every attempt at the notification, first first."""
    return sorted(
        DBTaskResult.objects.all(), key=lambda a: a.args_kwargs["kwargs"].get("attempt", 1)
    )


def test_a_failed_send_is_retried_a_minute_later(comment, settings):
    settings.EMAIL_BACKEND = DOWN
    run_worker()
    failed, retry = attempts()
    assert failed.status == TaskResultStatus.FAILED
    assert retry.status == TaskResultStatus.READY
    assert retry.run_after == START + datetime.timedelta(seconds=60)


def test_the_retry_waits_for_its_time(comment, settings, clock):
    settings.EMAIL_BACKEND = DOWN
    run_worker()
    settings.EMAIL_BACKEND = LOCMEM
    clock.shift(59)
    run_worker()
    assert mail.outbox == []


def test_the_retry_sends_once_the_mail_server_is_back(comment, settings, clock):
    settings.EMAIL_BACKEND = DOWN
    run_worker()
    settings.EMAIL_BACKEND = LOCMEM
    clock.shift(60)
    run_worker()
    assert len(mail.outbox) == 1


def test_each_retry_waits_longer(comment, settings, clock):
    settings.EMAIL_BACKEND = DOWN
    run_worker()
    clock.shift(60)
    run_worker()
    latest = attempts()[-1]
    assert latest.run_after == START + datetime.timedelta(seconds=60 + 300)


def test_a_successful_send_is_never_retried(comment, settings, clock):
    settings.EMAIL_BACKEND = LOCMEM
    run_worker()
    clock.shift(24 * 60 * 60)
    run_worker()
    assert len(mail.outbox) == 1
    assert [a.status for a in attempts()] == [TaskResultStatus.SUCCESSFUL]


def test_an_attempt_after_a_successful_send_sends_nothing(comment, settings):
    # The sent marker: the same response enqueued a second time.
    settings.EMAIL_BACKEND = LOCMEM
    run_worker()
    notify_moderators.enqueue(comment.pk)
    run_worker()
    assert len(mail.outbox) == 1


def test_the_task_gives_up_after_the_last_delay_and_says_so(comment, settings, clock, caplog):
    settings.EMAIL_BACKEND = DOWN
    with caplog.at_level(logging.ERROR, logger="comments.tasks"):
        for delay in [0, 60, 300, 900]:
            clock.shift(delay)
            run_worker()
    assert len(attempts()) == 4
    assert all(a.status == TaskResultStatus.FAILED for a in attempts())
    assert "never notified" in caplog.text
