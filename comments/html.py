"""All the markup the comments app writes in Python: how responses are
drawn under a story, one response and the list with its replies.
`{% responses %}` (templatetags/comments.py) reaches it.

**Why in Python, not a template.** A story's page shows up to
COMMENTS_PER_PAGE responses plus their replies. Drawn through an
`{% include %}` per response with the `date` and `urlize` filters, they were
85% of the page's cold render (docs/performance.md, "What dominates a cold
render"): Django's template engine costs a few microseconds per variable and
tag, times a dozen per response, and `urlize` walks every word of every text.
Here each response is one f-string with its values escaped, its date
formatted directly (each day's once per list), and only the words of its text
that could be links handed to urlize (`comment_body`). The markup below is the
whole of it; tests/comments/test_html.py holds it to the old template's
output.

Everything a reader wrote goes through `escape` (or `comment_body`, which
escapes first); the website link only ever holds an http(s) URL
(`Comment.author_url`'s validator).
"""

import re
from html import escape

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import urlize
from django.utils.safestring import mark_safe

# --- A response's text ---------------------------------------------------------------

# urlize makes a link only from a word that starts with http:// or https://,
# starts with www., contains one of the seven original top-level domains
# (.com … .org), or is an email address (@). With IGNORECASE, this pattern
# folds case as urlize's own patterns do, so a text it does not match comes
# out of urlize exactly escaped (tests/comments/test_html.py checks it).
# Each alternative starts with one character and looks ahead for the rest: the
# same texts match as with r"https?://|www\.|@|\.(?:com|…)", about twice as fast.
_LINK_MARKER = r"h(?=ttps?://)|w(?=ww\.)|@|\.(?=com|edu|gov|int|mil|net|org)"
MAY_BE_A_LINK = re.compile(_LINK_MARKER, re.IGNORECASE)
# Even so it costs 10-20 µs for a response of 300 characters, and most
# responses hold none of what it looks for. Every match needs "://", "@",
# "www." in some case, or a dot before .com … .org's first letter in some case
# (IGNORECASE matches i to U+0130 and U+0131, the dotted capital and dotless
# small i, too; c e g m n o w only to themselves and their capitals), which
# plain substring searches and a search for a literal dot find in about 1 µs.
_DOT_BEFORE_A_DOMAIN = re.compile(r"\.[cegimnoCEGIMNO\u0130\u0131]")


def could_hold_a_link(text):
    """False when `text` certainly has no match of MAY_BE_A_LINK."""
    return bool(
        "://" in text
        or "@" in text
        or "ww." in text
        or "wW." in text
        or "Ww." in text
        or "WW." in text
        or _DOT_BEFORE_A_DOMAIN.search(text)
    )


# urlize splits a text into words at runs of whitespace, <, >, " and ' (its
# word_split_re) and handles each word on its own: a word without a marker
# comes out escaped. So only the words with one need urlize; the text between
# them is escaped here, as urlize would. This is such a word, whole: it starts
# where no word character precedes (one try per word, so the search stays
# linear) and runs to the word's end.
_WORD_CHARACTER = r"""[^\s<>"']"""
WORD_WITH_A_MARKER = re.compile(
    rf"(?<!{_WORD_CHARACTER}){_WORD_CHARACTER}*?(?i:{_LINK_MARKER}){_WORD_CHARACTER}*"
)
# urlize escapes everything the commenter wrote, so this exact attribute can
# only be the one urlize itself generated.
_NOFOLLOW = 'rel="nofollow"'


def _linkified(text):
    """`text` escaped, its links made by urlize: comment_body without the line
    breaks. urlize sees only the words that could be links: it costs a few µs
    a word (~200 µs for a response of 300 characters with one link), where
    escape takes 1 µs for the whole text."""
    marker = could_hold_a_link(text) and MAY_BE_A_LINK.search(text)
    if not marker:
        return escape(text)
    # The last space before the first marker is before its word, and no word
    # before that one has a marker.
    done = text.rfind(" ", 0, marker.start()) + 1
    parts = [escape(text[:done])]
    for word in WORD_WITH_A_MARKER.finditer(text, done):
        parts.append(escape(text[done : word.start()]))
        parts.append(urlize(word[0], nofollow=True, autoescape=True))
        done = word.end()
    parts.append(escape(text[done:]))
    return "".join(parts).replace(_NOFOLLOW, 'rel="nofollow ugc noopener"')


def _with_line_breaks(html):
    # What re.sub(r"\r\n|\r|\n", "<br>", html) does, at a few times its speed:
    # the \r\n pairs first, so that each becomes one <br>.
    return html.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def comment_body(text):
    """A response's text as HTML: escaped, links clickable (nofollow, ugc,
    noopener), line breaks kept. Never the commenter's own markup."""
    return mark_safe(_with_line_breaks(_linkified(text)))  # noqa: S308 - escaped


def pending_body(text):
    """A response awaiting moderation: escaped, line breaks kept, no links
    (nobody has checked them yet)."""
    return mark_safe(_with_line_breaks(escape(text)))  # noqa: S308 - escaped


class LocalDates:
    """A response's date as the page shows it, in the site's time zone: its
    `<time datetime>` value and "27 November 2026 at 14:05" (the date filter's
    "j F Y \\a\\t H:i"). The zone and the month names (a gettext each, ~8 µs
    through asgiref's Local) are looked up once per list rather than once per
    response, and each day's "27 November 2026 at " is written once."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {}
        self.days = {}

    def __call__(self, moment):
        local = moment.astimezone(self.zone)
        iso = local.isoformat(timespec="seconds")  # 2026-11-27T14:05:09+00:00
        day = self.days.get(iso[:10])
        if day is None:
            month = self.months.get(local.month)
            if month is None:
                month = self.months[local.month] = str(MONTHS[local.month])
            day = self.days[iso[:10]] = f"{local.day} {month} {local.year} at "
        return iso, day + iso[11:16]


def posted_on(moment):
    """The date a response shows, e.g. "27 November 2026 at 14:05"."""
    return LocalDates()(moment)[1]


# --- One response --------------------------------------------------------------------

_AWAITING = (
    '<p class="comment-awaiting-moderation fst-italic mb-1">'
    "Your comment is awaiting moderation.</p>\n"
)


def render_response(comment, *, reply_page=None, dates=None):
    """One response as HTML. `reply_page`: offer a Reply link (the page of
    responses it is on); only approved top-level responses take replies.
    `dates`: a LocalDates shared by the responses of a list."""
    # One f-string rather than str.format(**values) of a template: the format
    # cost 4 µs a response, ten times the f-string.
    iso, shown = (dates or LocalDates())(comment.created_at)
    name = escape(comment.author_name)
    author = name
    pending_class = awaiting = reply = ""
    if comment.is_pending:
        pending_class, awaiting = " comment-pending", _AWAITING
        body = _with_line_breaks(escape(comment.body))  # pending_body, without mark_safe
    else:
        body = _with_line_breaks(_linkified(comment.body))  # comment_body, without mark_safe
        if comment.author_url:
            url = escape(comment.author_url)
            author = f'<a href="{url}" rel="nofollow ugc noopener">{name}</a>'
        if reply_page is not None:
            page = f"cpage={reply_page}&amp;" if reply_page > 1 else ""
            reply = (
                '<a class="comment-reply-link d-inline-block mt-2 py-1 fw-semibold" '
                f'href="?{page}replyto={comment.pk}#respond">'
                f'Reply<span class="visually-hidden"> to {name}</span></a>\n'
            )
    return (
        f'<article id="comment-{comment.pk}" class="comment mb-4{pending_class}">\n'
        '<header class="comment-meta mb-1">\n'
        f'<h3 class="comment-author h6 d-inline mb-0">{author}</h3>\n'
        '<time class="comment-date text-body-secondary small ms-2" '
        f'datetime="{iso}">{shown}</time>\n'
        "</header>\n"
        f"{awaiting}"
        f'<div class="comment-body">{body}</div>\n'
        f"{reply}"
        "</article>"
    )


# --- The list --------------------------------------------------------------------------


def render_entries(thread, *, can_reply):
    """[(top-level response id, its HTML, its replies' <li>s)] for the
    approved responses of a `thread.Thread` page: what the fragment cache
    keeps (the reader's own pending responses are added by `render_list`)."""
    reply_page = thread.page if can_reply else None
    dates = LocalDates()
    rendered = []
    for entry in thread.entries:
        if entry.comment.is_pending:
            continue
        replies = "".join(
            f"<li>{render_response(reply, dates=dates)}</li>\n"
            for reply in entry.replies
            if not reply.is_pending
        )
        html = render_response(entry.comment, reply_page=reply_page, dates=dates)
        rendered.append((entry.comment.pk, html, replies))
    return rendered


def render_list(entries, *, pending=(), pending_replies=None):
    """The `<ol>` of responses: `entries` from `render_entries`, the reader's
    pending replies under their response, their pending responses last."""
    pending_replies = pending_replies or {}
    if not entries and not pending:
        return ""
    dates = LocalDates()
    parts = ['<ol class="comment-list list-unstyled">\n']
    for comment_id, html, replies in entries:
        mine = "".join(
            f"<li>{render_response(reply, dates=dates)}</li>\n"
            for reply in pending_replies.get(comment_id, ())
        )
        parts.append(f"<li>\n{html}\n")
        if replies or mine:
            parts.append(
                '<ol class="comment-replies list-unstyled ms-4 ps-3 border-start">\n'
                f"{replies}{mine}</ol>\n"
            )
        parts.append("</li>\n")
    for comment in pending:
        parts.append(f"<li>\n{render_response(comment, dates=dates)}\n</li>\n")
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped in render_response
