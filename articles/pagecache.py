"""The page cache and the fragment cache, with exact invalidation (issue 5 §2).

**What is cached.** Whole responses to anonymous GETs of the public pages that
`cached_page` marks (articles/urls.py: the article, home, section, tag and
author pages, every feed, the sitemap), in Django's cache, shared by every
server process (Redis in production). `PageCacheMiddleware`, early in
MIDDLEWARE, answers and keeps them, so a hit skips sessions, CSRF, auth,
messages, axes and the view, yet gets the security headers of the middleware
outside it. Fragments of the article page
(`cached_fragment`: the story, its head, a page of approved responses) for
the readers who must bypass the page cache (signed-in staff, a commenter with
a pending response), so their page is cheap too. PAGE_CACHE=0 and
FRAGMENT_CACHE=0 turn either off (benchmarks measure the cold render so).

**Never cached**: any request that carries one of PERSONAL_COOKIES (its page is
personal: the comments app's middleware also marks it `private, no-store`),
anything but GET/HEAD, a response that is not a plain 200, one that sets a
cookie or touches the session, and requests with a parameter the view reads
from the visitor (`?replyto=`). The admin, previews and refused comment posts
never come through here at all.

**Exact invalidation by versioned keys.** Every entry records the versions of
what it shows, read *before* it was rendered:

- `site`: everything (sections, authors, tags: the navigation and bylines are
  on every page);
- `listings`: every list of stories (home, sections, tags, authors, feeds,
  sitemap);
- `article:<id>`: one story's page (its text, its responses).

A purge gives a version a new random value (`purge_articles`, `purge_site`),
after the change is committed: articles/signals.py for stories, sections,
authors and tags, comments/moderation.py's `purge_pages_for` for responses.
A hit is an entry whose recorded versions are all still current, checked in
the same `get_many` round trip that fetches it. A version that the cache has
lost (evicted) matches nothing, so every entry built under it is stale: never
wrong, only colder. Random values rather than counters: two purges racing on
any cache backend still leave a value no reader has rendered under.

**Time.** Nothing cached outlives the next scheduled publication (a story whose
`published_at` is still ahead goes live by itself: no purge happens then), nor
what the page says about the clock (`page_expires_at`: e.g. the comment form
closes N days after publication).

**Headers.** A cacheable page goes out `public, max-age=0, s-maxage=N` (browsers
revalidate every time, so a commenter never sees their own stale copy; shared
caches, which we cannot purge, keep it PAGE_CACHE_SHARED_MAX_AGE seconds at
most) with an `ETag` and `Last-Modified`; a conditional GET that matches gets
a 304 straight from the cache, without a render.

docs/ARCHITECTURE.md ("Caching") tells the whole design and why.
"""

import contextvars
import functools
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started, setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

# Cookies that make a page personal. A request carrying any of them is never
# answered from the page cache and its page is never stored; the comments
# app's middleware marks its response `private, no-store`, and the nginx
# micro-cache (deploy/nginx/newsroom.conf) bypasses the same list.
# Not `csrftoken`: no cached page contains a CSRF token (the comment form is
# an uncached frame, comments/views.py), and every reader who scrolls to that
# form gets the cookie for a year: bypassing on it would take nearly every
# returning reader out of every cache.
PERSONAL_COOKIES = (
    "sessionid",  # settings.SESSION_COOKIE_NAME: a signed-in editor or moderator
    "messages",  # django.contrib.messages: a flash message waits ("Thank you — …")
    "newsroom_pending",  # comments/cookies.py: this reader's responses awaiting moderation
    "newsroom_commenter",  # comments/cookies.py: remembered name, email and website
)

SITE = "pagecache:v:site"
LISTINGS = "pagecache:v:listings"
NEXT_SCHEDULED = "pagecache:next-scheduled"
_NO_SCHEDULED_STORY = 0  # what NEXT_SCHEDULED holds when nothing is scheduled

# A page number worth caching: ?page=2, not ?page=02 nor ?page=abc (which the
# views answer too, but each spelling would be a cache entry of its own).
_MAX_PAGE_DIGITS = 6


def article_version(article_id):
    return f"pagecache:v:article:{article_id}"


def is_personal(request):
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


# --- Purges --------------------------------------------------------------------------


def purge_articles(article_ids):
    """These stories changed (text, state, responses): their pages and every list."""
    _new_versions([LISTINGS, *(article_version(pk) for pk in article_ids)])


def purge_site():
    """A section, author or tag changed: every page may show it."""
    _new_versions([SITE])


def forget_next_scheduled():
    """A story was saved or deleted: its publication time may be the next one."""
    cache.delete(NEXT_SCHEDULED)


def _new_versions(keys):
    cache.set_many({key: _fresh_version() for key in keys}, timeout=None)


def _fresh_version():
    return secrets.token_hex(8)


def _versions_before_rendering(keys, fetched):
    """The current version of each key, as read before the content is rendered
    (a purge committed after this read makes the entry stale at once). A key
    the cache does not hold gets a fresh version; if another process adds
    one first, theirs is read back."""
    versions = {key: fetched[key] for key in keys if key in fetched}
    for key in [key for key in keys if key not in versions]:
        candidate = _fresh_version()
        current = candidate if cache.add(key, candidate, timeout=None) else cache.get(key)
        if current is not None:  # else gone again at once: nothing is stored under it
            versions[key] = current
    return versions


# --- What a page says about itself while it renders ------------------------------------


def page_shows_article(request, article_id, *, also=()):
    """Called by a view: this page shows that story (its entry depends on its
    version). Its parts are fetched from the fragment cache now, in one round
    trip, for the render to find (`cached_fragment`), with the keys `also`
    names (e.g. its hero's renditions) and those every page reads
    (`also_fetch_ahead`), fragment cache or not (`cached_value`)."""
    _page_state(request)["dependencies"].add(article_version(article_id))
    if not _already_prefetched(article_id):
        _prefetch_fragments(article_id, also=also)


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


# --- The page cache ------------------------------------------------------------------


@dataclass(frozen=True)
class CachedPage:
    """How one view's pages are cached: what they depend on, which parameters
    are part of the key, which make a page personal (see `cached_page`)."""

    dependencies: tuple
    query_params: tuple
    personal_params: tuple

    def serve(self, request, render):
        """The response to `request`: from the cache, or `render()` (and kept)."""
        if request.method not in ("GET", "HEAD") or is_personal(request):
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


class PageCacheMiddleware:
    """Answers a cached page before the rest of the stack runs.

    Placed after SecurityMiddleware (its HTTPS redirect and headers), the
    Content-Security-Policy and Permissions-Policy middleware and whitenoise,
    so a page from the cache gets their headers exactly as a rendered one
    does; and before sessions, CSRF, auth, messages, axes and the view, so a
    hit costs none of them: one URL resolution, the host check, one cache
    round trip. A miss runs the rest of the stack, and what comes back out of
    it (X-Frame-Options and every inner middleware's headers included) is
    what is kept. Only addresses whose view is marked with `cached_page` are
    looked at; everything else passes straight through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        policy = self._policy(request)
        if policy is None:
            return self.get_response(request)
        # What CommonMiddleware would check first: an unknown Host is a 400,
        # never a cached page.
        request.get_host()
        request._page_cache_middleware = True
        return policy.serve(request, lambda: self.get_response(request))

    @staticmethod
    def _policy(request):
        if request.method not in ("GET", "HEAD") or is_personal(request):
            return None
        key = (getattr(request, "urlconf", None), request.path_info)
        try:
            return _POLICIES[key]
        except KeyError:
            pass
        try:
            match = resolve(request.path_info, key[0])
        except Resolver404:
            policy = None
        else:
            policy = getattr(match.func, "cached_page", None)
        if len(_POLICIES) >= _MAX_LEARNED:
            _POLICIES.clear()
        _POLICIES[key] = policy
        return policy


# Each path's view policy (or None: not a cached page), per process: resolving
# a path walks the URLconf, about a tenth of what a page-cache hit costs in
# Django. Forgotten on any changed setting (a test's ROOT_URLCONF).
_POLICIES = {}


@receiver(setting_changed)
def _forget_policies(**kwargs):
    _POLICIES.clear()


# Which versions each entry turned out to depend on (the article page learns
# its story's id only as it renders), so the next lookup of that page fetches
# them in the same round trip as the entry. A hint only, per process: a wrong
# or missing hint costs a second round trip, never a wrong page.
_LEARNED_DEPENDENCIES = {}
_MAX_LEARNED = 20_000


def _serve(request, key, dependencies, render):
    try:
        entry, current, guessed, fetched = _lookup(key, dependencies)
        if current:
            return _conditional(request, _from_entry(entry))
        versions = _versions_before_rendering(guessed, fetched)
    except Exception:
        # The cache is an optimisation: without it the page is rendered.
        logger.exception("Page cache skipped: the cache did not answer")
        return _public(request, render())

    response = render()
    if getattr(response, "database_outage", False) and entry is not None:
        # The database is away (newsroom/outage.py answered 503): the last
        # copy this page had, out of date by a purge or two, beats "back in a
        # moment". It is still in the cache until its own timeout.
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
            _store(key, response, {name: versions[name] for name in needed}, state["expires"])
        except Exception:
            logger.exception("Page not cached: the cache did not answer")
    return _conditional(request, response)


def _lookup(key, dependencies):
    """(the entry or None, whether it is current, the version keys read, what
    was read) in one round trip when this process knows what the page
    depends on. An entry that is not current is kept only for an outage."""
    guessed = [*dependencies, *_LEARNED_DEPENDENCIES.get(key, ())]
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


def _store(key, response, versions, expires):
    """Keep the page until the first of: PAGE_CACHE_TTL, what it said about
    the clock (`page_expires_at`), the next scheduled publication."""
    expires = min(expires, time.time() + settings.PAGE_CACHE_TTL, _next_scheduled())
    timeout = int(expires - time.time())
    if timeout < 1:
        return
    names = sorted(versions)
    entry = {
        "dependencies": names,
        "versions": [versions[name] for name in names],
        "expires": expires,
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }
    cache.set(key, entry, timeout)


def _learn(key, names, static):
    extra = tuple(sorted(set(names) - set(static)))
    if _LEARNED_DEPENDENCIES.get(key) != extra:
        if len(_LEARNED_DEPENDENCIES) >= _MAX_LEARNED:
            _LEARNED_DEPENDENCIES.clear()
        _LEARNED_DEPENDENCIES[key] = extra


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
            len(values) == 1
            and value.isascii()
            and value.isdigit()
            and len(value) <= _MAX_PAGE_DIGITS
            and value == str(int(value))
        )
        if not canonical:
            return None
        params.append((name, value))
    address = request.path + ("?" + urlencode(params) if params else "")
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"pagecache:page:{digest}"


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

    Itself cached until that moment, and forgotten whenever a story is saved.
    The query walks the (status, published_at) index from now: a few rows at most.
    """
    cached = cache.get(NEXT_SCHEDULED)
    if cached is None:
        from .models import Article  # lazily: the models import this module (rendering.py)

        moment = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        cached = moment.timestamp() if moment else _NO_SCHEDULED_STORY
        timeout = max(1, int(cached - time.time())) if moment else settings.PAGE_CACHE_TTL
        cache.set(NEXT_SCHEDULED, cached, timeout)
    return cached if cached != _NO_SCHEDULED_STORY else float("inf")


# --- The fragment cache --------------------------------------------------------------


# The fragments of the story being rendered, fetched ahead in one round trip
# with the versions they depend on (a page has several parts: one get_many
# instead of one each). Which keys to fetch is learned per process: those the
# previous render of that story used (e.g. the page of responses it showed), a
# hint only: a key it lacks is fetched alone. Keys that every page reads from
# the cache anyway (`also_fetch_ahead`: the section navigation) come in the
# same round trip, for `cached_value` to hand out.
# Reset at the start and end of every request.
class _FetchedAhead(NamedTuple):
    article_id: int
    fragments: frozenset  # the fragment keys asked for
    values: dict  # what the cache held, by key (a key it lacked is absent)
    others: frozenset  # the other keys asked for (`cached_value`)


_prefetched_fragments = contextvars.ContextVar("prefetched_fragments", default=None)
_LEARNED_FRAGMENTS = {}
_ALSO_FETCHED_AHEAD = []


def also_fetch_ahead(key):
    """Fetch `key` with a story's fragments (see `cached_value`)."""
    if key not in _ALSO_FETCHED_AHEAD:
        _ALSO_FETCHED_AHEAD.append(key)


def cached_value(key):
    """What the cache holds under `key` (None: nothing): from what was fetched
    ahead with this request's story (`also_fetch_ahead`, `page_shows_article`'s
    `also`), else in a round trip of its own. A cache that does not answer is
    a miss, as everywhere in this module."""
    prefetched = _prefetched_fragments.get()
    if prefetched is not None and key in prefetched.others:
        return prefetched.values.get(key)
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache skipped: it did not answer")
        return None


def _prefetch_fragments(article_id, *, also=()):
    learned = _LEARNED_FRAGMENTS.get(article_id) if settings.FRAGMENT_CACHE else None
    fragments = tuple(learned.values()) if learned else ()
    others = (*_ALSO_FETCHED_AHEAD, *also)
    if not fragments and not others:
        return
    versions = (SITE, article_version(article_id)) if fragments else ()
    try:
        fetched = cache.get_many([*fragments, *others, *versions])
    except Exception:
        logger.exception("Fragments not fetched ahead: the cache did not answer")
        return
    if fragments:
        # Learned afresh by this render: a part it no longer shows (the
        # responses' own fragment, once their whole section is cached) is not
        # fetched again.
        _LEARNED_FRAGMENTS[article_id] = {}
    _prefetched_fragments.set(
        _FetchedAhead(article_id, frozenset(fragments), fetched, frozenset(others))
    )


def _forget_prefetched_fragments(**kwargs):
    _prefetched_fragments.set(None)


request_started.connect(_forget_prefetched_fragments)
request_finished.connect(_forget_prefetched_fragments)


def _already_prefetched(article_id):
    prefetched = _prefetched_fragments.get()
    return prefetched is not None and prefetched.article_id == article_id


def _fetch_fragment(name, key, article_id, dependencies):
    """{key and its dependencies: what the cache holds}, from what was fetched
    ahead for this story if it includes the key, else in a round trip."""
    learned = _LEARNED_FRAGMENTS.get(article_id)
    if learned is None:
        if len(_LEARNED_FRAGMENTS) >= _MAX_LEARNED:
            _LEARNED_FRAGMENTS.clear()
        learned = _LEARNED_FRAGMENTS[article_id] = {}
    learned[name] = key
    if _already_prefetched(article_id) and key in _prefetched_fragments.get().fragments:
        fetched = _prefetched_fragments.get().values
        return {name: fetched[name] for name in (key, *dependencies) if name in fetched}
    return cache.get_many([key, *dependencies])


def cached_fragment(name, article_id, render, *, variant=(), usable=None):
    """One part of a story's page (its HTML, or the story's row), from the
    cache or from `render()`.

    Keyed by the story, the part's `name` and `variant` (e.g. the page of
    responses); valid while the site's and the story's versions are those it
    was rendered under. `usable(value)`, if given, must also hold of a cached
    value and of a rendered one before it is kept (see `cached_story`).
    FRAGMENT_CACHE=0: always `render()`.
    """
    if not settings.FRAGMENT_CACHE:
        return render()
    key = "pagecache:fragment:{}:{}:{}".format(
        name, article_id, ":".join(str(part) for part in variant)
    )
    dependencies = (SITE, article_version(article_id))
    try:
        fetched = _fetch_fragment(name, key, article_id, dependencies)
        entry = fetched.pop(key, None)
        if (
            entry is not None
            and entry[0] == [fetched.get(name) for name in dependencies]
            and (usable is None or usable(entry[1]))
        ):
            return entry[1]
        versions = _versions_before_rendering(dependencies, fetched)
    except Exception:
        logger.exception("Fragment cache skipped: the cache did not answer")
        return render()
    value = render()
    if versions.keys() >= set(dependencies) and (usable is None or usable(value)):
        try:
            entry = ([versions[name] for name in dependencies], value)
            cache.set(key, entry, settings.PAGE_CACHE_TTL)
        except Exception:
            logger.exception("Fragment not cached: the cache did not answer")
    return value


# Which story each article address named, as last seen by this process: a
# hint for `cached_story`, checked against the cached row before it is used.
_LEARNED_STORIES = {}


def cached_story(address, fetch, answers):
    """The row of the story an article page shows, for a reader who bypasses
    the page cache: from the fragment cache when this process has served
    `address` before, in the same round trip as the page's parts; else
    `fetch()` (the database, through the QuerySet that says what is public;
    it raises Http404 for anything else).

    A cached row is kept under the story's and the site's versions like any
    fragment, so an edit, a new response or a section's rename retires it;
    `answers(row)` must hold of it too: the visibility rule re-checked on the
    row itself, now (a story unpublished by a scheduled time, not by an edit,
    leaves no purge behind), and that it is still the story at that address.
    A fetched row is kept only if it is the story this process expected
    there (a hint that turns out wrong is only corrected, for next time).
    """
    article_id = _LEARNED_STORIES.get(address) if settings.FRAGMENT_CACHE else None
    if article_id is None:
        row = fetch()
    else:
        _prefetch_fragments(article_id)
        row = cached_fragment(
            "row",
            article_id,
            fetch,
            usable=lambda row: row.pk == article_id and answers(row),
        )
    if settings.FRAGMENT_CACHE and article_id != row.pk:
        if len(_LEARNED_STORIES) >= _MAX_LEARNED:
            _LEARNED_STORIES.clear()
        _LEARNED_STORIES[address] = row.pk
    return row
