"""The moderation policy, top to bottom, and the verbs moderators use.

1. `CommentModerator` (one instance, `moderator`) decides, like
   django-contrib-comments' class of the same name:
   - whether a story takes responses (`comments_open`: its flag, and
     COMMENTS_CLOSE_AFTER_DAYS after publication);
   - whether a post is refused outright, nothing saved, the reader's text
     kept (`refusal`: the flood limit, a duplicate);
   - what becomes of a saved response (`decide`): spam (the security form's
     findings, a disallowed word), held (too many links, a moderation word),
     approved (a known commenter, when COMMENTS_AUTO_APPROVE_KNOWN is on), or
     pending like every other new response. Each finding is recorded in
     `Comment.moderation_reasons` as {"rule", "match"}: moderators see why.
2. `submit_comment` saves a post as decided and, after the transaction
   commits, emails the moderators about a response that waits for them.
3. `approve_comments`, `reject_comments`, `mark_spam`, `delete_comments`: the
   moderators' verbs, for admin actions and anything else. Each records who
   and when, recounts the touched stories' `comment_count` in the same
   transaction and, once committed, purges the stories' pages and every list
   from the page and fragment caches, on every process
   (`pagecache.purge_articles_on_commit`). Taking a published response down
   (rejected, spam, back to pending, deleted) is a takedown: no copy of the
   story's pages from before it is served again, not even while the database
   is away (issue 15 §5).
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

import pagecache
from articles.models import Article

from .flood import FloodLimit
from .models import Comment
from .tasks import notify_moderators

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


# --- The policy -----------------------------------------------------------------


@dataclass
class Decision:
    status: str
    reasons: list = field(default_factory=list)


class CommentRefused(Exception):
    """A post that is not saved at all; `message` tells the reader why."""

    def __init__(self, message, *, status=422):
        super().__init__(message)
        self.message = message
        self.status = status


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

    def refusal(self, comment):
        """Why this post is refused before it is saved, or None. When None,
        the post holds the flood limit's cool-down (`FloodLimit.claim`).

        A duplicate first: a double-clicked button hears "already posted",
        which is the truth, rather than "too quickly".
        """
        if self.is_duplicate(comment):
            return CommentRefused(
                "You have already posted this response on this story; it was not posted twice."
            )
        # Claimed, not only checked: submit_comment releases it unless saved.
        wait = FloodLimit.from_settings().claim(
            ip_address=comment.ip_address, email=comment.author_email
        )
        if wait:
            return CommentRefused(
                "You are posting responses too quickly. Please wait a little and post "
                "again: your text is kept below.",
                status=429,
            )
        return None

    def is_duplicate(self, comment):
        same_person = Q(author_email__iexact=comment.author_email)
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
        if settings.COMMENTS_AUTO_APPROVE_KNOWN and self.is_known_commenter(comment):
            return Decision(
                Comment.Status.APPROVED,
                [{"rule": "known_commenter", "match": comment.author_email}],
            )
        return Decision(Comment.Status.PENDING)

    @staticmethod
    def is_known_commenter(comment):
        return Comment.objects.approved().filter(author_email__iexact=comment.author_email).exists()


moderator = CommentModerator()


# --- A new response -------------------------------------------------------------------


def submit_comment(comment, *, spam_reasons=()):
    """Judge and save a new, validated response (article, body, author, IP set).

    Raises CommentRefused (nothing saved) over the flood limit or for a
    duplicate. Returns the saved comment, whose status says what became of it.
    """
    refusal = moderator.refusal(comment)
    if refusal:
        raise refusal
    flood = FloodLimit.from_settings()
    who = {"ip_address": comment.ip_address, "email": comment.author_email}
    try:
        decision = moderator.decide(comment, spam_reasons=spam_reasons)
        comment.status = decision.status
        comment.moderation_reasons = decision.reasons
        with transaction.atomic():
            comment.save()
            if comment.status == Comment.Status.APPROVED:
                recount_comments([comment.article_id])
                pagecache.purge_articles_on_commit([comment.article_id])
            elif comment.status == Comment.Status.PENDING:
                # robust: a failing queue must not turn a saved response into an error.
                # A named function, not a partial: Django logs a robust callback's
                # failure by its __qualname__, which a partial lacks.
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
    return comment


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
    # Two moderators recounting the same story wait for each other (PostgreSQL),
    # so the later recount sees the earlier one's changes.
    list(Article.objects.select_for_update().filter(pk__in=article_ids).values_list("pk"))


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

