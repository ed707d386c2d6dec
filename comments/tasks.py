"""Background work for the comments app (Django's Tasks API, django-tasks backport).

**The moderators' email** (issue 15 §2). Every response saved as pending gets
a `ModerationNotice`, in the transaction that saves it (comments/moderation.py),
and after that commit `notify_moderators` is enqueued. The task sends one
email listing every notice still waiting (a digest), at most one per
COMMENTS_NOTIFY_INTERVAL_SECONDS: when the last went less than that ago, it
enqueues one run for the interval's end and returns; responses arriving in
between wait for that run, which lists them all. A burst of 50 pending
responses is two emails, not 50. The schedule (`NotificationSchedule`, one
row) is locked while a run decides and sends, so two workers never send two.
A response moderated or deleted before the email went is left out of it.

With TASKS_BACKEND=immediate (development, tests) the task runs right then,
in the reader's request: the backend records a failure instead of raising
it, so a failing mail server never loses or breaks the reader's response.
That backend cannot run a task later, so it sends at once, one email per
response (no interval, no retries). In production (TASKS_BACKEND=database)
the `db_worker` process sends, and the reader never waits for the mail server.

**Retries** (issue 8). django-tasks 0.12 has no retries of its own, so the
task schedules its own: when the mail server refuses, times out or is down,
the attempt records its failure (the task's result says why) after enqueueing
the next attempt for NOTIFY_RETRY_DELAYS[failures - 1] seconds later (a minute,
five, fifteen, an hour, three, six: then it gives up, logged as an error; the
notices still wait, and the next response's email lists them). A response
that arrives while a retry is due waits for that retry. A retry is enqueued
only on that failure path, before anything is sent, so a retry never follows
a successful send. The sent marker guards the rest (the same response
enqueued twice, an attempt someone re-runs): the email that lists a notice
sets its `notified_at` in the transaction that sent it, and no email lists a
notice that has one.

What SMTP cannot promise: a server that accepts a mail but whose answer never
arrives (slower than EMAIL_TIMEOUT) looks like a failure, and that mail is
sent again; so is one whose database commit fails after the send. Moderators
may, rarely, hear of a response twice; never not at all.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .models import Comment, ModerationNotice, NotificationSchedule

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
def notify_moderators(comment_id=None, attempt=1):
    """Email the moderators a digest of the responses that wait for them,
    unless the last email went less than COMMENTS_NOTIFY_INTERVAL_SECONDS
    ago. Returns how many mails went.

    `comment_id`: the response whose saving enqueued this run (one enqueued
    before digests existed is given a notice here, unless it was emailed).
    `attempt` counts from 1 for a digest's retries (see above).
    """
    can_defer = notify_moderators.get_backend().supports_defer
    if comment_id is not None:
        _notice_for_an_earlier_task(comment_id)
    failure = None
    with transaction.atomic():
        schedule = _locked_schedule()
        now = timezone.now()
        if attempt == 1 and schedule.next_run_at and now < schedule.next_run_at:
            return 0  # a run is due then (the interval's end, a retry): it lists this one
        notices = list(
            ModerationNotice.objects.waiting()
            .select_related("comment__article")
            .order_by("comment__created_at", "comment_id")
        )
        recipients = moderator_emails()
        if not notices or not recipients:
            _unschedule(schedule)
            _forget_moderated_notices()
            return 0
        interval = datetime.timedelta(seconds=settings.COMMENTS_NOTIFY_INTERVAL_SECONDS)
        due = schedule.last_sent_at + interval if schedule.last_sent_at else now
        if now < due and can_defer:
            if schedule.next_run_at != due:
                notify_moderators.using(run_after=due).enqueue()
                schedule.next_run_at = due
                schedule.save(update_fields=["next_run_at"])
            return 0
        try:
            sent = send_digest([notice.comment for notice in notices], recipients)
        except MAIL_FAILURES as error:
            failure = error
            schedule.failures += 1
            schedule.next_run_at = retry_later(
                [n.comment_id for n in notices], failures=schedule.failures, error=error
            )
            if schedule.next_run_at is None:
                schedule.failures = 0
            schedule.save(update_fields=["failures", "next_run_at"])
        else:
            ModerationNotice.objects.filter(pk__in=[n.pk for n in notices]).update(notified_at=now)
            schedule.last_sent_at, schedule.next_run_at, schedule.failures = now, None, 0
            schedule.save(update_fields=["last_sent_at", "next_run_at", "failures"])
            _forget_moderated_notices()
            return sent
    raise failure  # committed first: this attempt is recorded as failed, with the error


def send_digest(comments, recipients):
    """One email listing these responses (oldest first), each with its link in the admin."""
    context = {
        "comments": comments,
        "site_name": settings.SITE_NAME,
        # The Comments list opens on the responses awaiting moderation.
        "queue_url": settings.SITE_URL + reverse("admin:comments_comment_changelist"),
        "entries": [
            {
                "comment": comment,
                "change_url": settings.SITE_URL + comment.admin_url(),
                "article_url": settings.SITE_URL + comment.article.get_absolute_url(),
            }
            for comment in comments
        ],
    }
    subject = render_to_string("comments/email/notification_subject.txt", context)
    body = render_to_string("comments/email/notification.txt", context)
    return send_mail(" ".join(subject.split()), body, None, recipients)


def retry_later(comment_ids, *, failures, error):
    """Enqueue the next attempt after its delay and return when it is due; or
    give up, loudly, and return None."""
    delays = settings.NOTIFY_RETRY_DELAYS
    listed = ", ".join(map(str, comment_ids))
    if failures > len(delays):
        logger.error(
            "Moderators never notified of responses %s: %d attempts failed, the last with %s. "
            "The next response's email lists them.",
            listed,
            failures,
            error,
        )
        return None
    if not notify_moderators.get_backend().supports_defer:
        logger.error(
            "Moderators not notified of responses %s (%s): this TASKS backend cannot retry later",
            listed,
            error,
        )
        return None
    delay = delays[failures - 1]
    due = timezone.now() + datetime.timedelta(seconds=delay)
    notify_moderators.using(run_after=due).enqueue(attempt=failures + 1)
    logger.warning(
        "Moderators' email of responses %s failed (%s): attempt %d in %d s",
        listed,
        error,
        failures + 1,
        delay,
    )
    return due


def _locked_schedule():
    """The one NotificationSchedule row, locked until the transaction ends."""
    schedule = NotificationSchedule.objects.select_for_update().filter(pk=1).first()
    if schedule is None:
        try:
            with transaction.atomic():
                NotificationSchedule.objects.create(pk=1)
        except IntegrityError:
            pass  # another worker made it first
        schedule = NotificationSchedule.objects.select_for_update().get(pk=1)
    return schedule


def _unschedule(schedule):
    if schedule.next_run_at is not None or schedule.failures:
        schedule.next_run_at, schedule.failures = None, 0
        schedule.save(update_fields=["next_run_at", "failures"])


def _forget_moderated_notices():
    # A notice is kept while its response waits (the sent marker of any task
    # still queued for it), then deleted: the table holds the queue, no more.
    ModerationNotice.objects.exclude(comment__status=Comment.Status.PENDING).delete()


def _notice_for_an_earlier_task(comment_id):
    """A task enqueued before notices existed (deployed while it waited) names
    a pending response with no notice: give it one, unless that task's
    earlier attempt emailed it (django-tasks-db keeps each result)."""
    if ModerationNotice.objects.filter(comment_id=comment_id).exists():
        return
    if not Comment.objects.pending().filter(pk=comment_id).exists():
        return
    if _emailed_before_digests(comment_id):
        return
    try:
        with transaction.atomic():
            ModerationNotice.objects.create(comment_id=comment_id)
    except IntegrityError:
        pass  # the comment was deleted, or another run gave it its notice


def _emailed_before_digests(comment_id):
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
