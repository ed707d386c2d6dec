"""What the apps hand the page cache from their `AppConfig.ready()`: the
page cache imports no app, so it learns here what it cannot know itself.

    pagecache.register(
        personal_cookies=["newsroom_pending"],      # a page for this reader alone
        fetch_ahead=["articles:section-nav:v1"],    # read by every story page
        next_publication=next_scheduled_time,       # () -> datetime or None
    )
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_personal_cookies = []
# personal_cookies() as last built: it is read by every request.
_all_personal_cookies = []
_fetch_ahead = []
_next_publication = []


def register(*, personal_cookies=(), fetch_ahead=(), next_publication=None):
    """- `personal_cookies`: cookies that make a page one visitor's. A request
      carrying one is never answered from the page cache, nor its page kept
      (nginx's micro-cache bypasses the same list: deploy/nginx/newsroom.conf).
    - `fetch_ahead`: cache keys every story page reads (`cached_value`),
      fetched in the same round trip as the story's fragments.
    - `next_publication`: a function that returns when the next scheduled
      story goes live (a datetime, or None). Nothing cached outlives it: that
      story goes live by itself, and no purge happens then.
    """
    for name in personal_cookies:
        if name not in _personal_cookies:
            _personal_cookies.append(name)
    _forget_personal_cookies()
    for key in fetch_ahead:
        if key not in _fetch_ahead:
            _fetch_ahead.append(key)
    if next_publication is not None:
        _next_publication[:] = [next_publication]


def personal_cookies():
    """Django's own personal cookies (a session: a signed-in editor; a flash
    message waiting) and those the apps registered.

    Not `csrftoken`: no cached page contains a CSRF token (the comment form is
    an uncached frame), and every reader who scrolls to that form gets the
    cookie for a year: bypassing on it would take nearly every returning
    reader out of every cache."""
    if not _all_personal_cookies:
        _all_personal_cookies.append((settings.SESSION_COOKIE_NAME, "messages", *_personal_cookies))
    return _all_personal_cookies[0]


@receiver(setting_changed)
def _forget_personal_cookies(**kwargs):
    _all_personal_cookies.clear()


def fetch_ahead_keys():
    return tuple(_fetch_ahead)


def next_publication():
    """When the next scheduled story goes live (None: none, or nobody said)."""
    return _next_publication[0]() if _next_publication else None
