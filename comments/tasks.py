"""Background work for the comments app (Django's Tasks API, django-tasks backport).

`notify_moderators` is enqueued after the transaction that saved a pending
response commits (comments/moderation.py). With TASKS_BACKEND=immediate
(development, tests) it runs right then, in the reader's request: the backend
records a failure instead of raising it, so a failing mail server never loses
or breaks the reader's response. In production (TASKS_BACKEND=database) the
`db_worker` process sends it, and the reader never waits for the mail server.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from .models import Comment

MODERATORS_GROUP = "Moderators"


def moderator_emails():
    """COMMENTS_MODERATOR_EMAILS, else every active moderator with an email address."""
    if settings.COMMENTS_MODERATOR_EMAILS:
        return list(settings.COMMENTS_MODERATOR_EMAILS)
    users = get_user_model().objects.filter(
        groups__name=MODERATORS_GROUP, is_active=True, is_staff=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task()
def notify_moderators(comment_id):
    """Email the moderators about a response awaiting moderation. Returns how many mails went."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.is_pending:
        return 0  # deleted or moderated before the mail went: nothing waits any more
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
    return send_mail(" ".join(subject.split()), body, None, recipients)
