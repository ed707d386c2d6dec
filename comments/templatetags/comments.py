"""`{% load comments %}`: the responses under a story.

`{% responses article %}` renders the whole block at the end of a story's
page: "N Responses" (`article.comment_count`, worded by articles_tags'
`responses_label`), the page of responses (comments/rendering.py, through the
fragment cache: at most one query), and "Leave a Response". The form itself
is a frame from `comments:form` (comments/views.py), so the story's page
carries nothing of one reader's and the page cache can keep it; after a
refused post it is inline, with the reader's input and the errors
(docs/ARCHITECTURE.md, "Caching"). The whole section is one fragment in the
fragment cache for every reader with nothing of their own in it (no pending
response, no reply chosen, no refused post): the page of a signed-in reader
who bypasses the page cache spends nothing on it but the fetch.
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from articles import pagecache
from articles.context_processors import shell_links

from ..cookies import pending_ids
from ..moderation import moderator
from ..rendering import responses_page
from ..thread import effective_page, find_reply_target, parse_id, parse_page

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
