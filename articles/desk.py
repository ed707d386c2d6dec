"""The editors' desk (issue 18 §3): what needs each person, on the admin's
front page. Every list is one query, capped (DESK_LENGTH), newest or most
urgent first, so the page costs the same with ten stories or a million
(tests/articles/test_desk.py counts them)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Article, PullQuote, StoryNote
from .publishing import can_publish

DESK_LENGTH = 10
SCHEDULED_AHEAD = datetime.timedelta(days=7)
PUBLISHED_SINCE = datetime.timedelta(hours=24)


@dataclass
class Desk:
    """The lists one person's desk shows (empty lists are shown as "nothing")."""

    is_editor: bool
    lists: dict = field(default_factory=dict)  # heading -> (stories or notes, empty text)


def desk_for(user):
    now = timezone.now()
    if can_publish(user):
        return Desk(
            is_editor=True,
            lists={
                "In review, waiting for an editor": (
                    _stories(Article.objects.in_review().order_by("updated_at", "pk")),
                    "Nothing waiting for review.",
                ),
                "Scheduled for the next 7 days": (
                    _stories(
                        Article.objects.scheduled()
                        .filter(published_at__lte=now + SCHEDULED_AHEAD)
                        .order_by("published_at", "pk")
                    ),
                    "Nothing scheduled for the next 7 days.",
                ),
                "Published in the last 24 hours": (
                    _stories(
                        Article.objects.published(at=now)
                        .filter(published_at__gte=now - PUBLISHED_SINCE)
                        .latest_first()
                    ),
                    "Nothing published in the last 24 hours.",
                ),
                "Quotes waiting for an editor's confirmation": (
                    _stories(
                        Article.objects.filter(
                            pk__in=awaiting_quotes().values("article_id")
                        ).order_by("-updated_at", "-pk")
                    ),
                    "No quotes waiting for confirmation.",
                ),
                "Latest corrections and clarifications": (
                    list(
                        StoryNote.objects.corrections()
                        .select_related("article")
                        .only("kind", "noted_at", "article__headline")
                        .order_by("-noted_at", "-pk")[:DESK_LENGTH]
                    ),
                    "No corrections yet.",
                ),
            },
        )
    mine = Article.objects.filter(
        created_by=user, status__in=[Article.Status.DRAFT, Article.Status.REVIEW]
    ).order_by("-updated_at", "-pk")
    return Desk(
        is_editor=False,
        lists={"Your drafts and stories in review": (_stories(mine), "No drafts of yours.")},
    )


def awaiting_quotes():
    """Quotes flagged at their last check and not confirmed since (a
    confirmation is cleared when the words change: PullQuote.save)."""
    return PullQuote.objects.filter(confirmed_at__isnull=True).exclude(unmatched_words="")


def _stories(queryset):
    return list(queryset.only("headline", "status", "published_at", "updated_at")[:DESK_LENGTH])
