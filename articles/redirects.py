"""Links that never break (issue 16 §1): every address a published story,
section or tag ever had keeps answering.

The table is `Redirect` (models.py): an old path (and, for WordPress's query
addresses such as `/?p=123`, a query key and value) that answers 301 to a new
path, or 410 Gone. It is read only where the answer would otherwise be 404
(`RedirectFallbackMiddleware`), or, for the query addresses, before the page
cache (`QueryAddressRedirectMiddleware`: `/` is a real page, so `/?p=123`
would otherwise be answered as the home page). Each lookup reads one indexed
row and is kept in the cache until a redirect changes (`lookup`).

Rows are written by the models themselves (`Article.save`, `Section.save`,
`Tag.save`, a story's deletion: see `Redirect.objects`), by editors in the
admin, and (a later issue) by the WordPress importer.
"""

from django.core.cache import cache
from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.template import loader
from django.utils.cache import patch_cache_control

from .models import REDIRECT_LOOKUPS_VERSION, Redirect, redirect_cache_key, redirect_key

# WordPress's query addresses: a post, a page, a category.
QUERY_KEYS = ("p", "page_id", "cat")
# What the cache holds for a path with no redirect (None is "not cached").
_NOTHING = ""


def lookup(path, query_key="", query_value=""):
    """(target path or None, gone) for an old address; (None, False): none."""
    version = cache.get(REDIRECT_LOOKUPS_VERSION) or "0"
    key = redirect_cache_key(redirect_key(path, query_key, query_value), version)
    found = cache.get(key)
    if found is None:
        found = Redirect.objects.resolve(path, query_key, query_value)
        found = _NOTHING if found is None else found
        cache.set(key, found, None)
    if found == _NOTHING:
        return None, False
    return (None, True) if found == Redirect.GONE else (found, False)


def answer(request, target, gone):
    """The 301 to `target`, or the site's own 410 page."""
    if gone:
        html = loader.render_to_string("410.html", request=request)
        response = HttpResponseGone(html)
    else:
        response = HttpResponsePermanentRedirect(target)
    # Shared caches may keep it as long as a page (the redirect is purged as pages are).
    patch_cache_control(response, public=True, max_age=0)
    return response


class RedirectFallbackMiddleware:
    """A 404 that an old address explains becomes its 301 or 410 (as
    django.contrib.redirects does, with our table)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        target, gone = lookup(request.path)
        if target is None and not gone:
            return response
        return answer(request, target, gone)


class QueryAddressRedirectMiddleware:
    """`/?p=123` (and `page_id`, `cat`): an old WordPress address, answered
    before the page cache would take it for the home page. Anything else
    passes straight through, at the cost of one dictionary lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/" and request.GET:
            for name in QUERY_KEYS:
                value = request.GET.get(name)
                if value:
                    target, gone = lookup("/", name, value)
                    if target is not None or gone:
                        return answer(request, target, gone)
        return self.get_response(request)
