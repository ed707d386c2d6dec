"""What this process has learned about the pages it serves: hints only.

Each kind of hint saves a round trip or a URL resolution on the next request
for the same page; a missing or wrong hint costs that round trip again, never
a wrong page (every hint is checked against what the cache holds). All of them
live in one bounded object, `hints`, forgotten on any changed setting (a
test's ROOT_URLCONF) and when a kind grows past its bound.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver

# Per kind: one entry per address or story served; a crawl of a big archive
# would otherwise grow them without end.
MAX_ENTRIES = 20_000


class BoundedMap(dict):
    """A dict that forgets everything when it reaches its bound: cheaper than
    keeping an order for a least-recently-used one, and a hint is cheap to
    learn again."""

    def __init__(self, bound=MAX_ENTRIES):
        super().__init__()
        self.bound = bound

    def __setitem__(self, key, value):
        if key not in self and len(self) >= self.bound:
            self.clear()
        super().__setitem__(key, value)


class LearnedHints:
    """- `policies`: a path's view policy (a `CachedPage`, or None: not a
      cached page), by (URLconf, path). Resolving a path walks the URLconf,
      about a tenth of what a page-cache hit costs in Django.
    - `dependencies`: the versions an entry turned out to depend on besides
      its view's (the article page learns its story's id only as it renders),
      by entry key, so the next lookup fetches them in the same round trip.
    - `fragments`: {part name: fragment key} a story's last render used, by
      story id, so its next render fetches them ahead in one round trip.
    - `stories`: which story an article address named, by address, so a
      reader who bypasses the page cache gets the row from the cache.
    """

    def __init__(self):
        self.policies = BoundedMap()
        self.dependencies = BoundedMap()
        self.fragments = BoundedMap()
        self.stories = BoundedMap()

    def clear(self):
        for learned in (self.policies, self.dependencies, self.fragments, self.stories):
            learned.clear()


hints = LearnedHints()


@receiver(setting_changed)
def _forget_hints(**kwargs):
    hints.clear()
