"""Fixtures for the page-cache tests."""

import pytest

from pagecache import fragments, pages, versions


@pytest.fixture
def use_cache(monkeypatch):
    """`use_cache(backend)`: the page cache talks to `backend` from now on (a
    dead one, or one of two clients standing for two server processes)."""

    def use(backend):
        for module in (pages, fragments, versions):
            monkeypatch.setattr(module, "cache", backend)

    return use


def personal_cookie_value(name):
    """A value of that personal cookie as its app would set it (a session
    that exists, a signed message, the comments app's signed cookies): one
    that makes a page personal, where junk does not. A session needs the
    database."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.core import signing
    from django.test import RequestFactory

    from comments.cookies import PENDING_COOKIE, PENDING_SALT, REMEMBER_COOKIE, REMEMBER_SALT

    if name == settings.SESSION_COOKIE_NAME:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store["seen"] = True
        store.save()
        return store.session_key
    if name == CookieStorage.cookie_name:
        storage = CookieStorage(RequestFactory().get("/"))
        return storage._encode([Message(constants.SUCCESS, "The story was changed.")])
    if name == PENDING_COOKIE:
        return signing.get_cookie_signer(salt=PENDING_COOKIE + PENDING_SALT).sign("7")
    if name == REMEMBER_COOKIE:
        return signing.dumps({"author_name": "Ada"}, salt=REMEMBER_SALT, compress=True)
    raise ValueError(f"No maker for the personal cookie {name!r}")


@pytest.fixture
def real_cookie(db):
    """`real_cookie(name)`: `personal_cookie_value(name)`."""
    return personal_cookie_value
