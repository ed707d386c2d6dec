"""The editors' desk on the admin's front page (issue 18 §3): each person
sees what needs them, every list capped, at a fixed cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.desk import DESK_LENGTH
from articles.models import Article, StoryNote
from tests.factories import ArticleFactory, PullQuoteFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def desk(client):
    """The desk's lists as the page shows them: heading -> text of the list."""
    response = client.get(INDEX)
    return response.context["desk"].lists, response.content.decode()


def test_editors_see_stories_in_review_oldest_first(editor_client, frozen_clock):
    older = ArticleFactory(status=Article.Status.REVIEW, headline="Waiting longest")
    newer = ArticleFactory(status=Article.Status.REVIEW, headline="Just submitted")
    Article.objects.filter(pk=older.pk).update(updated_at=frozen_clock - datetime.timedelta(days=2))

    lists, _ = desk(editor_client)

    assert lists["In review, waiting for an editor"][0] == [older, newer]


def test_editors_see_the_next_seven_days_of_scheduled_stories(editor_client, frozen_clock):
    soon = ArticleFactory(published_at=frozen_clock + datetime.timedelta(days=1))
    ArticleFactory(published_at=frozen_clock + datetime.timedelta(days=8))

    lists, page = desk(editor_client)

    assert lists["Scheduled for the next 7 days"][0] == [soon]
    assert "Scheduled, 4 Dec" in page or "Scheduled, " in page


def test_editors_see_what_went_out_in_the_last_day(editor_client, frozen_clock):
    today = ArticleFactory(published_at=frozen_clock - datetime.timedelta(hours=2))
    ArticleFactory(published_at=frozen_clock - datetime.timedelta(hours=30))

    lists, _ = desk(editor_client)

    assert lists["Published in the last 24 hours"][0] == [today]


def test_editors_see_the_latest_corrections(editor_client):
    story = ArticleFactory(headline="Corrected story")
    StoryNote.objects.create(article=story, kind="correction", text="Fixed a figure.")
    StoryNote.objects.create(article=story, kind="update", text="Not a correction.")

    lists, page = desk(editor_client)

    [shown] = lists["Latest corrections and clarifications"][0]
    assert shown.text == "Fixed a figure."
    assert "Corrected story</a>: correction" in page


def test_writers_see_only_their_own_drafts_and_stories_in_review(writer_client, writer):
    mine = ArticleFactory(status=Article.Status.DRAFT, created_by=writer, headline="My draft")
    ArticleFactory(status=Article.Status.DRAFT, headline="Someone else's draft")
    ArticleFactory(status=Article.Status.PUBLISHED, created_by=writer)

    lists, page = desk(writer_client)

    assert list(lists) == ["Your drafts and stories in review"]
    assert lists["Your drafts and stories in review"][0] == [mine]
    assert "My draft</a> — Draft" in page


def test_every_list_is_capped(editor_client):
    ArticleFactory.create_batch(DESK_LENGTH + 3, status=Article.Status.REVIEW)

    lists, _ = desk(editor_client)

    assert len(lists["In review, waiting for an editor"][0]) == DESK_LENGTH


def test_the_desk_costs_the_same_whatever_the_number_of_stories(editor_client, frozen_clock):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            editor_client.get(INDEX)
        return len(captured)

    ArticleFactory(status=Article.Status.REVIEW)
    few = queries()
    for offset in range(1, 15):
        ArticleFactory(status=Article.Status.REVIEW)
        ArticleFactory(published_at=frozen_clock + datetime.timedelta(hours=offset))
        ArticleFactory(published_at=frozen_clock - datetime.timedelta(hours=offset))
        StoryNote.objects.create(article=ArticleFactory(), kind="correction", text="Fix.")

    assert queries() == few


def test_editors_see_the_stories_whose_quotes_wait_for_confirmation(editor_client):
    flagged = ArticleFactory(status=Article.Status.REVIEW, headline="Flagged quote")
    PullQuoteFactory(article=flagged, text="Words nobody wrote down.", unmatched_words="nobody")
    confirmed = ArticleFactory(headline="Confirmed quote")
    quote = PullQuoteFactory(article=confirmed, text="Said on tape.", unmatched_words="tape")
    quote.confirm(by=None, reason="from the recording", at=quote.article.published_at)
    quote.save()

    lists, _ = desk(editor_client)

    assert lists["Quotes waiting for an editor's confirmation"][0] == [flagged]
