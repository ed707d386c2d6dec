"""Template filters of the public site."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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
