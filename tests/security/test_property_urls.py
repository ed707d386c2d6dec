"""Bad input everywhere (issue 7 §5): every public URL pattern, read from the
URLconf, with its path converters filled with arbitrary values (or real ones,
so the views run on real stories) and arbitrary query strings, methods and
headers; and the admin's sign-in form, the one public form the comments'
property test (tests/comments/test_property.py, the response form) does not
cover. Never a 500, never a write (no request here carries what a save
needs, such as the response form's signed token), never a half-saved record.

Bounded for a 2-core machine: `deadline=None`, EXAMPLES_PER_PATTERN examples
per pattern, derandomised when CI is set. The number of examples actually
tried is printed at the end of the run (tests/security/conftest.py) and
recorded in docs/reliability.md.
"""

import os
import re
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, TagFactory
from tests.security.conftest import count_examples

pytestmark = pytest.mark.django_db

EXAMPLES_PER_PATTERN = 100
LOGIN_EXAMPLES = 200

BOUNDED = settings(
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

# What every public model holds: none of it may change on a GET.
WATCHED_MODELS = [Article, Author, Byline, PullQuote, Section, Source, Tag, Comment]


def public_patterns(patterns=None, prefix=""):
    """(name, route) of every URL pattern the public can reach: all but the admin's."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                found += public_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and hasattr(entry.pattern, "converters"):
            found.append((entry.name, route, dict(entry.pattern.converters)))
    return found


PATTERNS = public_patterns()
PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

# Anything a client may send: every plane but lone surrogates (not encodable),
# numbers as text (huge, negative, zero, with leading zeros, in digits other
# than ASCII's: "²" and "٣" pass str.isdigit(), issue 15 §7), nothing at all,
# and huge values.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)
UNICODE_DIGITS = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=8)
LEADING_ZEROS = st.tuples(st.integers(1, 6), st.integers(0, 10**6)).map(
    lambda pair: "0" * pair[0] + str(pair[1])
)
VALUE = st.one_of(
    ANY_TEXT,
    UNICODE_DIGITS,
    LEADING_ZEROS,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.just(""),
    st.sampled_from(["0", "-1", "1e9", "NaN", "99999999999999999999", "../..", "%00", "🦆"]),
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "9" * n),
    st.integers(min_value=1_000, max_value=20_000).map(lambda n: "é" * n),
)
QUERY_NAMES = st.one_of(st.sampled_from(["page", "q", "cpage", "replyto"]), ANY_TEXT)
QUERY = st.lists(st.tuples(QUERY_NAMES, VALUE), max_size=4)
METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE"])


@pytest.fixture
def real_values():
    """Values that reach the views on real rows: {url keyword: [values]}."""
    author = AuthorFactory(slug="ann-lee")
    tag = TagFactory(slug="budget")
    story = ArticleFactory(
        section__slug="news", slug="bridge-reopens", authors=[author], tags=[tag]
    )
    CommentFactory(article=story)
    local = story.published_at.astimezone()
    return {
        "section": ["news"],
        "year": [str(local.year)],
        "month": [f"{local.month:02d}"],
        "day": [f"{local.day:02d}"],
        "slug": ["bridge-reopens", "ann-lee", "budget"],
        "pk": [str(story.pk)],
        "article_id": [str(story.pk)],
    }


def segment(converter, real):
    """A value for one path converter: a real one, one its regex accepts, or anything."""
    return st.one_of(
        st.sampled_from(real) if real else st.nothing(),
        st.from_regex(converter.regex, fullmatch=True),
        ANY_TEXT.map(lambda text: quote(text, safe="")),
    )


@st.composite
def requests(draw, route, converters, real_values):
    def fill(match):
        name = match.group("name")
        return draw(segment(converters[name], real_values.get(name, [])), label=name)

    path = "/" + PLACEHOLDER.sub(fill, route)
    query = urlencode(draw(QUERY, label="query"))
    return draw(METHODS, label="method"), path + ("?" + query if query else "")


def row_counts():
    return {model.__name__: model.objects.count() for model in WATCHED_MODELS}


@pytest.mark.parametrize(
    ("name", "route", "converters"), PATTERNS, ids=[name for name, _, _ in PATTERNS]
)
def test_no_public_address_fails_or_writes_whatever_it_is_sent(
    name, route, converters, real_values
):
    client = Client()
    before = row_counts()

    @settings(BOUNDED, max_examples=EXAMPLES_PER_PATTERN)
    @given(data=st.data())
    def check(data):
        cache.clear()
        method, url = data.draw(requests(route, converters, real_values), label="request")
        user_agent = data.draw(VALUE, label="user agent")
        response = client.generic(method, url, HTTP_USER_AGENT=user_agent.replace("\x00", ""))
        count_examples("public URL patterns")
        event(f"{name}: HTTP {response.status_code}")
        assert response.status_code < 500, (method, url, response.status_code)
        # Nothing here carries a valid signed form token: nothing may be saved.
        assert row_counts() == before, (method, url)

    check()


def test_every_public_pattern_is_driven():
    # The list comes from the URLconf: a new public page is covered without
    # touching this test, and nothing public is left out.
    names = {name for name, _, _ in PATTERNS}
    assert {"home", "search", "detail", "section", "tag", "author", "post", "preview"} <= names
    assert not any(route.startswith(django_settings.ADMIN_URL) for _, route, _ in PATTERNS)


@pytest.fixture
def login_form_ready(settings):
    # Every example must reach authentication, not the lockout (tested in
    # test_login_throttle.py), and cheaply.
    settings.AXES_FAILURE_LIMIT = 10**6
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_sign_in_form_never_fails_whatever_it_is_sent(login_form_ready):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    client = Client()
    login_url = reverse("admin:login")
    users_before = User.objects.count()

    @settings(BOUNDED, max_examples=LOGIN_EXAMPLES)
    @given(username=VALUE, password=VALUE, next_url=VALUE, extra=QUERY)
    def check(username, password, next_url, extra):
        response = client.post(
            login_url, {"username": username, "password": password, "next": next_url, **dict(extra)}
        )
        count_examples("admin sign-in form")
        event(f"HTTP {response.status_code}")
        assert response.status_code in {200, 302, 403, 429}, response.status_code
        assert User.objects.count() == users_before
        for attempt in AccessAttempt.objects.all():
            attempt.full_clean(exclude=["get_data", "post_data"])

    check()
