"""The newsroom's verbs: submit a story for review, publish it (now or on a
schedule), unpublish it; check its pull-quotes; restore one of its revisions;
make and revoke preview links for it.

Admin actions call these; so should anything else that moves a story between
states, so that the permission and the rules below are checked in one place.
Each verb saves only the fields it changes, inside a transaction, records a
revision (articles/revisions.py) and returns the article.

"Scheduled" is not a state of its own: a published story whose `published_at`
is in the future is scheduled, and `Article.objects.published()` lets it out
when its time comes.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import quotes, revisions
from .diff import body_text
from .models import Article, PullQuote, ShareLink, share_token_hash

PUBLISH_PERMISSION = "articles.publish_article"


def can_publish(user):
    """Editors (and superusers) may publish, schedule and unpublish; writers may not."""
    return user.has_perm(PUBLISH_PERMISSION)


def publish_article(article, *, by, at=None):
    """Publish `article`: live now, or scheduled when its time is in the future.

    Without `at`, a story that already has a future `published_at` keeps it
    (publishing it schedules it); any other story goes live now. A story that is
    already published is left as it is unless `at` moves it.
    Raises PermissionDenied for a user without `articles.publish_article`, and
    ValidationError when another story already has this slug on that day, or
    when a pull-quote was found in neither the body nor its source and no
    editor has confirmed it (the quotes are checked again first).
    """
    _require_publish_permission(by)
    now = timezone.now()
    if at is not None:
        published_at = at
    elif article.status == Article.Status.PUBLISHED:
        return article
    elif article.published_at and article.published_at > now:
        published_at = article.published_at
    else:
        published_at = now

    if article.status != Article.Status.PUBLISHED and (waiting := check_quotes(article)):
        raise unconfirmed_quotes_error(article, waiting)
    if clash := article.address_clash(published_at):
        raise ValidationError(
            "“%(headline)s” cannot be published: “%(other)s” already uses the slug "
            "“%(slug)s” that day. Change one of the slugs first.",
            params={"headline": article.headline, "other": clash.headline, "slug": article.slug},
            code="slug_taken_that_day",
        )
    article.status = Article.Status.PUBLISHED
    article.published_at = published_at
    what = "scheduled" if published_at > now else "published"
    _save(article, "status", "published_at", by=by, summary=f"status ({what})")
    return article


def unpublish_article(article, *, by):
    """Take a live or scheduled story down: it goes back to Draft.

    `published_at` is kept so that editors can see when it was (or was to be)
    published; publishing it again follows `publish_article`'s rule.
    A live story taken down is a takedown for the page cache too: once this
    commits, no copy of its page or of a list showing it is served again, not
    even while the database is away (articles/signals.py purges with
    tombstones on every save that takes a story out of public view, this one
    included).
    """
    _require_publish_permission(by)
    if article.status != Article.Status.DRAFT:
        article.status = Article.Status.DRAFT
        _save(article, "status", by=by, summary="status (unpublished)")
    return article


def submit_for_review(article, *, by):
    """A writer hands a draft to the editors: Draft → In review."""
    if not by.has_perm("articles.change_article"):
        raise PermissionDenied("You may not change stories.")
    if article.status == Article.Status.REVIEW:
        return article
    if article.status != Article.Status.DRAFT:
        raise ValidationError(
            "“%(headline)s” is not a draft, so it cannot be submitted for review.",
            params={"headline": article.headline},
            code="not_a_draft",
        )
    article.status = Article.Status.REVIEW
    _save(article, "status", by=by, summary="status (submitted for review)")
    return article


# --- Quote checks (issue 18 §2; the rule itself: articles/quotes.py) ---------------


def unmatched_quote_words(text, *, body_html, source_text):
    """The runs of the quote's words found neither in the body (HTML) nor in
    its source's captured text; [] when it was found in one of them."""
    return quotes.unmatched_words(text, body_text(body_html), source_text or "")


def check_quotes(article):
    """Check each of the story's pull-quotes against its body and its
    source, as they are in the database, and store what each check found.
    Returns the quotes awaiting an editor's confirmation."""
    checked_at = timezone.now()
    waiting = []
    for quote in article.pull_quotes.select_related("source"):
        quote.unmatched_words = "\n".join(
            unmatched_quote_words(
                quote.text,
                body_html=article.body,
                source_text=quote.source.quoted_text if quote.source else "",
            )
        )
        quote.checked_at = checked_at
        PullQuote.objects.filter(pk=quote.pk).update(
            unmatched_words=quote.unmatched_words, checked_at=checked_at
        )
        if quote.awaits_confirmation:
            waiting.append(quote)
    return waiting


def unconfirmed_quotes_error(article, waiting):
    """Why `article` may not be published while the quotes `waiting` are
    flagged and unconfirmed (for the admin action's message and the form)."""
    return ValidationError(
        "“%(headline)s” cannot be published: %(quotes)s found in neither the story "
        "nor %(its)s source, and no editor has confirmed %(it)s. Open the story and "
        "confirm each flagged quote with a reason, or correct it.",
        params={
            "headline": article.headline,
            "quotes": ", ".join(f"{quote.speaker}’s quote" for quote in waiting)
            + (" was" if len(waiting) == 1 else " were"),
            "its": "its" if len(waiting) == 1 else "their",
            "it": "it" if len(waiting) == 1 else "them",
        },
        code="unconfirmed_quotes",
    )


def hold_for_quote_check(article):
    """After an edit (the admin's save, a restore): check the quotes again. A
    scheduled story with a quote awaiting confirmation would go live with no
    check, so it goes back to In review (saved here; the caller records the
    revision). A live story stays live: the admin shows the flag. Returns the
    quotes awaiting confirmation."""
    waiting = check_quotes(article)
    if waiting and article.state == "Scheduled":
        article.status = Article.Status.REVIEW
        article.save(update_fields=["status", "updated_at"])
    return waiting


# --- Revisions ----------------------------------------------------------------------


def can_see_history(user, article, *, may_change):
    """Editors see and compare every story's revisions; writers those of the
    stories they may change (`may_change`: the admin's answer for this story)."""
    return can_publish(user) or may_change


def can_restore(user, article):
    """Editors restore any story's revisions; a writer only those of a draft
    (or story in review) that they created."""
    if can_publish(user):
        return True
    return (
        user.has_perm("articles.change_article")
        and article.created_by_id is not None
        and article.created_by_id == user.pk
        and article.status != Article.Status.PUBLISHED
    )


def restore_version(article, revision, *, by, with_status=False):
    """Bring the story back as `revision` had it (articles/revisions.py:
    normal saves, a new revision). Its status and publication time stay as
    they are now unless `with_status`, which only editors may ask for.
    Returns the plan it carried out (what changed, what could not be)."""
    if not can_restore(by, article):
        raise PermissionDenied("You may restore only your own drafts.")
    if with_status:
        _require_publish_permission(by)
    plan = revisions.plan_restore(article, revision, with_status=with_status)
    with transaction.atomic():
        restored = revisions.restore(article, plan, by=by)
        publishes = (
            with_status
            and restored.status == Article.Status.PUBLISHED
            and article.status != Article.Status.PUBLISHED
        )
        if publishes and (waiting := check_quotes(restored)):
            # Bringing back "Published" publishes: the quote rule holds.
            raise unconfirmed_quotes_error(restored, waiting)
        status = restored.status
        hold_for_quote_check(restored)
        if restored.status != status:
            revisions.record_revision(
                restored, by=by, summary="status (in review: a pull-quote awaits confirmation)"
            )
    return plan


def can_share(user, article):
    """Editors may make preview links for any story; a writer only for a
    story they created (and may still change)."""
    if can_publish(user):
        return True
    return user.has_perm("articles.change_article") and article.created_by_id == user.pk


def create_share_link(article, *, by, days=ShareLink.DEFAULT_DAYS):
    """A preview link for a story that is not public yet: (the link, its
    address). The address holds the only copy of the token: show it now."""
    if not can_share(by, article):
        raise PermissionDenied("You may make preview links only for your own stories.")
    if not ShareLink.MIN_DAYS <= days <= ShareLink.MAX_DAYS:
        raise ValidationError(
            "A preview link lasts from %(min)s to %(max)s days.",
            params={"min": ShareLink.MIN_DAYS, "max": ShareLink.MAX_DAYS},
            code="share_days",
        )
    if article.is_public:
        raise ValidationError(
            "“%(headline)s” is already public: share its address instead.",
            params={"headline": article.headline},
            code="already_public",
        )
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        article=article,
        token_hash=share_token_hash(token),
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return link, reverse("articles:share_preview", args=[article.pk, token])


def revoke_share_link(link, *, by):
    """The link stops working at once (it stays listed, as revoked)."""
    if not can_share(by, link.article):
        raise PermissionDenied("You may revoke preview links only for your own stories.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def record_share_link_use(link):
    """Count one opening of a preview link (for the admin's list)."""
    ShareLink.objects.filter(pk=link.pk).update(
        use_count=F("use_count") + 1, last_used_at=timezone.now()
    )


def next_scheduled_time():
    """When the next scheduled story goes live (None: nothing is scheduled).
    The page cache keeps nothing past it (apps.py registers this). The
    query walks the (status, published_at) index from now: a few rows at most."""
    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def _require_publish_permission(user):
    if not can_publish(user):
        raise PermissionDenied("Only editors may publish, schedule or unpublish stories.")


def _save(article, *fields, by, summary):
    # `updated_at` is auto_now: with update_fields it only moves when named
    # (`version` is added by Article.save, so an open form learns of it).
    with transaction.atomic():
        article.save(update_fields=[*fields, "updated_at"])
        revisions.record_revision(article, by=by, summary=summary)
