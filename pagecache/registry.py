"""What the apps hand the page cache from their `AppConfig.ready()`: the
page cache imports no app, so it learns here what it cannot know itself.

    pagecache.register(
        personal_cookies={"newsroom_pending": is_real},  # a page for this reader alone
        fetch_ahead=["articles:section-nav:v1"],        # read by every story page
        next_publication=next_scheduled_time,           # () -> datetime or None
    )
"""

from importlib import import_module

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.signals import setting_changed
from django.dispatch import receiver

# {cookie name: is_real(value) -> bool, or None: its presence is enough}
_personal_cookies = {}
# personal_cookie_checks() as last built: it is read by every request.
_all_personal_cookies = []
_fetch_ahead = []
_next_publication = []


def register(*, personal_cookies=(), fetch_ahead=(), next_publication=None):
    """- `personal_cookies`: cookies that make a page one visitor's. A request
      carrying a real one is never answered from the page cache, nor its page
      kept (nginx's micro-cache bypasses the same list, whatever the value:
      deploy/nginx/newsroom.conf). A dict {name: is_real}, where
      `is_real(value)` says whether the app set this value (a signature, a
      row that exists): a junk or forged cookie gets the anonymous cached page
      (issue 15 §9). A plain list of names: any value counts.
    - `fetch_ahead`: cache keys every story page reads (`cached_value`),
      fetched in the same round trip as the story's fragments.
    - `next_publication`: a function that returns when the next scheduled
      story goes live (a datetime, or None). Nothing cached outlives it: that
      story goes live by itself, and no purge happens then.
    """
    if not isinstance(personal_cookies, dict):
        personal_cookies = dict.fromkeys(personal_cookies)
    _personal_cookies.update(personal_cookies)
    _forget_personal_cookies()
    for key in fetch_ahead:
        if key not in _fetch_ahead:
            _fetch_ahead.append(key)
    if next_publication is not None:
        _next_publication[:] = [next_publication]


def personal_cookies():
    """The names of Django's own personal cookies (a session: a signed-in
    editor; a flash message waiting) and of those the apps registered.

    Not `csrftoken`: no cached page contains a CSRF token (the comment form is
    an uncached frame), and every reader who scrolls to that form gets the
    cookie for a year: bypassing on it would take nearly every returning
    reader out of every cache."""
    return tuple(personal_cookie_checks())


def personal_cookie_checks():
    """{name: is_real}: the personal cookies, each with how to tell a real one."""
    if not _all_personal_cookies:
        _all_personal_cookies.append(
            {
                settings.SESSION_COOKIE_NAME: is_session,
                CookieStorage.cookie_name: is_signed_messages,
                **_personal_cookies,
            }
        )
    return _all_personal_cookies[0]


@receiver(setting_changed)
def _forget_personal_cookies(**kwargs):
    _all_personal_cookies.clear()


def is_session(value):
    """A session cookie names a session the store holds, with something in it
    (a signed-in editor). One look-up in the session store (the cache, then
    the database): only requests that carry the cookie pay it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore(value)
    if store.session_key is None:  # not even shaped like a key: nothing to look up
        return False
    return bool(store.load())


def is_signed_messages(value):
    """Django's messages cookie carries its signature (CookieStorage)."""
    try:
        signing.get_cookie_signer(salt=CookieStorage.key_salt).unsign(value)
    except signing.BadSignature:
        return False
    return True


def fetch_ahead_keys():
    return tuple(_fetch_ahead)


def next_publication():
    """When the next scheduled story goes live (None: none, or nobody said)."""
    return _next_publication[0]() if _next_publication else None
