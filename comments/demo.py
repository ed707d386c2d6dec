"""Demo responses for `manage.py load_demo` (call `load_demo_comments(article)`).

Idempotent: responses are found by their demo author's email and body, so a
second run adds nothing. A few approved responses, one of them with a reply,
and one awaiting moderation (log in as `moderator` to approve it).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Comment
from .moderation import recount_comments

DEMO_RESPONSES = [
    # (key, parent key, status, name, email, website, minutes after publication, body)
    (
        "lena",
        None,
        Comment.Status.APPROVED,
        "Lena Marsh",
        "lena.marsh@example.org",
        "https://example.org/lena",
        45,
        "Thank you for publishing the documents in full. Reading the statement "
        "itself, not just the quotes, makes the story much clearer.",
    ),
    (
        "tom",
        "lena",
        Comment.Status.APPROVED,
        "Tom Okafor",
        "tom.okafor@example.org",
        "",
        80,
        "Agreed. The sources box is the first thing I look at now.",
    ),
    (
        "priya",
        None,
        Comment.Status.APPROVED,
        "Priya Nair",
        "priya.nair@example.org",
        "",
        130,
        "Will there be a follow-up once the inquiry reports?\nI would like to know "
        "what happens to the recommendations.",
    ),
    (
        "sam",
        None,
        Comment.Status.PENDING,
        "Sam Whitfield",
        "sam.whitfield@example.org",
        "",
        200,
        "I was at the meeting, and the mood in the room was very different from "
        "what the official minutes suggest.",
    ),
]


@transaction.atomic
def load_demo_comments(article):
    """Add the demo responses to `article` unless already there. Returns how many were added."""
    # Minutes after publication, but never in the future for a story just published.
    four_hours_ago = timezone.now() - datetime.timedelta(hours=4)
    start = min(article.published_at or four_hours_ago, four_hours_ago)
    saved = {}
    added = 0
    for key, parent_key, status, name, email, website, minutes, body in DEMO_RESPONSES:
        comment, created = Comment.objects.get_or_create(
            article=article,
            author_email=email,
            body=body,
            defaults={
                "parent": saved.get(parent_key),
                "status": status,
                "author_name": name,
                "author_url": website,
                "created_at": start + datetime.timedelta(minutes=minutes),
                "moderated_at": timezone.now() if status == Comment.Status.APPROVED else None,
            },
        )
        saved[key] = comment
        added += created
    recount_comments([article.pk])
    return added
