"""`{% load articles_tags %}`: how templates reach the markup Python writes
(articles/html.py) and what a story's page shows besides its own row."""

from django import template
from django.utils.safestring import mark_safe

from articles import html
from articles.models import iso_datetime
from articles.queries import page_relations

register = template.Library()


@register.filter
def jsonld_script(data):
    """`data` (a dict, e.g. article.jsonld()) as a JSON-LD <script> element."""
    return html.jsonld_script(data)


@register.filter
def meta_properties(data):
    """`data` (a dict, e.g. article.opengraph()) as `<meta property>` elements.
    One filter rather than a template loop: the head of every cold story
    render draws a dozen of them."""
    return html.meta_properties(data)


@register.simple_tag(takes_context=True)
def section_links(context):
    """The section navigation's items (`nav_sections`), the current section
    marked. Drawn in Python rather than by a template loop: it is on every
    page, and a loop resolves five variables per section per render."""
    section = context.get("section")
    article = context.get("article")
    return html.section_links(
        context.get("nav_sections"),
        current=getattr(section, "slug", None),
        containing=getattr(getattr(article, "section", None), "slug", None),
    )


@register.filter
def story_authors(article):
    """The story's authors in byline order (from queries.page_relations: the
    bylines, tags, pull-quotes and sources come in one query, the first time
    a part of the page asks)."""
    return page_relations(article).authors


@register.filter
def story_tags(article):
    """The story's tags (queries.page_relations)."""
    return page_relations(article).tags


@register.simple_tag
def story_jsonld(article):
    """The story's schema.org NewsArticle as a JSON-LD <script> element."""
    return html.jsonld_script(article.jsonld(page_relations(article)))


@register.simple_tag
def story_opengraph(article):
    """The story's Open Graph `<meta property>` elements."""
    return html.meta_properties(article.opengraph(page_relations(article)))


@register.simple_tag
def story_body(article):
    """The story's body with its pull-quotes between the paragraphs."""
    parts = html.body_with_pull_quotes(
        article.sanitised_body(), page_relations(article).pull_quotes
    )
    return html.body_html(parts, article_id=article.pk)


@register.simple_tag
def story_sources(article):
    """The "Sources" box under the story ("" when it has none)."""
    return html.sources_html(page_relations(article).sources)


@register.simple_tag
def story_notes(article, place):
    """The story's notes shown at `place`: "top" (corrections, clarifications,
    editor's notes) or "end" (updates); "" when it has none there."""
    return html.notes_html(page_relations(article).notes, place)


@register.filter
def note_text(text):
    """A note's plain text with its web addresses as links (articles/html.py)."""
    return mark_safe(html.note_text_html(text))  # noqa: S308 - escaped by urlize


@register.filter
def responses_label(count):
    """A story's response count (`comment_count`) in words, wherever it is shown
    (the heading over the responses, lists of stories): "No Responses yet",
    "1 Response", "12 Responses"."""
    if not count:
        return "No Responses yet"
    return "1 Response" if count == 1 else f"{count} Responses"


@register.filter
def iso(moment):
    """A datetime for `<time datetime>` (see models.iso_datetime)."""
    return iso_datetime(moment) or ""
