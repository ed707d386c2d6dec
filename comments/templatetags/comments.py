"""`{% load comments %}`: the responses under a story.

`{% responses article %}` renders the whole block at the end of a story's
page: "N Responses" (`article.comment_count`, worded by articles_tags'
`responses_label`), the page of responses (comments/rendering.py, through the
fragment cache: at most one query), and "Leave a Response". The form itself
is a frame from `comments:form` (comments/views.py), so the story's page
carries nothing of one reader's and the page cache can keep it; after a
refused post it is inline, with the reader's input and the errors
(docs/ARCHITECTURE.md, "Caching").
"""

from django import template

from articles import pagecache
from articles.context_processors import shell_links

from ..cookies import pending_ids
from ..moderation import moderator
from ..rendering import responses_page
from ..thread import find_reply_target, parse_id, parse_page

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def responses(context, article):
    request = context["request"]
    is_open = moderator.comments_open(article)
    if is_open:
        # The page offers the form until then: no cached copy may outlive that.
        pagecache.page_expires_at(request, moderator.closes_at(article))
    requested = parse_page(request.GET.get("cpage"))
    listing = responses_page(
        article, page=requested, pending_ids=pending_ids(request), can_reply=is_open
    )
    if listing.page != requested:
        # ?cpage=99 on a story with 3 pages shows page 3: not worth a cache entry.
        pagecache.page_is_a_copy(request)
    # After a refused post the article view passes the reader's bound form back.
    form = context.get("comment_form")
    if form is not None:
        parent = getattr(form, "cleaned_data", {}).get("parent")
        reply_to = parent if parent is not None and not form.has_error("parent") else None
    elif is_open:
        reply_to = find_reply_target(article, parse_id(request.GET.get("replyto")))
    else:
        reply_to = None
    return {
        "article": article,
        "responses": listing,
        "count": article.comment_count,
        "comments_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "csrf_token": context.get("csrf_token"),
        "links": shell_links(),  # an inclusion tag's context has no context processors'
    }
