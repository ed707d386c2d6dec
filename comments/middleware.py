"""Two small guards around the comment form.

`PrivateCommenterPagesMiddleware`: a reader who has posted a response awaiting
moderation, or ticked "Save my name, email, and website…", carries a cookie
that makes every page they get personal (their pending response, their email
pre-filled in the form); so does a signed-in editor's session, or a flash
message waiting in its cookie. The list is `pagecache.personal_cookies()`
(the page cache steps aside for the same list; apps.py adds this app's two). Such a response must
never be stored by a shared cache (nginx's micro-cache, a CDN): it is marked
`Cache-Control: private, no-store` and `Vary: Cookie`. The same rule as the
page cache's (`pagecache.is_personal`): a junk or forged cookie counts for
nothing, and its response is the anonymous public page (issue 15 §9); so
does a response that only deletes such a cookie.

`CommentPostSizeMiddleware`: a response posted with a body larger than
DATA_UPLOAD_MAX_MEMORY_SIZE would make Django raise RequestDataTooBig as soon
as anything (the CSRF check first) reads the form: the reader would get a bare
"Bad Request". This answers such a post with a clear 413 page instead, before
the body is read.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers

import pagecache


def is_personal(request, response=None):
    """Whether this request (or the response about to set a cookie) is one reader's."""
    if pagecache.is_personal(request):
        return True
    # A cookie deleted (the session of a signed-out editor, a junk one) has
    # no value: nothing of this reader's is in the page.
    return response is not None and any(
        name in response.cookies and response.cookies[name].value
        for name in pagecache.personal_cookies()
    )


class PrivateCommenterPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request, response):
            # A shared cache may have been told it could keep the page: not this one.
            if "Cache-Control" in response:
                for shared_only in ("public", "s-maxage"):
                    response.headers["Cache-Control"] = ", ".join(
                        part
                        for part in response.headers["Cache-Control"].split(",")
                        if part.strip().split("=")[0].lower() != shared_only
                    )
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class CommentPostSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and self._too_large(request) and self._is_comment_post(request):
            response = render(
                request,
                "comments/too_large.html",
                {"limit_kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024},
                status=413,
            )
            patch_cache_control(response, private=True, no_store=True)
            return response
        return self.get_response(request)

    @staticmethod
    def _too_large(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return limit is not None and length > limit

    @staticmethod
    def _is_comment_post(request):
        try:
            return resolve(request.path_info).view_name == "comments:post"
        except Resolver404:
            return False
