"""Background work for the comments app (Django's Tasks API, django-tasks backport).

`notify_moderators` is enqueued after the transaction that saved a pending
response commits (comments/moderation.py). With TASKS_BACKEND=immediate
(development, tests) it runs right then, in the reader's request: the backend
records a failure instead of raising it, so a failing mail server never loses
or breaks the reader's response. In production (TASKS_BACKEND=database) the
`db_worker` process sends it, and the reader never waits for the mail server.

**Retries** (issue 8). django-tasks 0.12 has no retries of its own, so the
task schedules its own: when the mail server refuses, times out or is down,
the attempt records its failure (the task's result says why) after enqueueing
the next attempt for NOTIFY_RETRY_DELAYS[attempt - 1] seconds later (a minute,
five, fifteen, an hour, three, six: then it gives up, logged as an error).
A retry is enqueued only on that failure path, before anything is sent, so a
retry never follows a successful send. The sent marker guards the rest (the
same response enqueued twice, an attempt someone re-runs): with the database
backend every attempt first looks for an earlier attempt for the same response
that succeeded, and sends nothing if there is one. That marker is the task
result django-tasks-db already keeps (no table of our own).

What SMTP cannot promise: a server that accepts a mail but whose answer never
arrives (slower than EMAIL_TIMEOUT) looks like a failure, and that mail is
sent again. Moderators may, rarely, get a notification twice; never none.
Retries need a backend that can run a task later (`supports_defer`: the
database one); with the immediate backend a failure is logged, not retried.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import Comment

logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"
# What a mail server that is down, refusing or too slow raises.
MAIL_FAILURES = (smtplib.SMTPException, OSError)


def moderator_emails():
    """COMMENTS_MODERATOR_EMAILS, else every active moderator with an email address."""
    if settings.COMMENTS_MODERATOR_EMAILS:
        return list(settings.COMMENTS_MODERATOR_EMAILS)
    users = get_user_model().objects.filter(
        groups__name=MODERATORS_GROUP, is_active=True, is_staff=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task()
def notify_moderators(comment_id, attempt=1):
    """Email the moderators about a response awaiting moderation. Returns how many mails went.

    `attempt` counts from 1; a failed attempt enqueues the next (see above).
    """
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.is_pending:
        return 0  # deleted or moderated before the mail went: nothing waits any more
    if already_notified(comment_id):
        return 0
    recipients = moderator_emails()
    if not recipients:
        return 0
    context = {
        "comment": comment,
        "site_name": settings.SITE_NAME,
        "change_url": settings.SITE_URL + comment.admin_url(),
        "article_url": settings.SITE_URL + comment.article.get_absolute_url(),
    }
    subject = render_to_string("comments/email/notification_subject.txt", context)
    body = render_to_string("comments/email/notification.txt", context)
    try:
        return send_mail(" ".join(subject.split()), body, None, recipients)
    except MAIL_FAILURES as error:
        retry_later(comment_id, attempt=attempt, error=error)
        raise  # this attempt is recorded as failed, with the mail server's error


def retry_later(comment_id, *, attempt, error):
    """Enqueue attempt `attempt + 1`, after its delay; or give up, loudly."""
    delays = settings.NOTIFY_RETRY_DELAYS
    if attempt > len(delays):
        logger.error(
            "Moderators never notified of response %s: %d attempts failed, the last with %s",
            comment_id,
            attempt,
            error,
        )
        return
    if not notify_moderators.get_backend().supports_defer:
        logger.error(
            "Moderators not notified of response %s (%s): this TASKS backend cannot retry later",
            comment_id,
            error,
        )
        return
    delay = delays[attempt - 1]
    notify_moderators.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
        comment_id, attempt=attempt + 1
    )
    logger.warning(
        "Moderators' email for response %s failed (%s): attempt %d in %d s",
        comment_id,
        error,
        attempt + 1,
        delay,
    )


def already_notified(comment_id):
    """The sent marker: has an attempt for this response already succeeded?
    Known only to the database backend, which keeps every task's result."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(notify_moderators.get_backend(), DatabaseBackend):
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=notify_moderators.module_path,
        status=TaskResultStatus.SUCCESSFUL,
        args_kwargs__args__0=comment_id,
    ).exists()
