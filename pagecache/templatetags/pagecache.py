"""`{% load pagecache %}`: `{% storypart %}`, a part of a story's page kept in
the fragment cache."""

from django import template
from django.utils.safestring import mark_safe

from ..fragments import cached_fragment

register = template.Library()


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
    of the story, from the fragment cache after that, so a reader who
    bypasses the page cache still gets it cheaply. Whatever the part needs
    (the story's bylines, tags, quotes and sources) is fetched only when it is
    rendered. A page with `is_preview` in its context (an unpublished state)
    renders every part and keeps none."""
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
