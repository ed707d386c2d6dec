from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The page and fragment caches (pagecache/__init__.py). Imports no app of
    ours: the apps hand it what it needs from their own `ready()`
    (`pagecache.register`)."""

    name = "pagecache"
    verbose_name = "Page cache"
