"""The moderation policy, top to bottom, and the verbs moderators use.

1. `CommentModerator` (one instance, `moderator`) decides, like
   django-contrib-comments' class of the same name:
   - whether a story takes responses (`comments_open`: its flag, and
     COMMENTS_CLOSE_AFTER_DAYS after publication);
   - whether a post is refused outright, nothing saved, the reader's text
     kept (`refusal`: a duplicate, a form already used, the flood limit; and,
     once decided, spam past the client's spam allowance);
   - what becomes of a saved response (`decide`): spam (the security form's
     findings, a disallowed word), held (too many links, a moderation word),
     approved (a known commenter, when COMMENTS_AUTO_APPROVE_KNOWN is on), or
     pending like every other new response. Each finding is recorded in
     `Comment.moderation_reasons` as {"rule", "match"}: moderators see why.
2. `submit_comment` saves a post as decided, with its form's token marked
   used and, for a response that waits for the moderators, a notice for their
   next email (sent after the transaction commits, at most one per
   COMMENTS_NOTIFY_INTERVAL_SECONDS: comments/tasks.py). An approved one
   recounts its story under the story's lock, as the verbs below do.
3. `approve_comments`, `reject_comments`, `mark_spam`, `delete_comments`: the
   moderators' verbs, for admin actions and anything else. Each records who
   and when, recounts the touched stories' `comment_count` in the same
   transaction, after locking their rows (`_lock_articles`: two changes to one
   story's responses recount one after the other, so the count is exact
   however many happen at once) and, once committed, purges the stories'
   pages and every list from the page and fragment caches, on every process
   (`pagecache.purge_articles_on_commit`). Taking a published response down
   (rejected, spam, back to pending, deleted) is a takedown: no copy of the
   story's pages from before it is served again, not even while the database
   is away (issue 15 §5).
"""

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

import pagecache
from articles.models import Article

from .emails import normalise_email
from .flood import FloodLimit, SpamAllowance
from .models import Comment, ModerationNotice, UsedFormToken
from .tasks import notify_moderators

logger = logging.getLogger(__name__)

# --- Matching words -----------------------------------------------------------


def normalise(text):
    """NFKC-normalised, case-folded text: full-width "Word", "WORD" and "word" all match."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def find_words(words, *texts):
    """The entries of `words` that occur as whole words in any of `texts`.

    Whole words for any script: an entry must not touch a letter or digit on
    either side (Python's Unicode-aware \\w), so "press" does not match
    "WordPress" nor "cialis" "specialist", while "café" matches "CAFÉ!".
    """
    terms = sorted({normalise(w).strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not terms:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)")
    found = set()
    for text in texts:
        found.update(pattern.findall(normalise(text or "")))
    return sorted(found)


LINK_PATTERN = re.compile(r"https?://|(?<![\w.])www\.", re.IGNORECASE)


def count_links(text):
    return len(LINK_PATTERN.findall(text or ""))


def same_name(a, b):
    """Two commenters' names match whatever their case, Unicode form and spacing
    ("ada  READER " is "Ada Reader"); accents and punctuation count."""
    return " ".join(normalise(a or "").split()) == " ".join(normalise(b or "").split())


# --- The policy -----------------------------------------------------------------


@dataclass
class Decision:
    status: str
    reasons: list = field(default_factory=list)


class CommentRefused(Exception):
    """A post that is not saved at all; `message` tells the reader why, `code` the program."""

    def __init__(self, message, *, status=422, code="refused"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


DUPLICATE = "You have already posted this response on this story; it was not posted twice."
FORM_USED = (
    "This form was already used to post a response. Your text is kept below: "
    "post it again if you meant to."
)
# Over the flood limit, and spam past its allowance: one answer, so a bot
# learns nothing from it about which rule it tripped.
TOO_QUICKLY = (
    "You are posting responses too quickly. Please wait a little and post "
    "again: your text is kept below."
)


class CommentModerator:
    # The story's own switch, and the date responses close after.
    enable_field = "comments_open"
    auto_close_field = "published_at"
    # The same response from the same person within this time is a duplicate.
    duplicate_window = datetime.timedelta(days=1)

    @property
    def close_after_days(self):
        return settings.COMMENTS_CLOSE_AFTER_DAYS

    def comments_open(self, article):
        if not getattr(article, self.enable_field):
            return False
        closes = self.closes_at(article)
        return closes is None or timezone.now() < closes

    def closes_at(self, article):
        """When the story stops taking responses by its age, or None (never)."""
        opened = getattr(article, self.auto_close_field)
        if self.close_after_days and opened is not None:
            return opened + datetime.timedelta(days=self.close_after_days)
        return None

    def refusal(self, comment, *, form_token=""):
        """Why this post is refused before it is saved, or None. When None,
        the post holds the flood limit's cool-down (`FloodLimit.claim`).

        A duplicate first: a double-clicked button hears "already posted",
        which is the truth, rather than "too quickly"; then a form that
        already carried a post (the check that counts is the one
        `submit_comment` makes as it saves: this one only words it first).
        """
        if self.is_duplicate(comment):
            return CommentRefused(DUPLICATE, code="duplicate")
        if (
            form_token
            and UsedFormToken.objects.filter(
                digest=token_digest(form_token), expires_at__gt=timezone.now()
            ).exists()
        ):
            return self.form_used()
        # Claimed, not only checked: submit_comment releases it unless saved.
        wait = FloodLimit.from_settings().claim(
            ip_address=comment.ip_address, email=comment.author_email
        )
        if wait:
            return self.too_quickly()
        return None

    @staticmethod
    def too_quickly():
        return CommentRefused(TOO_QUICKLY, status=429, code="too_quickly")

    @staticmethod
    def form_used():
        return CommentRefused(FORM_USED, code="form_used")

    def spam_refusal(self, comment, decision):
        """For a post decided as spam: the refusal once its client is past
        COMMENTS_SPAM_PER_MINUTE (this post counted), else None."""
        if decision.status != Comment.Status.SPAM:
            return None
        if SpamAllowance.from_settings().take(ip_address=comment.ip_address):
            return None
        return self.too_quickly()

    def is_duplicate(self, comment):
        same_person = Q(author_email_normalised=normalise_email(comment.author_email))
        if comment.ip_address:
            same_person |= Q(ip_address=comment.ip_address)
        return (
            Comment.objects.for_article(comment.article)
            .filter(same_person, body=comment.body)
            .filter(created_at__gte=timezone.now() - self.duplicate_window)
            .exists()
        )

    def decide(self, comment, *, spam_reasons=()):
        """The status a new response is saved with, and why."""
        if spam_reasons:
            return Decision(Comment.Status.SPAM, list(spam_reasons))
        fields = (comment.body, comment.author_name, comment.author_email, comment.author_url)
        disallowed = find_words(settings.COMMENTS_DISALLOWED_WORDS, *fields, comment.ip_address)
        if disallowed:
            return Decision(
                Comment.Status.SPAM,
                [{"rule": "disallowed_words", "match": ", ".join(disallowed)}],
            )
        held = []
        links = count_links(comment.body)
        if links > settings.COMMENTS_MAX_LINKS:
            held.append({"rule": "max_links", "match": f"{links} links"})
        words = find_words(settings.COMMENTS_MODERATION_WORDS, *fields, comment.ip_address)
        if words:
            held.append({"rule": "moderation_words", "match": ", ".join(words)})
        if held:
            return Decision(Comment.Status.PENDING, held)
        if settings.COMMENTS_AUTO_APPROVE_KNOWN:
            known = self.known_commenter(comment)
            if known is not None:
                # The earlier response's number, not the email: reasons are
                # shown in lists, exported, and must hold nothing to erase.
                return Decision(
                    Comment.Status.APPROVED,
                    [{"rule": "known_commenter", "match": f"same name and email as #{known}"}],
                )
        return Decision(Comment.Status.PENDING)

    @staticmethod
    def known_commenter(comment):
        """The id of an approved response with this one's name and email, or None.

        WordPress's rule: the same email (comments/emails.py) *and* the same
        name (`same_name`). The email alone proves nothing: anyone may type an
        approved commenter's address (issue 15 §11); until the address itself
        is confirmed, the name must match too.
        """
        key = normalise_email(comment.author_email)
        if not key:
            return None
        names = (
            Comment.objects.approved()
            .filter(author_email_normalised=key)
            .order_by()
            .values("author_name")
            .annotate(first=Min("pk"))
        )
        for row in names:
            if same_name(row["author_name"], comment.author_name):
                return row["first"]
        return None


moderator = CommentModerator()


# --- A new response -------------------------------------------------------------------


def token_digest(form_token):
    """What UsedFormToken keeps of a form's token: its SHA-256, never the token."""
    return UsedFormToken.digest_of(form_token)


def submit_comment(comment, *, spam_reasons=(), form_token=""):
    """Judge and save a new, validated response (article, body, author, IP set).

    `form_token`: the form's signed token (comments/forms.py), which carries
    this one post only. Raises CommentRefused (nothing saved) for a
    duplicate, a form already used, over the flood limit, or for spam past
    its client's allowance. Returns the saved comment, whose status says what
    became of it.
    """
    refusal = moderator.refusal(comment, form_token=form_token)
    if refusal:
        raise refusal
    flood = FloodLimit.from_settings()
    who = {"ip_address": comment.ip_address, "email": comment.author_email}
    try:
        decision = moderator.decide(comment, spam_reasons=spam_reasons)
        refusal = moderator.spam_refusal(comment, decision)
        if refusal:
            raise refusal
        comment.status = decision.status
        comment.moderation_reasons = decision.reasons
        with transaction.atomic():
            if comment.status == Comment.Status.APPROVED:
                # Before the row that changes the count (issue 15 §8): a second
                # response approved at the same moment waits here, and its
                # recount then sees this one. Without the lock each recount
                # saw only its own new row, and the count ended one short.
                _lock_articles([comment.article_id])
            if form_token:
                _use_form_token(form_token)
            comment.save()
            if comment.status == Comment.Status.APPROVED:
                recount_comments([comment.article_id])
                pagecache.purge_articles_on_commit([comment.article_id])
            elif comment.status == Comment.Status.PENDING:
                ModerationNotice.objects.create(comment=comment)

                # robust: a failing queue must not turn a saved response into an error
                # (the notice waits for the next email). A named function, not a
                # partial: Django logs a robust callback's failure by its
                # __qualname__, which a partial lacks.
                def notify_moderators_of_response():
                    notify_moderators.enqueue(comment.pk)

                transaction.on_commit(notify_moderators_of_response, robust=True)
    except BaseException:
        flood.release(**who)  # nothing was saved: the reader may post again at once
        raise
    if comment.status == Comment.Status.SPAM:
        flood.release(**who)
    else:
        flood.record(**who)
    if form_token:
        _forget_expired_tokens()
    return comment


def _use_form_token(form_token):
    """Record this form's token as used, or refuse the post: it carried one
    already. Race-free: the hash is the table's primary key, so of two posts
    with one token the second's insert fails (on PostgreSQL it waits for the
    first's transaction, and fails if that one commits)."""
    digest = token_digest(form_token)
    now = timezone.now()
    expires_at = now + datetime.timedelta(seconds=settings.COMMENTS_FORM_MAX_AGE_SECONDS)
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(digest=digest, expires_at=expires_at)
    except IntegrityError:
        # Taken, unless by a post so old that its row has expired (not yet deleted).
        taken_again = UsedFormToken.objects.filter(digest=digest, expires_at__lte=now).update(
            expires_at=expires_at
        )
        if not taken_again:
            raise moderator.form_used() from None


def _forget_expired_tokens():
    # One indexed DELETE after a saved post, outside its transaction: the
    # table holds only the tokens of the last COMMENTS_FORM_MAX_AGE_SECONDS.
    # A failure here costs nothing but a row kept a little longer.
    try:
        with transaction.atomic():
            UsedFormToken.objects.filter(expires_at__lte=timezone.now()).delete()
    except DatabaseError:
        logger.warning("Expired form tokens not deleted", exc_info=True)


# --- Moderators' verbs ------------------------------------------------------------------


def approve_comments(queryset, *, by):
    return _set_status(queryset, Comment.Status.APPROVED, by=by)


def reject_comments(queryset, *, by):
    return _set_status(queryset, Comment.Status.REJECTED, by=by)


def mark_spam(queryset, *, by):
    return _set_status(queryset, Comment.Status.SPAM, by=by)


def delete_comments(queryset):
    """Delete responses (and their replies), recount and purge. Returns how many were chosen."""
    with transaction.atomic():
        comments = list(queryset.values_list("pk", "article_id", "status"))
        article_ids = {article_id for _, article_id, _ in comments}
        _lock_articles(article_ids)
        Comment.objects.filter(pk__in=[pk for pk, _, _ in comments]).delete()
        recount_comments(article_ids)
        # Replies are public only under a published response: that one's
        # status says whether anything readers saw is going.
        shown = {a for _, a, status in comments if status == Comment.Status.APPROVED}
        pagecache.purge_articles_on_commit(article_ids - shown)
        pagecache.purge_articles_on_commit(shown, takedown=True, listed=False)
    return len(comments)


def set_comment_status(comment, status, *, by):
    """One response's status, as moderators set it from its change page."""
    return _set_status(Comment.objects.filter(pk=comment.pk), status, by=by)


def _set_status(queryset, status, *, by):
    with transaction.atomic():
        changing = list(
            Comment.objects.filter(pk__in=queryset.values("pk"))
            .exclude(status=status)
            .values_list("pk", "article_id", "status")
        )
        article_ids = {article_id for _, article_id, _ in changing}
        _lock_articles(article_ids)
        Comment.objects.filter(pk__in=[pk for pk, _, _ in changing]).update(
            status=status, moderated_at=timezone.now(), moderated_by=by
        )
        recount_comments(article_ids)
        # A published response taken down: its stories' old copies never come back.
        shown = {a for _, a, was in changing if was == Comment.Status.APPROVED}
        pagecache.purge_articles_on_commit(article_ids - shown)
        pagecache.purge_articles_on_commit(shown, takedown=True, listed=False)
    return len(changing)


def _lock_articles(article_ids):
    # Two changes to one story's responses (moderators' verbs, an approved new
    # response) wait for each other (PostgreSQL), so the later recount sees
    # the earlier one's changes. In the order of their ids: two batches that
    # share stories never each hold one the other waits for (a deadlock).
    list(
        Article.objects.select_for_update()
        .filter(pk__in=article_ids)
        .order_by("pk")
        .values_list("pk")
    )


def recount_comments(article_ids):
    """Set each story's `comment_count` to the number of responses readers see."""
    public = (
        Comment.objects.public()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Article.objects.filter(pk__in=article_ids).update(comment_count=Coalesce(Subquery(public), 0))


# --- The page-cache hook ------------------------------------------------------------


def comments_edited(article_ids):
    """A moderator edited responses (their text, a name): purge the pages that show them.
    A takedown: an edit of a response is how a line is redacted, and the old
    words must not come back while the database is away (issue 15 §5)."""
    pagecache.purge_articles_on_commit(article_ids, takedown=True, listed=False)
