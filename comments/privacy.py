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

Addresses match whatever their case. Used by the management commands
`export_commenter_data` and `erase_commenter_data` and by the Comments admin
actions (comments/admin.py). The daily IP anonymisation of everyone's older
responses is a separate job: `anonymise_comment_ips`.
"""

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

import pagecache

from . import moderation
from .models import Comment

ANONYMOUS_NAME = "Anonymous"


def _normalised(emails):
    return sorted({email.strip().lower() for email in emails if email and email.strip()})


def comments_by(emails):
    """Every response posted with one of these email addresses (any case)."""
    return (
        Comment.objects.annotate(email_lower=Lower("author_email"))
        .filter(email_lower__in=_normalised(emails))
        .select_related("article__section")
        .order_by("created_at", "pk")
    )


def is_erased(comment):
    """Whether this response's author was erased (no email is left on it)."""
    return comment.author_email == ""


def export_commenter_data(emails):
    """{"exported_at", "commenters": [{"email", "comments": [...]}]} for these addresses."""
    by_email = {email: [] for email in _normalised(emails)}
    for comment in comments_by(emails):
        by_email[comment.email_lower].append(_exported(comment))
    return {
        "exported_at": timezone.now().isoformat(),
        "commenters": [
            {"email": email, "comments": comments} for email, comments in by_email.items()
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


def erase_commenter_data(emails):
    """Anonymise every response of these addresses; returns how many."""
    with transaction.atomic():
        comments = list(comments_by(emails).values_list("pk", "article_id"))
        Comment.objects.filter(pk__in=[pk for pk, _ in comments]).update(
            author_name=ANONYMOUS_NAME,
            author_email="",
            author_url="",
            ip_address=None,
            user_agent="",
        )
        # The pages showing the old names must not be served from a cache,
        # not even their last copies while the database is away (a takedown).
        pagecache.purge_articles_on_commit(
            {article_id for _, article_id in comments}, takedown=True, listed=False
        )
    return len(comments)


def delete_commenter_comments(emails):
    """Delete every response of these addresses (and replies under them); returns how many."""
    return moderation.delete_comments(comments_by(emails))
