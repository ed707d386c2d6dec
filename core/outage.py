"""When the database is away (a restart, a failover, a network cut): a
friendly 503 page with Retry-After, never a stack trace, and the site comes
back by itself (issue 8).

`DatabaseOutageMiddleware` turns Django's OperationalError and InterfaceError
(the server refused, closed or lost the connection) raised by any view into
`unavailable()`: the page below, status 503, `Retry-After`, never stored by
any cache. Pages the page cache holds are still answered from it without the
database, before any view runs (pagecache/pages.py); a page whose cached
copy a purge made out of date is answered with that last copy rather than
the 503, as long as the cache still has it. Nothing else is
needed to recover: Django opens a new connection on the next request
(CONN_HEALTH_CHECKS drops a persistent one that died), so gunicorn is never
restarted.

The response form keeps the reader's text itself (comments/views.py renders
`comments/try_again.html` through `unavailable()`). An editor's POST in the
admin gets this page too; their browser's Back button still holds the form.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_OUTAGE = (OperationalError, InterfaceError)
# A PostgreSQL restart takes seconds; a reader told to wait longer gives up.
RETRY_AFTER_SECONDS = 15


def is_database_outage(exception):
    return isinstance(exception, DATABASE_OUTAGE)


def unavailable(request, *, template_name="503.html", context=None):
    """The 503 page. Rendered without context processors or anything else
    that would ask the database; `csrf_token` is there for a form."""
    context = {
        "csrf_token": get_token(request),
        "request_method": request.method,
        "retry_after": RETRY_AFTER_SECONDS,
    } | (context or {})
    html = loader.get_template(template_name).render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # The page cache answers a page it holds an older copy of with that copy
    # instead (pagecache/pages.py).
    response.database_outage = True
    return response


def log_outage(request, exception):
    # One line, no traceback: during an outage every request fails the same
    # way, and on-call needs to read the log, not scroll it.
    logger.error(
        "Database unavailable, answered 503: %s %s (%s: %s)",
        request.method,
        request.path,
        type(exception).__name__,
        str(exception).strip().splitlines()[0] if str(exception).strip() else "",
    )


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        log_outage(request, exception)
        return unavailable(request)
