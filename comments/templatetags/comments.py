"""`{% load comments %}`: the responses under a story.

`{% responses article %}` renders the whole block at the end of a story's
page: "N Responses" (`article.comment_count`, worded by articles_tags'
`responses_label`), the page of responses (`responses_page`: drawn by
comments/html.py, through the fragment cache: at most one query), and "Leave a
Response". The form itself is a frame from `comments:form`
(comments/views.py), so the story's page carries nothing of one reader's and
the page cache can keep it; after a refused post it is inline, with the
reader's input and the errors (docs/ARCHITECTURE.md, "Caching"). The whole
section is one fragment in the fragment cache for every reader with nothing of
their own in it (no pending response, no reply chosen, no refused post): the
page of a signed-in reader who bypasses the page cache spends nothing on it
but the fetch.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

import pagecache
from articles.context_processors import shell_links

from ..cookies import pending_ids
from ..html import render_entries, render_list
from ..models import Comment
from ..moderation import moderator
from ..queries import (
    Pagination,
    build_thread,
    effective_page,
    find_reply_target,
    parse_id,
    parse_page,
)

register = template.Library()


SECTION_TEMPLATE = "comments/_section.html"


@register.simple_tag(takes_context=True)
def responses(context, article):
    request = context["request"]
    is_open = moderator.comments_open(article)
    if is_open:
        # The page offers the form until then: no cached copy may outlive that.
        pagecache.page_expires_at(request, moderator.closes_at(article))
    requested = parse_page(request.GET.get("cpage"))
    page = effective_page(article, requested)
    if page != requested:
        # ?cpage=99 on a story with 3 pages shows page 3: not worth a cache entry.
        pagecache.page_is_a_copy(request)
    # After a refused post the article view passes the reader's bound form back.
    form = context.get("comment_form")
    reply_id = parse_id(request.GET.get("replyto")) if is_open and form is None else None
    mine = pending_ids(request)

    def render():
        return _render_section(context, article, page, is_open, form, reply_id, mine)

    if form is not None or reply_id is not None or mine:
        return render()  # this reader's own section: their form, reply or responses
    # Everyone else's section is the same: kept whole, beside the story's other parts.
    return pagecache.cached_fragment(
        "responses-section",
        article.pk,
        render,
        variant=(page, int(is_open), settings.COMMENTS_PER_PAGE),
    )


def _render_section(context, article, page, is_open, form, reply_id, mine):
    listing = responses_page(article, page=page, pending_ids=mine, can_reply=is_open)
    if listing.page != page:
        pagecache.page_is_a_copy(context["request"])
    if form is not None:
        parent = getattr(form, "cleaned_data", {}).get("parent")
        reply_to = parent if parent is not None and not form.has_error("parent") else None
    else:
        reply_to = find_reply_target(article, reply_id)
    section = context.new(
        {
            "article": article,
            "responses": listing,
            "count": article.comment_count,
            "comments_open": is_open,
            "form": form,
            "reply_to": reply_to,
            "csrf_token": context.get("csrf_token"),
            "links": shell_links(),  # a new context has no context processors'
        }
    )
    return mark_safe(context.template.engine.get_template(SECTION_TEMPLATE).render(section))  # noqa: S308


# --- A page of responses, through the fragment cache -----------------------------------


@dataclass
class RenderedPage(Pagination):
    """The approved responses of one page, drawn: what the fragment cache keeps."""

    entries: list  # render_entries()


@dataclass
class ResponsesPage(Pagination):
    """What the article page shows under "N Responses": the list's HTML, and
    where this page is among the pages of responses."""

    html: str


def responses_page(article, *, page, pending_ids, can_reply):
    """The responses of `page` under `article`, with this reader's pending ones.

    The approved ones come from the fragment cache (key: the story's version,
    the page, whether replies are open), drawn once per change of the story's
    responses. On a miss, ONE query fetches them and the reader's pending ones
    together (queries.build_thread); on a hit, the reader's pending ones (if
    any) cost one small query and nobody else's page costs any.
    """
    page = effective_page(article, page)
    fetched = {}

    def draw_approved():
        thread = build_thread(article, page=page, pending_ids=pending_ids)
        fetched["thread"] = thread
        entries = render_entries(thread, can_reply=can_reply)
        return RenderedPage(page=thread.page, num_pages=thread.num_pages, entries=entries)

    rendered = pagecache.cached_fragment(
        "responses",
        article.pk,
        draw_approved,
        variant=(page, int(can_reply), settings.COMMENTS_PER_PAGE),
    )
    if "thread" in fetched:
        mine = [
            comment
            for entry in fetched["thread"].entries
            for comment in (entry.comment, *entry.replies)
            if comment.is_pending
        ]
    elif pending_ids:
        mine = list(Comment.objects.for_article(article).pending().filter(pk__in=pending_ids))
    else:
        mine = []
    page_ids = {comment_id for comment_id, _, _ in rendered.entries}
    replies = {}
    for comment in mine:
        if comment.parent_id in page_ids:
            replies.setdefault(comment.parent_id, []).append(comment)
    # The reader's own new response is the newest: it goes on the last page.
    top_level = [c for c in mine if c.parent_id is None] if rendered.is_last_page else []
    html = render_list(rendered.entries, pending=top_level, pending_replies=replies)
    return ResponsesPage(page=rendered.page, num_pages=rendered.num_pages, html=html)
