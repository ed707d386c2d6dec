from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Responses"

    def ready(self):
        import pagecache

        from .cookies import (
            PENDING_COOKIE,
            REMEMBER_COOKIE,
            is_pending_cookie,
            is_remember_cookie,
        )

        # A reader's pending responses and remembered details make every page
        # theirs alone: the page cache (and nginx, deploy/) steps aside. Only
        # for cookies we signed: a forged one gets the anonymous cached page.
        pagecache.register(
            personal_cookies={
                PENDING_COOKIE: is_pending_cookie,
                REMEMBER_COOKIE: is_remember_cookie,
            }
        )
