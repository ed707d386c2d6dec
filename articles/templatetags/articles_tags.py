"""Template filters of the public site, and `{% storypart %}` (the fragment cache)."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.pagecache import cached_fragment
from articles.rendering import iso_datetime

register = template.Library()

# What Django's json_script escapes: inside <script>, "</script>" or "<!--"
# in a headline must not end the element. Escaped, the JSON means the same.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld_script(data):
    """`data` (a dict, e.g. article.jsonld()) as a JSON-LD <script> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def meta_properties(data):
    """`data` (a dict, e.g. article.opengraph()) as `<meta property>` elements,
    one per value (a list gives one each, as `article:tag` wants); empty
    values are left out. One filter rather than a template loop: the head of
    every cold story render draws a dozen of them."""
    elements = []
    for name, content in data.items():
        for value in content if isinstance(content, list) else [content]:
            if value:
                elements.append(f'\n<meta property="{escape(name)}" content="{escape(value)}">')
    return mark_safe("".join(elements))  # noqa: S308 - both escaped


@register.simple_tag(takes_context=True)
def section_links(context):
    """The section navigation's items (`nav_sections`), the current section
    marked `aria-current="page"` (a section page) or "true" (a story in it).
    Drawn here rather than by a template loop: it is on every page, and a loop
    resolves five variables per section per render."""
    section = context.get("section")
    article = context.get("article")
    current = getattr(section, "slug", None)
    containing = getattr(getattr(article, "section", None), "slug", None)
    items = []
    for item in context.get("nav_sections") or ():
        slug = item["slug"]
        if slug == current:
            mark = ' aria-current="page"'
        elif slug == containing:
            mark = ' aria-current="true"'
        else:
            mark = ""
        items.append(f'\n<li><a href="{escape(item["url"])}"{mark}>{escape(item["name"])}</a></li>')
    return mark_safe("".join(items))  # noqa: S308 - every value escaped


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
    """A datetime for `<time datetime>` (see rendering.iso_datetime)."""
    return iso_datetime(moment) or ""


class StoryPartNode(template.Node):
    def __init__(self, name, article, nodelist):
        self.name = name
        self.article = article
        self.nodelist = nodelist

    def render(self, context):
        article = self.article.resolve(context)

        def render_part():
            return self.nodelist.render(context)

        if context.get("is_preview"):
            # A preview shows an unpublished state and its own head: never kept.
            return render_part()
        return mark_safe(cached_fragment(self.name, article.pk, render_part))  # noqa: S308


@register.tag
def storypart(parser, token):
    """`{% storypart "story" article %}…{% endstorypart %}`: a part of the story's
    page that shows only the story (and the site): rendered once per version
    of the story, from the fragment cache after that (articles/pagecache.py),
    so a reader who bypasses the page cache still gets it cheaply. The story's
    bylines, tags, quotes and sources are fetched only when a part is
    rendered (`Article.page_relations`)."""
    try:
        _, name, article = token.split_contents()
    except ValueError as error:
        raise template.TemplateSyntaxError(
            '{% storypart %} takes a name and a story: {% storypart "story" article %}'
        ) from error
    if not (name[0] == name[-1] and name[0] in "'\""):
        raise template.TemplateSyntaxError("{% storypart %}'s name is a quoted string")
    nodelist = parser.parse(("endstorypart",))
    parser.delete_first_token()
    return StoryPartNode(name[1:-1], parser.compile_filter(article), nodelist)
