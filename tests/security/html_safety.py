"""What in a page could run: the HTML-level check behind tests/security/test_xss.py.

A page is parsed as a browser parses it (html5lib implements the WHATWG
parsing algorithm, so `<scr<script>ipt>`, foreign SVG/MathML content and
broken markup end up as a browser would have them), then every element and
attribute is checked against what our own templates produce:

- a <script> must be one of our files (under STATIC_URL, or the admin's
  JavaScript catalogue) or an inert data block (JSON-LD, JSON, import map);
- no attribute may be an event handler (on*);
- no URL attribute may hold a javascript:, vbscript: or data: URL, however it
  is spelled (entities, case, whitespace and control characters);
- no element that loads or runs other content (iframe, object, embed, base,
  meta refresh, <style>, SVG animation and foreignObject) may appear, but for
  our own frame of the response form;
- no style attribute may hold script (expression(), javascript:).
"""

import json
import re
from urllib.parse import urlsplit

import html5lib
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

INERT_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap"}

# Our own frames: the response form is framed at the end of each story.
OUR_FRAMES = {"comments:form"}

URL_ATTRIBUTES = {
    "action",
    "archive",
    "background",
    "cite",
    "classid",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "profile",
    "src",
    "srcset",
    "usemap",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")

# Elements none of our templates produce: present, they came from a payload.
FORBIDDEN_ELEMENTS = {
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "object",
    "style",
    "template",
    "xmp",
    "plaintext",
    "listing",
    "noembed",
    "portal",
    # SVG that runs or loads things (Django's admin draws icons with inline
    # <svg> and <use>, so SVG itself is allowed, these never):
    "animate",
    "animatemotion",
    "animatetransform",
    "set",
    "foreignobject",
    "handler",
    "listener",
}

# Browsers drop ASCII tab and newline anywhere in a URL, and C0 controls and
# spaces around it, before they read its scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def local_name(name):
    """ "{namespace}name" (html5lib's spelling for SVG, MathML, xlink) -> "name"."""
    return name.rsplit("}", 1)[-1].lower()


def _scheme_is_dangerous(value):
    return _URL_NOISE.sub("", value).lower().startswith(DANGEROUS_SCHEMES)


def _script_is_ours(element, allowed_prefixes):
    if element.tag != "script":  # a namespaced (SVG) script is never ours
        return False
    src = element.get("src")
    if src:
        return src.startswith(allowed_prefixes)
    script_type = (element.get("type") or "").strip().lower()
    if script_type not in INERT_SCRIPT_TYPES:
        return False
    json.loads(element.text or "")  # a broken data block means something broke out
    return True


def _frame_is_ours(element):
    src = element.get("src") or ""
    if element.get("srcdoc") is not None or not src.startswith("/") or src.startswith("//"):
        return False
    try:
        return resolve(urlsplit(src).path).view_name in OUR_FRAMES
    except Resolver404:
        return False


def dangers(html):
    """Every part of `html` that a browser could run, as readable strings."""
    allowed_prefixes = (settings.STATIC_URL, reverse("admin:jsi18n"))
    document = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):  # comments
            continue
        name = local_name(element.tag)
        where = f"<{name}>"
        if name == "script" and not _script_is_ours(element, allowed_prefixes):
            found.append(f"script {where}: {element.get('src') or (element.text or '')[:80]!r}")
        if name in FORBIDDEN_ELEMENTS and not (name == "iframe" and _frame_is_ours(element)):
            found.append(f"element {where}")
        if name == "meta" and element.get("http-equiv"):
            found.append(f"meta http-equiv={element.get('http-equiv')!r}")
        for attribute, value in element.attrib.items():
            attribute_name = local_name(attribute)
            if attribute_name.startswith("on"):
                found.append(f"event handler {where} {attribute_name}={value!r}")
            elif attribute_name in URL_ATTRIBUTES:
                urls = value.split(",") if attribute_name == "srcset" else [value]
                if any(_scheme_is_dangerous(url) for url in urls):
                    found.append(f"URL {where} {attribute_name}={value!r}")
            elif attribute_name == "style" and re.search(
                r"expression\s*\(|javascript:|behavior:|-moz-binding", value, re.IGNORECASE
            ):
                found.append(f"style {where} {value!r}")
    return found


def text_of(html, tag):
    """The text of every `tag` element of a page, as a browser shows it."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return ["".join(element.itertext()) for element in document.iter(tag)]
