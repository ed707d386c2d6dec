"""A commenter's personal data, found by email address: export it, erase it.

What WordPress's personal-data tools do for comments (Tools → Export / Erase
Personal Data), and what a reader may ask under data-protection law (access,
erasure):

- `export_commenter_data(emails)`: every response posted with those addresses,
  with everything kept about it (name, email, website, IP address, user agent,
  text, story, status, dates, the anti-spam reasons), as a JSON-ready dict.
- `erase_commenter_data(emails)`: anonymises those responses as WordPress's
  eraser does: the name becomes "Anonymous"; email, website, IP address and
  user agent are blanked. The text stays, under "Anonymous", so a thread keeps
  its sense; a moderator who is asked to remove the words too deletes the
  responses (`delete_commenter_comments`, the command's `--delete`).

Addresses match as comments/emails.py says (`normalise_email`: any case, in
any script, the domain as typed or in its IDNA form, "xn--…"), through the
copy stored on each response, the same on SQLite and PostgreSQL. Erasing
also blanks what the anti-spam reasons recorded from the reader
(`erased_reasons`) and the name in the admin's history of those responses.
Used by the management commands `export_commenter_data` and
`erase_commenter_data` and by the Comments admin actions (comments/admin.py).
The daily IP anonymisation of everyone's older responses is a separate job:
`anonymise_comment_ips`.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

import pagecache

from . import moderation
from .emails import normalise_email
from .models import Comment

ANONYMOUS_NAME = "Anonymous"
ERASED = "(erased)"

# The anti-spam rules whose "match" says nothing about the reader (a count, a
# time): kept on erasure. Every other rule's match is replaced by ERASED: it
# may hold what the reader typed (the honeypot's contents, the email of
# "known commenter" before issue 15, a word found in the name, email or IP
# address). A rule added later is erased until it is listed here.
IMPERSONAL_RULES = frozenset({"max_links", "too_fast", "form_too_old"})


def _keys(emails):
    """{normalised address: the address as asked for}, in the keys' order."""
    keys = {}
    for email in emails:
        key = normalise_email(email)
        if key:
            keys.setdefault(key, email.strip())
    return dict(sorted(keys.items()))


def comments_by(emails):
    """Every response posted with one of these email addresses (comments/emails.py)."""
    return (
        Comment.objects.filter(author_email_normalised__in=list(_keys(emails)))
        .select_related("article__section")
        .order_by("created_at", "pk")
    )


def is_erased(comment):
    """Whether this response's author was erased (no email is left on it)."""
    return comment.author_email == ""


def export_commenter_data(emails):
    """{"exported_at", "commenters": [{"email", "comments": [...]}]} for these addresses."""
    keys = _keys(emails)
    by_key = {key: [] for key in keys}
    for comment in comments_by(emails):
        by_key[comment.author_email_normalised].append(_exported(comment))
    return {
        "exported_at": timezone.now().isoformat(),
        "commenters": [
            {"email": keys[key], "comments": comments} for key, comments in by_key.items()
        ],
    }


def _exported(comment):
    article = comment.article
    return {
        "id": comment.pk,
        "story": article.headline,
        "story_url": article.absolute_url(),
        "in_reply_to": comment.parent_id,
        "posted_at": comment.created_at.isoformat(),
        "status": comment.get_status_display(),
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "comment": comment.body,
        "moderated_at": comment.moderated_at.isoformat() if comment.moderated_at else None,
        "anti_spam_reasons": comment.moderation_reasons,
    }


def erased_reasons(reasons):
    """The anti-spam reasons with what they recorded of the reader replaced by ERASED.

    The rule names stay (moderators still see why a response was held or
    caught), and so do the matches of IMPERSONAL_RULES.
    """
    if not isinstance(reasons, list):
        return []
    kept = []
    for reason in reasons:
        if not isinstance(reason, dict):
            continue  # not a reason this code wrote: nothing of it is kept
        rule = str(reason.get("rule", ""))
        match = reason.get("match", "") if rule in IMPERSONAL_RULES else ERASED
        kept.append({"rule": rule, "match": match})
    return kept


def erase_commenter_data(emails):
    """Anonymise every response of these addresses; returns how many."""
    with transaction.atomic():
        comments = list(comments_by(emails).values_list("pk", "article_id"))
        Comment.objects.filter(pk__in=[pk for pk, _ in comments]).update(
            author_name=ANONYMOUS_NAME,
            author_email="",
            author_email_normalised="",
            author_url="",
            ip_address=None,
            user_agent="",
        )
        _erase_reasons([pk for pk, _ in comments])
        _erase_admin_history([pk for pk, _ in comments])
        # The pages showing the old names must not be served from a cache,
        # not even their last copies while the database is away (a takedown).
        pagecache.purge_articles_on_commit(
            {article_id for _, article_id in comments}, takedown=True, listed=False
        )
    return len(comments)


def _erase_reasons(pks):
    reasons_by_pk = Comment.objects.filter(pk__in=pks).values_list("pk", "moderation_reasons")
    Comment.objects.bulk_update(
        [
            Comment(pk=pk, moderation_reasons=erased_reasons(reasons))
            for pk, reasons in reasons_by_pk
            if reasons
        ],
        ["moderation_reasons"],
        batch_size=500,
    )


def _erase_admin_history(pks):
    # The admin's history ("Recent actions", each response's History) names a
    # response as str(comment), its author's name first: that becomes "Anonymous".
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in pks],
    )
    logged = {int(pk) for pk in entries.values_list("object_id", flat=True).distinct()}
    max_length = LogEntry._meta.get_field("object_repr").max_length
    for comment in Comment.objects.filter(pk__in=logged).select_related("article"):
        comment.author_name = ANONYMOUS_NAME
        entries.filter(object_id=str(comment.pk)).update(object_repr=str(comment)[:max_length])


def delete_commenter_comments(emails):
    """Delete every response of these addresses (and replies under them); returns how many."""
    with transaction.atomic():
        _erase_admin_history(list(comments_by(emails).values_list("pk", flat=True)))
        return moderation.delete_comments(comments_by(emails))
