"""`/healthz`, for load balancers: the process is up and answering.

`HealthCheckMiddleware`, first in MIDDLEWARE, answers it before anything else
runs: no database query (a database blip must not take every web process out
of rotation), no session, no URL resolving, and no host check nor HTTPS
redirect, so a load balancer may probe each server by its own address over
plain HTTP and get a 200 (not Django's 400 for an unknown Host, nor a 301 to
HTTPS). That is safe because the answer is the same three bytes for every
host and scheme: nothing in it comes from the request, and nothing can be
cached under a forged Host. The view below answers any other method the
ordinary way, and keeps the address in the URLconf.
"""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

HEALTH_PATH = "/healthz"


def _ok():
    response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return _ok()
        return self.get_response(request)


@never_cache
def healthz(request):
    """/healthz through the whole stack (HealthCheckMiddleware answers GET
    and HEAD before it)."""
    return _ok()
