"""`{% load comments_admin %}`: the moderation queue's size, for the admin index."""

from django import template
from django.urls import reverse

from articles.pagination import ADMIN_MAX_COUNT

from ..models import Comment

register = template.Library()


@register.inclusion_tag("admin/comments/_pending_notice.html", takes_context=True)
def pending_responses_notice(context):
    request = context["request"]
    if not request.user.has_perm("comments.view_comment"):
        return {"count": None}
    # Counted up to the admin's cap, not over a queue of 100,000 on every load.
    counted = Comment.objects.pending()[: ADMIN_MAX_COUNT + 1].count()
    return {
        "count": min(counted, ADMIN_MAX_COUNT),
        "more": counted > ADMIN_MAX_COUNT,
        "queue_url": reverse("admin:comments_comment_changelist") + "?status=pending",
    }
