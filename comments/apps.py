from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Responses"

    def ready(self):
        import pagecache

        from .cookies import PENDING_COOKIE, REMEMBER_COOKIE

        # A reader's pending responses and remembered details make every page
        # theirs alone: the page cache (and nginx, deploy/) steps aside.
        pagecache.register(personal_cookies=[PENDING_COOKIE, REMEMBER_COOKIE])
