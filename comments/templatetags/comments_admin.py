"""`{% load comments_admin %}`: the moderation queue's size, for the admin index."""

from django import template
from django.urls import reverse

from ..models import Comment

register = template.Library()


@register.inclusion_tag("admin/comments/_pending_notice.html", takes_context=True)
def pending_responses_notice(context):
    request = context["request"]
    if not request.user.has_perm("comments.view_comment"):
        return {"count": None}
    return {
        "count": Comment.objects.pending().count(),
        "queue_url": reverse("admin:comments_comment_changelist") + "?status=pending",
    }
