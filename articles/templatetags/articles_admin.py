"""`{% load articles_admin %}`: the editors' desk on the admin's front page."""

from django import template

from ..desk import desk_for

register = template.Library()


@register.inclusion_tag("admin/articles/_desk.html", takes_context=True)
def editors_desk(context):
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"desk": None}
    return {"desk": desk_for(user)}
