"""The page cache: whole responses to anonymous GETs of the pages that
`cached_page` marks, shared by every server process (Redis in production).

**Never cached**: any request that carries a personal cookie
(`registry.personal_cookies`: its page is personal; a junk or forged one,
which the app that set it says is not its own, counts for nothing: issue 15
§9), anything but GET/HEAD, a
response that is not a plain 200, one that sets a cookie or touches the
session, and requests with a parameter the view reads from the visitor
(`?replyto=`). The admin, previews and refused comment posts never come
through here at all.

**Exact invalidation** by the versions an entry recorded (versions.py); a hit
is an entry whose recorded versions are all still current, checked in the
same `get_many` round trip that fetches it.

**Time.** Nothing cached outlives the next scheduled publication (a story
whose time is still ahead goes live by itself: no purge happens then), nor
what the page says about the clock (`page_expires_at`: e.g. the comment form
closes N days after publication).

**Headers.** A cacheable page goes out `public, max-age=0, s-maxage=N`
(browsers revalidate every time, so a commenter never sees their own stale
copy; shared caches, which we cannot purge, keep it PAGE_CACHE_SHARED_MAX_AGE
seconds at most) with an `ETag` and `Last-Modified`; a conditional GET that
matches gets a 304 straight from the cache, without a render.

**One address per page.** A page number written another way (`?page=01`,
`?cpage=0002`) is a 301 to the one way (`?page=1`), other parameters kept: a
spelling of its own would be a full render every time.

**The database away.** A page the database cannot render (core/outage.py's
503) is answered with the last copy the cache holds, even one a purge made
out of date, but never a copy rendered before a takedown of anything it
shows (versions.py's tombstones, checked in one more round trip, during an
outage only).
"""

import functools
import hashlib
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date, parse_http_date_safe

from core.cache import CacheUnavailable
from core.numbers import is_canonical_number, parse_number

from .hints import hints
from .registry import next_publication, personal_cookie_checks
from .versions import (
    LISTINGS,
    SITE,
    article_version,
    taken_down_since,
    versions_before_rendering,
)

logger = logging.getLogger(__name__)

NEXT_SCHEDULED = "pagecache:next-scheduled"
_NO_SCHEDULED_STORY = 0  # what NEXT_SCHEDULED holds when nothing is scheduled

# A page number worth caching: ?page=2, not ?page=02 nor ?page=abc (which the
# views answer too, but each spelling would be a cache entry of its own).
_MAX_PAGE_DIGITS = 6


def is_personal(request):
    """Whether this request carries a personal cookie that is real: one its
    app says it set (a signature, a session that exists), not junk. Only a
    request that carries such a cookie pays for the check, once."""
    cookies = request.COOKIES
    if not cookies:
        return False
    known = getattr(request, "_page_cache_personal", None)
    if known is None:
        known = request._page_cache_personal = any(
            _is_real(is_real, cookies[name])
            for name, is_real in personal_cookie_checks().items()
            if name in cookies
        )
    return known


def _is_real(is_real, value):
    if is_real is None:  # registered without a check: its presence is enough
        return True
    try:
        return bool(is_real(value))
    except Exception as error:
        # Cannot tell (the session store is away): personal, as before the check.
        logger.warning("Personal cookie not checked (%s: %s)", type(error).__name__, error)
        return True


def forget_next_scheduled():
    """A story was saved or deleted: its publication time may be the next one."""
    cache.delete(NEXT_SCHEDULED)


# --- What a page says about itself while it renders ------------------------------------


def page_depends_on_article(request, article_id):
    """This page shows that story: its entry depends on the story's version."""
    _page_state(request)["dependencies"].add(article_version(article_id))


def page_expires_at(request, moment):
    """Called while rendering: what this page says stops being true at `moment`
    (e.g. the comment form closes), so no cached copy outlives it."""
    if moment is not None:
        state = _page_state(request)
        state["expires"] = min(state["expires"], moment.timestamp())


def page_is_a_copy(request):
    """Called while rendering: this address shows what another one does (e.g.
    a page number past the last page): answer it, but keep no copy of it."""
    _page_state(request)["storable"] = False


def _page_state(request):
    state = getattr(request, "_page_cache", None)
    if state is None:
        state = {"dependencies": set(), "expires": float("inf"), "storable": True}
        request._page_cache = state
    return state


# --- How a view's pages are cached ------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    """How one view's pages are cached: what they depend on, which parameters
    are part of the key, which make a page personal (see `cached_page`)."""

    dependencies: tuple
    query_params: tuple
    personal_params: tuple

    def serve(self, request, render):
        """The response to `request`: from the cache, or `render()` (and kept)."""
        if request.method not in ("GET", "HEAD"):
            return render()
        canonical = _canonical_address(request, self.query_params)
        if canonical is not None:
            return HttpResponsePermanentRedirect(canonical)
        if is_personal(request):
            return render()
        if any(name in request.GET for name in self.personal_params):
            response = render()
            patch_cache_control(response, private=True, no_store=True)
            return response
        key = _entry_key(request, self.query_params) if settings.PAGE_CACHE else None
        if key is None:
            return _public(request, render())
        return _serve(request, key, self.dependencies, render)


def cached_page(view=None, *, shows_listings=True, query_params=("page",), personal_params=()):
    """Mark a public view so anonymous GETs are answered from the page cache.

    `PageCacheMiddleware` serves and stores its pages, early in the stack;
    where that middleware is not installed, the view does it itself.

    - `shows_listings`: the page lists stories (depends on LISTINGS); the
      article page does not, it names its story with `page_shows_article`.
    - `query_params`: the parameters the view reads; they are part of the
      cache key (any other parameter, e.g. `utm_source`, is ignored by the
      view and so by the key).
    - `personal_params`: parameters that make the page one visitor's (the
      article page's `?replyto=`): such a request is rendered, private.
    """
    if view is None:
        return functools.partial(
            cached_page,
            shows_listings=shows_listings,
            query_params=query_params,
            personal_params=personal_params,
        )
    policy = CachedPage(
        dependencies=(SITE, LISTINGS) if shows_listings else (SITE,),
        query_params=tuple(query_params),
        personal_params=tuple(personal_params),
    )

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        if getattr(request, "_page_cache_middleware", False):
            return view(request, *args, **kwargs)  # the middleware looks after it
        return policy.serve(request, lambda: view(request, *args, **kwargs))

    page.cached_page = policy
    return page


# --- Serving and storing ------------------------------------------------------------------


def _serve(request, key, dependencies, render):
    # Before anything is read: a copy is as old as the first thing it read.
    started = time.time()
    try:
        entry, current, guessed, fetched = _lookup(key, dependencies)
        if current:
            return _conditional(request, _from_entry(entry))
        versions = versions_before_rendering(guessed, fetched)
    except Exception:
        # The cache is an optimisation: without it the page is rendered.
        logger.exception("Page cache skipped: the cache did not answer")
        return _public(request, render())

    response = render()
    if getattr(response, "database_outage", False) and entry is not None:
        # The database is away (core/outage.py answered 503): the last
        # copy this page had, out of date by a purge or two, beats "back in a
        # moment" (it is still in the cache until its own timeout); unless
        # something it shows was taken down since it was rendered.
        if taken_down_since_rendered(entry):
            logger.warning(
                "Database unavailable: the last cached copy of %s shows what was taken down",
                request.path,
            )
            return response
        logger.warning("Database unavailable: served the last cached copy of %s", request.path)
        return _conditional(request, _from_entry(entry))
    state = _page_state(request)
    needed = {*dependencies, *state["dependencies"]}
    _learn(key, needed, dependencies)
    response = _with_public_headers(response)
    # Store only what was rendered under versions read beforehand: a story the
    # page turned out to show but whose version was not read first (the first
    # render of an address in this process) is stored next time.
    if (
        response.status_code == 200
        and state["storable"]
        and needed <= versions.keys()
        and _storable(request, response)
    ):
        try:
            versions_read = {name: versions[name] for name in needed}
            _store(key, response, versions_read, state["expires"], rendered=started)
        except Exception:
            logger.exception("Page not cached: the cache did not answer")
    return _conditional(request, response)


def _lookup(key, dependencies):
    """(the entry or None, whether it is current, the version keys read, what
    was read) in one round trip when this process knows what the page
    depends on. An entry that is not current is kept only for an outage."""
    guessed = [*dependencies, *hints.dependencies.get(key, ())]
    fetched = cache.get_many([key, *guessed])
    entry = fetched.pop(key, None)
    if entry is None:
        return None, False, guessed, fetched
    recorded = dict(zip(entry["dependencies"], entry["versions"], strict=True))
    unfetched = [name for name in recorded if name not in fetched]
    if unfetched:
        fetched.update(cache.get_many(unfetched))
        guessed += unfetched
        _learn(key, recorded, dependencies)
    current = entry["expires"] > time.time() and all(
        fetched.get(name) == version for name, version in recorded.items()
    )
    return entry, current, guessed, fetched


def taken_down_since_rendered(entry):
    """Whether anything this copy shows was taken down after it was rendered
    (a copy stored before tombstones existed: if anything it shows was). A
    cache that cannot say: taken down (a takedown fails closed)."""
    try:
        return taken_down_since(entry["dependencies"], entry.get("rendered", 0))
    except CacheUnavailable:
        return True


def _store(key, response, versions, expires, *, rendered):
    """Keep the page until the first of: PAGE_CACHE_TTL, what it said about
    the clock (`page_expires_at`), the next scheduled publication.
    `rendered`: when its render began (for the tombstones)."""
    expires = min(expires, time.time() + settings.PAGE_CACHE_TTL, _next_scheduled())
    timeout = int(expires - time.time())
    if timeout < 1:
        return
    names = sorted(versions)
    entry = {
        "dependencies": names,
        "versions": [versions[name] for name in names],
        "expires": expires,
        "rendered": rendered,
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }
    cache.set(key, entry, timeout)


def _learn(key, names, static):
    extra = tuple(sorted(set(names) - set(static)))
    if hints.dependencies.get(key) != extra:
        hints.dependencies[key] = extra


def _entry_key(request, query_params):
    """The cache key of this page, or None when a parameter is not spelled the
    one way worth caching (the page is then rendered, not stored)."""
    params = []
    for name in query_params:
        values = request.GET.getlist(name)
        if not values:
            continue
        value = values[0]
        canonical = (
            len(values) == 1 and len(value) <= _MAX_PAGE_DIGITS and is_canonical_number(value)
        )
        if not canonical:
            return None
        params.append((name, value))
    address = request.path + ("?" + urlencode(params) if params else "")
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{digest}"


def _canonical_address(request, query_params):
    """This address with its page numbers written the one way (`?page=01` →
    `?page=1`, every other parameter kept), or None when they already are, or
    are no number at all (the view answers those; they are not kept)."""
    if not request.META.get("QUERY_STRING"):
        return None
    canonical = None
    for name in query_params:
        values = request.GET.getlist(name)
        if len(values) != 1 or is_canonical_number(values[0]):
            continue
        # Leading zeros only: "" or "²" is no number, for the view to answer.
        digits = values[0].lstrip("0") or "0"
        if len(digits) >= len(values[0]):
            continue
        number = parse_number(digits, max_digits=_MAX_PAGE_DIGITS)
        if number is None:
            continue
        if canonical is None:
            canonical = request.GET.copy()
        canonical[name] = str(number)
    if canonical is None:
        return None
    return f"{escape_uri_path(request.path)}?{canonical.urlencode()}"


def _storable(request, response):
    """Nothing personal: no cookie set, no session touched, no CSRF token used."""
    if response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def _public(request, response):
    return _conditional(request, _with_public_headers(response))


def _with_public_headers(response):
    """The headers of a page anyone may share: public for a moment in shared
    caches, revalidated by browsers every time, with validators."""
    if response.status_code != 200 or response.streaming:
        return response
    if callable(getattr(response, "render", None)):
        response.render()  # a TemplateResponse: the ETag needs the content
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE
    )
    if not response.has_header("ETag"):
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response["ETag"] = f'"{digest}"'
    # When this copy was rendered, even where the view said otherwise (a feed
    # says its newest story's date, which goes back in time when that story
    # is taken down): a change always means a later render. The ETag is the
    # exact validator; this one counts whole seconds.
    response["Last-Modified"] = http_date()
    return response


def _conditional(request, response):
    """A matching conditional GET (If-None-Match, If-Modified-Since) gets a 304."""
    if response.status_code != 200 or not response.has_header("ETag"):
        return response
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def _from_entry(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    return response


def _next_scheduled():
    """When the next scheduled story goes live, as a timestamp (infinity: none).

    Itself cached until that moment, and forgotten whenever a story is saved
    (`forget_next_scheduled`). The apps say how to find it
    (`register(next_publication=...)`).
    """
    cached = cache.get(NEXT_SCHEDULED)
    if cached is None:
        moment = next_publication()
        cached = moment.timestamp() if moment else _NO_SCHEDULED_STORY
        timeout = max(1, int(cached - time.time())) if moment else settings.PAGE_CACHE_TTL
        cache.set(NEXT_SCHEDULED, cached, timeout)
    return cached if cached != _NO_SCHEDULED_STORY else float("inf")
