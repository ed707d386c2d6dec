"""The database goes away (a restart): readers get a friendly 503, a commenter
their text back ready to post again, and a half-done post leaves nothing
(core/outage.py, comments/views.py; issue 8).

The outage is made with Django's documented query hook,
`connection.execute_wrapper`, raising what psycopg raises when the server is
gone: the views, the middleware and the templates all run for real."""

import html
import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from articles.models import Article
from comments.models import Comment
from comments.views import THANK_YOU
from tests.comments.conftest import post_data, post_url
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

STORY_BODY = "The council should publish the full minutes, every page of them."


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def fails_on(statement):
    """A database that goes away in the middle of a request, at `statement`."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(statement):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves the bridge budget")


def form_fields(page):
    """The name and value of every input and textarea of the page's form."""
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields |= dict(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S))
    return {name: html.unescape(value) for name, value in fields.items()}


# --- Readers ------------------------------------------------------------------------


def test_a_page_during_an_outage_is_a_friendly_503(client, article):
    with connection.execute_wrapper(database_down):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    page = response.content.decode()
    assert "Back in a moment" in page
    assert "Traceback" not in page
    assert "OperationalError" not in page


def test_the_503_says_when_to_come_back(client, article):
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert response["Retry-After"] == "15"


def test_the_503_is_never_kept_by_a_cache(client, article):
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert "no-store" in response["Cache-Control"]


def test_a_page_the_page_cache_holds_is_still_served(client, article):
    client.get(article.get_absolute_url())  # learns what the page shows
    first = client.get(article.get_absolute_url())  # stored
    with connection.execute_wrapper(database_down):
        again = client.get(article.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content


def test_a_page_purged_before_the_outage_is_served_as_last_cached(client, article):
    import pagecache

    client.get(article.get_absolute_url())  # learns what the page shows
    first = client.get(article.get_absolute_url())  # stored
    pagecache.purge_articles([article.pk])  # e.g. a response approved just before
    with connection.execute_wrapper(database_down):
        again = client.get(article.get_absolute_url())
    assert again.status_code == 200
    assert again.content == first.content


# --- Takedowns never come back (issue 15 §5) --------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens after the commit (the purges and tombstones) as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cached(client, *urls):
    """Each page asked twice: the first render of a story's address learns
    which story it shows, the second is kept."""
    for url in urls:
        for _ in range(2):
            assert client.get(url).status_code == 200, url


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="ed", groups=["Editors"], is_staff=True)


def test_an_unpublished_story_is_not_served_from_the_cache_during_an_outage(
    client, article, editor, committed
):
    from articles.publishing import unpublish_article

    cached(client, article.get_absolute_url())
    with committed():
        unpublish_article(article, by=editor)  # a legal takedown
    with connection.execute_wrapper(database_down):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert "Council approves the bridge budget" not in response.content.decode()


def test_the_home_page_cached_before_a_takedown_is_a_503_during_an_outage(
    client, article, editor, committed
):
    from articles.publishing import unpublish_article

    cached(client, "/")
    with committed():
        unpublish_article(article, by=editor)
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert response.status_code == 503


def test_the_feed_cached_before_a_takedown_is_a_503_during_an_outage(
    client, article, editor, committed
):
    from articles.publishing import unpublish_article

    cached(client, "/feed/")
    with committed():
        unpublish_article(article, by=editor)
    with connection.execute_wrapper(database_down):
        response = client.get("/feed/")
    assert response.status_code == 503


def test_a_deleted_story_is_not_served_from_the_cache_during_an_outage(client, article, committed):
    cached(client, article.get_absolute_url(), "/")
    with committed():
        Article.objects.get(pk=article.pk).delete()
    with connection.execute_wrapper(database_down):
        assert client.get(article.get_absolute_url()).status_code == 503
        assert client.get("/").status_code == 503


def test_a_story_saved_back_to_draft_in_the_admin_is_a_takedown_too(client, article, committed):
    cached(client, article.get_absolute_url())
    with committed():
        story = Article.objects.get(pk=article.pk)
        story.status = Article.Status.DRAFT
        story.save()  # what the admin's form does
    with connection.execute_wrapper(database_down):
        assert client.get(article.get_absolute_url()).status_code == 503


def test_a_story_merely_edited_still_gets_its_last_copy_during_an_outage(
    client, article, committed
):
    cached(client, article.get_absolute_url(), "/")
    first = client.get(article.get_absolute_url())
    with committed():
        story = Article.objects.get(pk=article.pk)
        story.standfirst = "A corrected standfirst."
        story.save()  # purged, not taken down
    with connection.execute_wrapper(database_down):
        again = client.get(article.get_absolute_url())
        home = client.get("/")
    assert again.status_code == 200
    assert again.content == first.content
    assert home.status_code == 200


def test_a_list_cached_after_the_takedown_is_still_served_during_an_outage(
    client, article, editor, committed
):
    import datetime

    import time_machine
    from django.utils import timezone

    from articles.publishing import unpublish_article

    ferry = ArticleFactory(headline="Ferry timetable changes")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        cached(client, "/")
        with committed():
            unpublish_article(article, by=editor)
        clock.shift(datetime.timedelta(seconds=30))
        cached(client, "/")  # rendered again, without the story
        with committed():
            ferry.save()  # an edit: the copy is out of date, its last copy all there is
        with connection.execute_wrapper(database_down):
            response = client.get("/")
    assert response.status_code == 200
    assert "Ferry timetable changes" in response.content.decode()
    assert "Council approves the bridge budget" not in response.content.decode()


def test_a_rejected_response_is_not_served_from_the_cache_during_an_outage(
    client, article, editor, committed
):
    from comments.moderation import reject_comments

    CommentFactory(article=article, body="A response the lawyers want gone.")
    cached(client, article.get_absolute_url())
    with committed():
        reject_comments(Comment.objects.all(), by=editor)
    with connection.execute_wrapper(database_down):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert "lawyers" not in response.content.decode()


def test_a_rejected_response_leaves_the_lists_last_copies_alone(client, article, editor, committed):
    from comments.moderation import reject_comments

    CommentFactory(article=article)
    cached(client, "/")
    with committed():
        reject_comments(Comment.objects.all(), by=editor)
    with connection.execute_wrapper(database_down):
        assert client.get("/").status_code == 200  # lists show no response, only counts


def test_rejecting_a_response_never_published_is_no_takedown(client, article, editor, committed):
    from comments.moderation import reject_comments

    CommentFactory(article=article, status=Comment.Status.PENDING)
    cached(client, article.get_absolute_url())
    with committed():
        reject_comments(Comment.objects.all(), by=editor)
    with connection.execute_wrapper(database_down):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_line_redacted_in_the_admin_is_not_served_from_the_cache_during_an_outage(
    client, article, committed
):
    from comments.moderation import comments_edited

    comment = CommentFactory(article=article, body="A line the lawyers want gone.")
    cached(client, article.get_absolute_url())
    with committed():
        Comment.objects.filter(pk=comment.pk).update(body="[Removed by a moderator]")
        comments_edited([article.pk])  # what the admin's change page calls
    with connection.execute_wrapper(database_down):
        assert client.get(article.get_absolute_url()).status_code == 503


def test_erased_names_are_not_served_from_the_cache_during_an_outage(client, article, committed):
    from comments.privacy import erase_commenter_data

    CommentFactory(article=article, author_name="Jane Erased", author_email="jane@example.org")
    cached(client, article.get_absolute_url())
    with committed():
        erase_commenter_data(["jane@example.org"])
    with connection.execute_wrapper(database_down):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 503
    assert "Jane Erased" not in response.content.decode()


def test_a_cache_that_cannot_show_the_tombstones_serves_no_old_copy(redis_proxy):
    # The entry came back a moment ago, then Redis went away: a takedown
    # cannot be ruled out, so the last copy is not served (it fails closed).
    from pagecache import pages

    redis_proxy.down = True
    entry = {"dependencies": ["pagecache:v:article:7"], "rendered": 0.0}
    assert pages.taken_down_since_rendered(entry)


def test_a_page_never_cached_is_the_503_during_an_outage(client, article):
    other = ArticleFactory(headline="Ferry timetable changes")
    client.get(article.get_absolute_url())
    with connection.execute_wrapper(database_down):
        response = client.get(other.get_absolute_url())
    assert response.status_code == 503


def test_the_outage_is_logged_in_one_line(client, article, caplog):
    with connection.execute_wrapper(database_down):
        client.get("/")
    [record] = [r for r in caplog.records if r.name == "core.outage"]
    assert "Database unavailable" in record.getMessage()
    assert record.exc_info is None


def test_the_site_answers_again_once_the_database_is_back(client, article):
    with connection.execute_wrapper(database_down):
        client.get("/")
    assert client.get("/").status_code == 200


# --- A commenter --------------------------------------------------------------------


def test_a_response_posted_during_an_outage_asks_to_try_again(client, article):
    with connection.execute_wrapper(database_down):
        response = client.post(post_url(article), post_data(article, body=STORY_BODY))
    assert response.status_code == 503
    assert "Please try again" in response.content.decode()


def test_a_response_posted_during_an_outage_keeps_every_word(client, article):
    with connection.execute_wrapper(database_down):
        response = client.post(
            post_url(article),
            post_data(article, body=STORY_BODY, author_name="Zoë <Reader>"),
        )
    kept = form_fields(response.content.decode())
    assert kept["body"] == STORY_BODY
    assert kept["author_name"] == "Zoë <Reader>"
    assert kept["author_email"] == "ada@example.org"


def test_the_kept_response_posts_again_once_the_database_is_back(client, article):
    with connection.execute_wrapper(database_down):
        refused = client.post(post_url(article), post_data(article, body=STORY_BODY))
    again = client.post(post_url(article), form_fields(refused.content.decode()))
    assert again.status_code == 303
    assert THANK_YOU in client.get(again["Location"]).content.decode()
    assert Comment.objects.get().body == STORY_BODY


def test_a_response_posted_during_an_outage_is_not_saved(client, article):
    with connection.execute_wrapper(fails_on("INSERT")):
        client.post(post_url(article), post_data(article))
    assert not Comment.objects.exists()


# --- Atomicity ------------------------------------------------------------------------


def test_a_post_that_fails_after_its_insert_leaves_nothing(client, article, settings):
    # A known commenter's response is published at once: the insert, then the
    # story's count in the same transaction. The database goes away between.
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    CommentFactory(article=article, author_name="Ada Reader", author_email="ada@example.org")
    count_before = Article.objects.get(pk=article.pk).comment_count
    with connection.execute_wrapper(fails_on('UPDATE "ARTICLES_ARTICLE"')):
        response = client.post(post_url(article), post_data(article, body=STORY_BODY))
    assert response.status_code == 503
    assert not Comment.objects.filter(body=STORY_BODY).exists()
    assert Article.objects.get(pk=article.pk).comment_count == count_before


class CountsStoriesAfterTheView:
    """A middleware that asks the database after the view, as a session save does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        Article.objects.count()
        return response


def test_an_outage_outside_any_view_is_the_same_503(settings, article):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.reliability.test_database_outage.CountsStoriesAfterTheView",
    ]
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(fails_on("SELECT COUNT")):
        response = client.get("/no-such-page/")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()
