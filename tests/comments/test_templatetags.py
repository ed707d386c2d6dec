"""comments/templatetags/comments.py: `{% responses %}` and the page of
responses it draws through the fragment cache (`responses_page`)."""

import pytest

from comments.templatetags.comments import responses_page
from tests.factories import CommentFactory

# --- A page of responses, with the fragment cache -------------------------------------------


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE = True


@pytest.mark.django_db
def test_a_readers_pending_reply_shows_under_its_response_from_the_fragment_cache(
    article, fragments_on, django_assert_num_queries
):
    top = CommentFactory(article=article, body="Top")
    mine = CommentFactory(article=article, parent=top, status="pending", body="Mine")
    article.refresh_from_db()
    responses_page(article, page=1, pending_ids=[], can_reply=True)  # cached for everyone
    with django_assert_num_queries(1):  # the reader's own pending responses only
        html = responses_page(article, page=1, pending_ids=[mine.pk], can_reply=True).html
    top_html = html[html.index(f'id="comment-{top.pk}"') :]
    assert top_html.index("Mine") < top_html.index("</ol>")


@pytest.mark.django_db
def test_nobody_elses_page_costs_a_query_once_cached(
    article, fragments_on, django_assert_num_queries
):
    CommentFactory.create_batch(3, article=article)
    article.refresh_from_db()
    first = responses_page(article, page=1, pending_ids=[], can_reply=True)
    with django_assert_num_queries(0):
        again = responses_page(article, page=1, pending_ids=[], can_reply=True)
    assert again.html == first.html


@pytest.mark.django_db
def test_pending_top_level_response_shows_last_on_the_last_page_only(
    article, fragments_on, settings
):
    settings.COMMENTS_PER_PAGE = 1
    CommentFactory.create_batch(2, article=article)
    mine = CommentFactory(article=article, status="pending", body="Mine, newest")
    article.refresh_from_db()
    for page in (1, 2):
        responses_page(article, page=page, pending_ids=[], can_reply=True)
    assert (
        "Mine, newest"
        not in responses_page(article, page=1, pending_ids=[mine.pk], can_reply=True).html
    )
    last = responses_page(article, page=2, pending_ids=[mine.pk], can_reply=True).html
    assert last.rstrip().endswith("</article>\n</li>\n</ol>")
    assert "Mine, newest" in last[last.rindex("<li>") :]
