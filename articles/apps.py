from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        import pagecache

        from . import revisions, signals  # noqa: F401  (signals: the on_commit receivers)
        from .context_processors import SECTION_NAV_CACHE_KEY
        from .publishing import next_scheduled_time

        # What the page cache cannot know by itself (it imports no app):
        # every story page reads the navigation, and no cached page may
        # outlive the next scheduled publication (no purge happens then).
        revisions.register_models()
        pagecache.register(
            fetch_ahead=[SECTION_NAV_CACHE_KEY], next_publication=next_scheduled_time
        )
