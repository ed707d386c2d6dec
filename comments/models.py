"""What a response is, and which ones readers may see.

Which responses the public sees is decided in one place, `CommentQuerySet.public()`;
the article page, the comment count and the moderation verbs all use it.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article

from .emails import KEY_MAX_LENGTH, normalise_email

BODY_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 100

# A commenter's website becomes a link on the page: only http and https
# (no javascript:, data:, ftp: ...).
validate_http_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


class CommentQuerySet(models.QuerySet):
    def for_article(self, article):
        return self.filter(article=article)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def public(self):
        """What readers see: approved, and (for a reply) under an approved response.

        A reply whose parent is later rejected disappears with it, and is not
        counted in the story's "N Responses".
        """
        return self.approved().filter(
            Q(parent__isnull=True) | Q(parent__status=Comment.Status.APPROVED)
        )

    def top_level(self):
        return self.filter(parent__isnull=True)

    def oldest_first(self):
        return self.order_by("created_at", "pk")


class Comment(models.Model):
    """A reader's response to a story, or a reply to another response (one level)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The response this one replies to (one level of replies).",
    )
    body = models.TextField("comment", max_length=BODY_MAX_LENGTH)
    author_name = models.CharField("name", max_length=NAME_MAX_LENGTH)
    # Never shown publicly: not in pages, feeds, JSON-LD or the HTML source.
    author_email = models.EmailField("email")
    # Which commenter this is: the address as comments/emails.py compares it,
    # set by save(). Export, erasure, duplicates and known commenters match on it.
    author_email_normalised = models.CharField(
        "normalised email", max_length=KEY_MAX_LENGTH, blank=True, editable=False
    )
    author_url = models.URLField("website", blank=True, validators=[validate_http_url])
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=False
    )
    created_at = models.DateTimeField("posted", default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Kept for abuse handling, then blanked by `manage.py anonymise_comment_ips`.
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # What the anti-spam rules found: [{"rule": "max_links", "match": "3 links"}, ...]
    moderation_reasons = models.JSONField("reasons", default=list, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "comment"
        indexes = [
            # The article page: a story's approved responses, oldest first.
            models.Index(
                fields=["article", "status", "parent", "created_at"],
                name="comment_article_page_idx",
            ),
            # The moderation queue: pending first, newest first.
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            # Known commenters (auto-approve), duplicates, a commenter's data.
            models.Index(
                fields=["author_email_normalised", "status"], name="comment_email_key_idx"
            ),
        ]

    def __str__(self):
        # Where an admin page names a response (its title, breadcrumb, messages):
        # Ada Reader on “Procurement chief resigns over…”: The council should…
        return f"{self.author_name} on “{self.short_headline}”: {self.excerpt}"

    def save(self, *args, **kwargs):
        self.author_email_normalised = normalise_email(self.author_email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "author_email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "author_email_normalised"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}{self.page_query()}#comment-{self.pk}"

    @property
    def excerpt(self):
        return Truncator(" ".join(self.body.split())).chars(80)

    @property
    def short_headline(self):
        """The story's headline, cut to fit a column of the moderation queue."""
        return Truncator(self.article.headline).chars(40)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def page_query(self):
        """`?cpage=N` when this response is not on the article's first page of responses."""
        top = self.parent if self.parent_id else self
        earlier = (
            Comment.objects.public()
            .for_article(self.article_id)
            .top_level()
            .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
            .count()
        )
        page = earlier // settings.COMMENTS_PER_PAGE + 1
        return f"?cpage={page}" if page > 1 else ""

    def clean(self):
        if self.parent_id is None:
            return
        parent = self.parent
        if parent.article_id != self.article_id:
            raise ValidationError({"parent": "You can only reply to a response on this story."})
        if parent.parent_id is not None:
            raise ValidationError({"parent": "Replies go under the first response of a thread."})
        if parent.status != self.Status.APPROVED:
            raise ValidationError(
                {"parent": "That response is not published, so it cannot be replied to."}
            )

    def admin_url(self):
        return reverse("admin:comments_comment_change", args=[self.pk])


class UsedFormToken(models.Model):
    """A "Leave a Response" form that has carried its one post (issue 15 §2).

    The form's signed token (comments/forms.py) is good for
    COMMENTS_FORM_MAX_AGE_SECONDS; without this table one token could be
    replayed as often as a bot liked in that time. Each saved post records a
    hash of its token here, in the transaction that saves it, and the primary
    key refuses a second: of two posts racing with one token, one wins. A
    table, not the cache: the cache fails soft (a miss when Redis is away),
    and this must fail closed. Rows expire with the token's age and are
    deleted as new ones come (`submit_comment`) and by `anonymise_comment_ips`.
    """

    digest = models.CharField("token hash", max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "used form token"

    def __str__(self):
        return f"{self.digest[:12]}… (until {self.expires_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def digest_of(token):
        """The hash kept of a token, never the token itself."""
        return hashlib.sha256(token.encode()).hexdigest()


class ModerationNoticeQuerySet(models.QuerySet):
    def waiting(self):
        """Notices still to be emailed, for responses that still await moderation."""
        return self.filter(notified_at__isnull=True, comment__status=Comment.Status.PENDING)


class ModerationNotice(models.Model):
    """A response awaiting moderation, to be listed in the moderators' next
    email (comments/tasks.py). Written in the transaction that saves the
    response, so a notice is never lost with a task queue that is away;
    `notified_at` is set by the email that lists it, so it is never listed twice."""

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="moderation_notice"
    )
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ModerationNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "moderation notice"
        indexes = [models.Index(fields=["notified_at"], name="notice_waiting_idx")]

    def __str__(self):
        return f"Notice of response {self.comment_id}"


class NotificationSchedule(models.Model):
    """When the moderators' last email went, and when the next may: one row
    (pk 1), locked by the task that sends, so two workers never send two
    emails within COMMENTS_NOTIFY_INTERVAL_SECONDS."""

    last_sent_at = models.DateTimeField(null=True, blank=True)
    # A run already enqueued for then (the interval's end, or a retry): a new
    # response before it only waits for it.
    next_run_at = models.DateTimeField(null=True, blank=True)
    # Failed attempts in a row at the email now due (NOTIFY_RETRY_DELAYS).
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "notification schedule"

    def __str__(self):
        return f"Moderators' email, last sent {self.last_sent_at or 'never'}"
