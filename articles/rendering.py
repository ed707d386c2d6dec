"""How a story is drawn: its body with the pull-quotes set between its
paragraphs, and its hero image as `<img srcset>` data.

A pull-quote says "after paragraph N" (issue 2 §3): N counts the body's
top-level paragraphs (`<p>` directly in the body, not those inside a list or a
blockquote); 0 puts it before the first block; past the end, it goes last.
The result is a list of parts drawn in order (`body_html`): the sanitised
body's own HTML, and each quote's markup (`pull_quote_html`).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.cache import cache
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from . import pagecache

# Elements with no end tag: they never open a level of nesting.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


def iso_datetime(moment):
    """ISO 8601 in the site's time zone, to the second, as readers see the
    date (and as HTML's `<time datetime>` allows: at most 3 fractional
    digits); None for no date."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


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

    `body_html` must already be sanitised (Article.body_parts passes it
    through the body field's nh3 allowlist), which is why it is marked safe
    here and nowhere else.
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


@dataclass(frozen=True)
class HeroImage:
    """What an `<img>` of the hero needs: a default source, the srcset of
    the renditions, and the intrinsic size (so the page does not jump)."""

    src: str
    srcset: str
    width: int
    height: int
    urls: tuple


def image_size(field_file):
    """(width, height) of an uploaded image, or None if it cannot be read.

    Read once and cached: an upload's name never changes content (storage
    gives a new upload a new name), so the size can be kept forever. A file
    gone missing from storage gives None, and the page shows no image rather
    than an error.
    """
    if not field_file:
        return None
    key = f"articles:image-size:{field_file.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = (field_file.width, field_file.height)
        except (OSError, ValueError, TypeError):
            return None
        cache.set(key, size, None)
    return tuple(size)


def fit_width(size, max_width):
    """The size a ResizeToFit(width=max_width, upscale=False) rendition has."""
    width, height = size
    if width <= max_width:
        return width, height
    return max_width, round(height * max_width / width)


def fit_box(size, max_width, max_height):
    """The size a ResizeToFit(max_width, max_height) rendition has (upscaled too)."""
    width, height = size
    ratio = min(max_width / width, max_height / height)
    return round(width * ratio), round(height * ratio)


# How long a hero's HeroImage is kept in the cache. Its URLs never change
# for an upload (names are unique), but asking imagekit for them is also what
# makes a rendition that went missing from storage again: a day bounds that.
HERO_CACHE_SECONDS = 24 * 60 * 60


def hero_image(article, widths, default_width):
    """The article's hero as a HeroImage, or None without a readable image.

    `widths` are the renditions' widths, narrowest first, each an attribute
    `hero_<width>` of the article; a rendition that would be no wider than
    the previous one (a small original is never upscaled) is left out.

    Kept in the cache per upload: imagekit names each rendition by hashing
    its whole spec, which was about 5% of a cold render of a story.
    """
    if not article.hero_image:
        return None
    key = hero_cache_key(article, widths, default_width)
    hero = pagecache.cached_value(key)
    if hero is None:
        hero = _hero_image(article, widths, default_width)
        if hero is not None:
            cache.set(key, hero, HERO_CACHE_SECONDS)
    return hero


def hero_cache_key(article, widths, default_width):
    """Where `hero_image` keeps a story's HeroImage (None: it has no hero)."""
    if not article.hero_image:
        return None
    return f"articles:hero:{article.hero_image.name}:{'-'.join(map(str, widths))}:{default_width}"


def _hero_image(article, widths, default_width):
    size = image_size(article.hero_image)
    if size is None:
        return None
    candidates = []
    seen_widths = set()
    for width in widths:
        rendered = fit_width(size, width)
        if rendered[0] in seen_widths:
            continue
        seen_widths.add(rendered[0])
        candidates.append((getattr(article, f"hero_{width}").url, width, rendered))
    src = next(
        (url for url, width, _ in reversed(candidates) if width <= default_width),
        candidates[0][0],
    )
    largest = candidates[-1][2]
    return HeroImage(
        src=src,
        srcset=", ".join(f"{url} {rendered[0]}w" for url, _, rendered in candidates),
        width=largest[0],
        height=largest[1],
        urls=tuple(url for url, _, _ in candidates),
    )


# --- The story's pull-quotes and sources, drawn in Python ---------------------------
#
# Why not templates: an `{% include %}` per quote and a template loop per
# source, with their filters, were about a fifth of a cold render of a story
# after its queries were made cheap (docs/performance.md). Here each is one
# `str.format` of a fixed string with every value escaped (`escape`,
# `linebreaks`, `linebreaksbr` escape first); the markup is all below.

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
