"""`{% load comments %}`: the responses under a story, and how a response's text is shown.

`{% responses article %}` renders the whole block (the "N Responses" list and
the "Leave a Response" form) with ONE database query: see comments/thread.py.
The "N Responses" wording is articles_tags' `responses_label`, which lists of
stories use too.
"""

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

from ..cookies import pending_ids, remembered_details
from ..forms import CommentForm
from ..moderation import moderator
from ..thread import build_thread, parse_page

register = template.Library()


# urlize escapes everything the commenter wrote, so this exact attribute can
# only be the one urlize itself generated.
_NOFOLLOW = 'rel="nofollow"'


@register.filter(needs_autoescape=False)
def comment_body(text):
    """A response's text as HTML: escaped, links clickable (nofollow, ugc,
    noopener), line breaks kept. Never the commenter's own markup."""
    html = urlize(text, nofollow=True, autoescape=True)
    html = html.replace(_NOFOLLOW, 'rel="nofollow ugc noopener"')
    html = re.sub(r"\r\n|\r|\n", "<br>", html)
    return mark_safe(html)  # noqa: S308 - built from urlize's escaped output above


def _parse_id(value):
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


@register.inclusion_tag("comments/_section.html", takes_context=True)
def responses(context, article):
    request = context["request"]
    thread = build_thread(
        article, page=parse_page(request.GET.get("cpage")), pending_ids=pending_ids(request)
    )
    is_open = moderator.comments_open(article)
    # After a refused post the article view passes the reader's bound form back.
    form = context.get("comment_form")
    reply_to = None
    if form is not None:
        parent = getattr(form, "cleaned_data", {}).get("parent")
        reply_to = parent if parent is not None and not form.has_error("parent") else None
    elif is_open:
        reply_to = thread.find(_parse_id(request.GET.get("replyto")))
        initial = remembered_details(request)
        initial["remember"] = bool(initial)
        if reply_to is not None:
            initial["parent"] = reply_to.pk
        form = CommentForm(article=article, initial=initial)
    return {
        "article": article,
        "thread": thread,
        "count": article.comment_count,
        "comments_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "csrf_token": context.get("csrf_token"),
    }
