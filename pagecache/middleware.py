from django.urls import Resolver404, resolve

from .hints import hints
from .pages import is_personal


class PageCacheMiddleware:
    """Answers a cached page before the rest of the stack runs.

    Placed after SecurityMiddleware (its HTTPS redirect and headers), the
    Content-Security-Policy and Permissions-Policy middleware and whitenoise,
    so a page from the cache gets their headers exactly as a rendered one
    does; and before sessions, CSRF, auth, messages, axes and the view, so a
    hit costs none of them: one URL resolution (learned once per path:
    `hints.policies`), the host check, one cache round trip. A miss runs the
    rest of the stack, and what comes back out of it (X-Frame-Options and
    every inner middleware's headers included) is what is kept. Only
    addresses whose view is marked with `cached_page` are looked at;
    everything else passes straight through.
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
            return hints.policies[key]
        except KeyError:
            pass
        try:
            match = resolve(request.path_info, key[0])
        except Resolver404:
            policy = None
        else:
            policy = getattr(match.func, "cached_page", None)
        hints.policies[key] = policy
        return policy
