"""comments/middleware.py: personal pages stay private; oversized posts get a 413."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from comments.cookies import PENDING_COOKIE, REMEMBER_COOKIE
from comments.middleware import CommentPostSizeMiddleware, PrivateCommenterPagesMiddleware
from pagecache import personal_cookies
from tests.pagecache.conftest import personal_cookie_value


def respond(cache_control=None, set_cookie=None):
    def view(request):
        response = HttpResponse("page")
        if cache_control:
            response["Cache-Control"] = cache_control
        if set_cookie:
            response.set_cookie(set_cookie, "1")
        return response

    return PrivateCommenterPagesMiddleware(view)


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", [PENDING_COOKIE, REMEMBER_COOKIE, "messages", "sessionid"])
def test_request_with_a_personal_cookie_is_private(cookie):
    request = RequestFactory().get("/")
    request.COOKIES[cookie] = personal_cookie_value(cookie)
    response = respond()(request)
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("cookie", [PENDING_COOKIE, REMEMBER_COOKIE])
def test_the_commenters_cookies_are_personal_for_the_page_cache_too(cookie):
    assert cookie in personal_cookies()


def test_the_session_cookie_is_personal(settings):
    assert settings.SESSION_COOKIE_NAME in personal_cookies()


def test_shared_cache_directives_are_removed():
    request = RequestFactory().get("/")
    request.COOKIES[PENDING_COOKIE] = personal_cookie_value(PENDING_COOKIE)
    response = respond("public, max-age=0, s-maxage=300")(request)
    directives = {d.strip().split("=")[0] for d in response["Cache-Control"].split(",")}
    assert "public" not in directives
    assert "s-maxage" not in directives
    assert {"private", "no-store"} <= directives


def test_response_setting_a_commenter_cookie_is_private():
    response = respond(set_cookie=PENDING_COOKIE)(RequestFactory().get("/"))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", [PENDING_COOKIE, REMEMBER_COOKIE, "messages", "sessionid"])
def test_a_junk_personal_cookie_leaves_the_public_page_public(cookie):
    # Issue 15 §9: the same rule as the page cache's, so its response is the
    # anonymous public page, not a private one.
    request = RequestFactory().get("/")
    request.COOKIES[cookie] = "x" * 32
    response = respond("public, max-age=0, s-maxage=1")(request)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=1"


def test_a_response_that_only_deletes_a_personal_cookie_stays_public():
    def view(request):
        response = HttpResponse("page")
        response["Cache-Control"] = "public, s-maxage=1"
        response.delete_cookie("messages")  # a junk flash message, dropped
        return response

    request = RequestFactory().get("/")
    request.COOKIES["messages"] = "x"
    response = PrivateCommenterPagesMiddleware(view)(request)
    assert response["Cache-Control"] == "public, s-maxage=1"


def test_other_requests_are_left_alone():
    request = RequestFactory().get("/")
    request.COOKIES["csrftoken"] = "x"
    response = respond("public, s-maxage=60")(request)
    assert response["Cache-Control"] == "public, s-maxage=60"


def size_guard():
    return CommentPostSizeMiddleware(lambda request: HttpResponse("passed"))


@pytest.mark.django_db
def test_oversized_comment_post_gets_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    request = RequestFactory().post("/comments/post/1/", {"body": "x" * 500})
    response = size_guard()(request)
    assert response.status_code == 413
    assert "no-store" in response["Cache-Control"]


def test_other_oversized_posts_are_not_ours(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    request = RequestFactory().post("/admin/login/", {"body": "x" * 500})
    assert size_guard()(request).content == b"passed"


def test_small_comment_post_passes(settings):
    request = RequestFactory().post("/comments/post/1/", {"body": "hello"})
    assert size_guard()(request).content == b"passed"


def test_bogus_content_length_passes_to_django(settings):
    request = RequestFactory().post("/comments/post/1/", {"body": "hello"})
    request.META["CONTENT_LENGTH"] = "lots"
    assert size_guard()(request).content == b"passed"
