"""All the markup the articles app writes in Python, in one place.

Why Python and not templates for these: each is on every cold render of a
story (or of every page), and an `{% include %}` or a template loop per quote,
source or link, with their filters, was about a fifth of a cold render after
the queries were made cheap (docs/performance.md). Here each is one
`str.format` or f-string of a fixed string with every value escaped
(`escape`, `linebreaks`, `linebreaksbr` escape first). Templates reach these
through `articles_tags` (`{% story_body %}`, `{% story_sources %}`,
`{% section_links %}`, `jsonld_script`, `meta_properties`), and say so where
they do.

- the body with its pull-quotes between its paragraphs (`body_with_pull_quotes`,
  `body_html`, `pull_quote_html`). A pull-quote says "after paragraph N"
  (issue 2 §3): N counts the body's top-level paragraphs (`<p>` directly in
  the body, not those inside a list or a blockquote); 0 puts it before the
  first block; past the end, it goes last;
- the "Sources" box (`sources_html`, `source_html`);
- the story's notes: corrections, clarifications, updates (`notes_html`);
- the section navigation's items (`section_links`);
- the head's machine-readable parts (`jsonld_script`, `meta_properties`).
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

# Elements with no end tag: they never open a level of nesting.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(frozen=True)
class BodyPart:
    """Either a run of the body's HTML or one pull-quote."""

    html: SafeString | None = None
    quote: object | None = None


_NEWLINE = re.compile("\n")


class _ParagraphEnds(HTMLParser):
    """Finds where each top-level `</p>` ends, as offsets into the source."""

    def __init__(self, source):
        super().__init__(convert_charrefs=False)
        self.source = source
        # Where each line starts (getpos() counts lines and columns).
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(source))]
        self.depth = 0
        self.ends = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(self.depth - 1, 0)
        if tag == "p" and self.depth == 0:
            line, column = self.getpos()
            tag_start = self.line_starts[line - 1] + column
            self.ends.append(self.source.index(">", tag_start) + 1)


def paragraph_ends(body_html):
    """Offsets just after each top-level paragraph of `body_html`."""
    parser = _ParagraphEnds(body_html)
    parser.feed(body_html)
    parser.close()
    return parser.ends


def body_with_pull_quotes(body_html, pull_quotes):
    """The body split at the paragraphs where `pull_quotes` go, as `BodyPart`s.

    `body_html` must already be sanitised (`Article.sanitised_body()`), which
    is why it is marked safe here and nowhere else.
    """
    ends = paragraph_ends(body_html)
    # Where each quote goes: an offset into the body. Stable for equal
    # positions, so quotes after the same paragraph keep their given order.
    placed = []
    for quote in pull_quotes:
        after = quote.after_paragraph
        if after <= 0:
            offset = 0
        elif after <= len(ends):
            offset = ends[after - 1]
        else:
            offset = len(body_html)
        placed.append((offset, quote))
    placed.sort(key=lambda item: item[0])

    parts = []
    cursor = 0
    for offset, quote in placed:
        if offset > cursor:
            parts.append(BodyPart(html=mark_safe(body_html[cursor:offset])))  # noqa: S308
            cursor = offset
        parts.append(BodyPart(quote=quote))
    if cursor < len(body_html):
        parts.append(BodyPart(html=mark_safe(body_html[cursor:])))  # noqa: S308
    return parts


# --- The story's pull-quotes and sources ---------------------------------------------

_PULL_QUOTE = (
    '<figure class="pull-quote">\n'
    "<blockquote{cite}>\n"
    "<p>{text}</p>\n"
    "</blockquote>\n"
    "<figcaption>\n"
    "<cite>{speaker}</cite>\n"
    "{source}"
    "</figcaption>\n"
    "</figure>\n"
)
_QUOTE_SOURCE = '<a class="pull-quote-source" href="{href}">Source: {title}</a>\n'


def pull_quote_html(quote, *, article_id):
    """One pull-quote: the words, who said them, and a link to its source
    (to the story's own "Sources" box when it is one of them)."""
    source = quote.source
    cite = f' cite="{escape(source.url)}"' if source is not None and source.url else ""
    speaker = escape(quote.speaker)
    if quote.speaker_role:
        speaker += ", " + escape(quote.speaker_role)
    link = ""
    if source is not None:
        if source.article_id == article_id:
            link = _QUOTE_SOURCE.format(href=f"#source-{source.pk}", title=escape(source.title))
        elif source.url:
            link = _QUOTE_SOURCE.format(href=escape(source.url), title=escape(source.title))
    return _PULL_QUOTE.format(
        cite=cite, text=linebreaksbr(quote.text, autoescape=True), speaker=speaker, source=link
    )


def body_html(parts, *, article_id):
    """The story's body with its pull-quotes drawn between the paragraphs
    (`parts` from body_with_pull_quotes, whose HTML is already sanitised)."""
    return mark_safe(  # noqa: S308 - sanitised body, escaped quotes
        "".join(
            part.html if part.quote is None else pull_quote_html(part.quote, article_id=article_id)
            for part in parts
        )
    )


_SOURCE = (
    '<li class="source source-{kind}" id="source-{id}">\n'
    '<p class="source-title">{title}</p>\n'
    '<p class="source-meta">'
    '<span class="source-kind">{kind_label}</span>{publisher}{date}</p>\n'
    "{quote}{links}"
    "</li>\n"
)
_SOURCES = (
    '<section class="story-sources" aria-labelledby="sources-heading">\n'
    '<h2 id="sources-heading">Sources</h2>\n'
    '<ol class="story-sources-list">\n'
    "{items}"
    "</ol>\n"
    "</section>"
)


def source_html(source):
    """One entry of the "Sources" box. A social post is a quoted card with a
    link: never a third-party embed or script."""
    url = escape(source.url)
    title = escape(source.title)
    publisher = (
        f'<span class="source-publisher">{escape(source.publisher)}</span>'
        if source.publisher
        else ""
    )
    day = source.published_on
    date = (
        f'<time datetime="{day.isoformat()}">{day.day} {MONTHS[day.month]} {day.year}</time>'
        if day
        else ""
    )
    social = source.kind == "social"
    quote = ""
    if source.quoted_text:
        card = " social-card" if social else ""
        cite = f' cite="{url}"' if url else ""
        text = linebreaks(source.quoted_text, autoescape=True)
        quote = f'<blockquote class="source-quote{card}"{cite}>\n{text}\n</blockquote>\n'
    links = ""
    if url and social:
        links += f'<p class="source-link"><a href="{url}">View the original post</a></p>\n'
    if source.archive_url:
        links += (
            f'<p class="source-archive"><a href="{escape(source.archive_url)}">'
            "Archived copy</a></p>\n"
        )
    return _SOURCE.format(
        kind=escape(source.kind),
        id=source.pk,
        title=f'<a href="{url}">{title}</a>' if url else title,
        kind_label=escape(source.get_kind_display()),
        publisher=publisher,
        date=date,
        quote=quote,
        links=links,
    )


def sources_html(sources):
    """The "Sources" box: what the story rests on, as captured ("" without any)."""
    if not sources:
        return ""
    return mark_safe(  # noqa: S308 - every value escaped in source_html
        _SOURCES.format(items="".join(source_html(source) for source in sources))
    )


# --- Notes: corrections, clarifications, updates, editor's notes (issue 18 §1) ---------

_NOTES = '<aside class="story-notes story-notes-{place}" aria-label="{label}">\n{items}</aside>\n'
_NOTE = (
    '<div class="story-note story-note-{kind}" id="note-{id}">\n'
    '<p class="story-note-heading"><strong>{kind_label}</strong> {time}</p>\n'
    "{text}{amended}</div>\n"
)
_WITHDRAWN_NOTE = (
    '<div class="story-note story-note-withdrawn" id="note-{id}">\n'
    "<p>{kind_label} of {time} withdrawn on {withdrawn}.</p>\n</div>\n"
)
# Where each kind goes (README "Corrections"): above the story what changes
# how it is read, so nobody reads a wrong fact before its correction; at its
# end what adds to it, in the order it happened.
NOTE_PLACES = {"top": "Corrections and notes", "end": "Updates"}


def note_time(moment):
    local = timezone.localtime(moment)
    return (
        f'<time datetime="{local.isoformat()}">'
        f"{local.day} {MONTHS[local.month]} {local.year}, {local:%H:%M}</time>"
    )


def note_text_html(text):
    """A note's plain text: escaped, its web addresses made links (as in
    responses: rel="nofollow"), its line breaks kept."""
    return linebreaks(urlize(text, nofollow=True, autoescape=True), autoescape=False)


def note_html(note):
    kind_label = escape(note.get_kind_display())
    if note.withdrawn_at is not None:
        return _WITHDRAWN_NOTE.format(
            id=note.pk,
            kind_label=kind_label,
            time=note_time(note.noted_at),
            withdrawn=note_time(note.withdrawn_at),
        )
    amended = (
        f'<p class="story-note-amended">Amended on {note_time(note.amended_at)}</p>\n'
        if note.amended_at
        else ""
    )
    return _NOTE.format(
        kind=escape(note.kind),
        id=note.pk,
        kind_label=kind_label,
        time=note_time(note.noted_at),
        text=note_text_html(note.text) + "\n",
        amended=amended,
    )


def notes_html(notes, place):
    """The notes shown at `place` ("top" or "end"; "" when there are none)."""
    on_top = place == "top"
    shown = [note for note in notes if (note.kind in note.TOP_KINDS) == on_top]
    if not shown:
        return ""
    return mark_safe(  # noqa: S308 - every value escaped in note_html
        _NOTES.format(
            place=place,
            label=NOTE_PLACES[place],
            items="".join(note_html(note) for note in shown),
        )
    )


# --- The head and the navigation --------------------------------------------------------

# What Django's json_script escapes: inside <script>, "</script>" or "<!--"
# in a headline must not end the element. Escaped, the JSON means the same.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    """`data` (a dict, e.g. article.jsonld()) as a JSON-LD <script> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def meta_properties(data):
    """`data` (a dict, e.g. article.opengraph()) as `<meta property>` elements,
    one per value (a list gives one each, as `article:tag` wants); empty
    values are left out."""
    elements = []
    for name, content in data.items():
        for value in content if isinstance(content, list) else [content]:
            if value:
                elements.append(f'\n<meta property="{escape(name)}" content="{escape(value)}">')
    return mark_safe("".join(elements))  # noqa: S308 - both escaped


def section_links(nav_sections, *, current=None, containing=None):
    """The section navigation's items (`nav_sections`: [{"name", "slug",
    "url"}]), the `current` section's marked `aria-current="page"` (a section
    page) and the `containing` one's "true" (a story in it)."""
    items = []
    for item in nav_sections or ():
        slug = item["slug"]
        if slug == current:
            mark = ' aria-current="page"'
        elif slug == containing:
            mark = ' aria-current="true"'
        else:
            mark = ""
        items.append(f'\n<li><a href="{escape(item["url"])}"{mark}>{escape(item["name"])}</a></li>')
    return mark_safe("".join(items))  # noqa: S308 - every value escaped
