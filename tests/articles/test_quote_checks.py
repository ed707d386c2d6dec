"""Quote checks (issue 18 §2): each pull-quote checked against the body and
its source on save; a story with a flagged, unconfirmed quote is not
published, by the form nor by Publish now; editors confirm with a reason."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from articles import revisions
from articles.models import Article, PullQuote
from articles.publishing import check_quotes, publish_article, restore_version, unpublish_article
from tests.articles.admin_forms import CHANGELIST_URL, change_url, story_as_shown
from tests.factories import ArticleFactory, PullQuoteFactory, SourceFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)
BODY = (
    "<p>The council voted on Tuesday.</p>"
    "<p>“We will reopen the bridge by Friday, whatever the weather,” the mayor said.</p>"
)
STATEMENT = "The harbour will stay open all winter, and the fees will not rise."


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _story(status=Article.Status.DRAFT, published_at=None, **kwargs):
    kwargs.setdefault("headline", "Bridge to reopen")
    return ArticleFactory(body=BODY, status=status, published_at=published_at, **kwargs)


def _quote(article, text, **kwargs):
    return PullQuoteFactory(article=article, text=text, speaker="Mayor Ann Roe", **kwargs)


def _post(client, article, **fields):
    return client.post(change_url(article), story_as_shown(article, **fields))


# --- The check, stored ----------------------------------------------------------


def test_a_quote_found_in_the_body_is_not_flagged():
    article = _story()
    quote = _quote(article, "We will reopen the bridge by Friday …")

    assert check_quotes(article) == []
    quote.refresh_from_db()
    assert not quote.is_flagged
    assert quote.checked_at == NOW


def test_a_quote_found_in_its_source_is_not_flagged():
    article = _story()
    source = SourceFactory(article=article, quoted_text=STATEMENT)
    _quote(article, "The harbour will stay open all winter", source=source)

    assert check_quotes(article) == []


def test_a_quote_found_in_neither_is_flagged_with_its_unmatched_words():
    article = _story()
    quote = _quote(article, "We will reopen the bridge by Monday")

    assert check_quotes(article) == [quote]
    quote.refresh_from_db()
    assert quote.unmatched_runs == ["Monday"]


def test_a_quote_whose_source_changed_is_flagged():
    article = _story()
    source = SourceFactory(article=article, quoted_text=STATEMENT)
    quote = _quote(article, "the fees will not rise", source=source)
    assert check_quotes(article) == []

    source.quoted_text = "The harbour will stay open all winter; the fees will rise by 3%."
    source.save()

    assert check_quotes(article) == [quote]


def test_a_quote_in_another_storys_source_is_not_found():
    article = _story()
    other = SourceFactory(quoted_text=STATEMENT)  # another story's
    _quote(article, "The harbour will stay open all winter")

    assert [q.source for q in check_quotes(article)] == [None]
    assert other.article_id != article.pk


def test_editing_a_confirmed_quotes_text_clears_its_confirmation(editor):
    quote = _quote(_story(), "We will reopen the bridge by Monday")
    quote.confirm(by=editor, reason="from the recording, 12 May", at=NOW)
    quote.save()

    quote.text = "We will reopen the bridge on Monday"
    quote.save()

    quote.refresh_from_db()
    assert (quote.confirmed_at, quote.confirmed_by, quote.confirmation_reason) == (None, None, "")


# --- Publish now ----------------------------------------------------------------


def test_publishing_a_story_with_an_unconfirmed_flagged_quote_is_refused(editor):
    article = _story()
    _quote(article, "We will reopen the bridge by Monday")

    with pytest.raises(ValidationError, match="“Bridge to reopen” cannot be published"):
        publish_article(article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_a_confirmed_flagged_quote_may_be_published(editor):
    article = _story()
    quote = _quote(article, "We will reopen the bridge by Monday")
    quote.confirm(by=editor, reason="from the interview recording, 12 May", at=NOW)
    quote.save()

    publish_article(article, by=editor)

    assert article.state == "Live"


def test_a_story_whose_quotes_match_is_published(editor):
    article = _story()
    _quote(article, "whatever the weather")

    publish_article(article, by=editor)

    assert article.state == "Live"


def test_bulk_publish_refuses_a_story_with_an_unconfirmed_quote_and_names_it(
    editor_client,
):
    flagged = _story()
    _quote(flagged, "We will reopen the bridge by Monday")
    fine = _story(headline="Harbour fees frozen", slug="harbour-fees-frozen")

    response = editor_client.post(
        CHANGELIST_URL,
        {"action": "publish_now", "_selected_action": [flagged.pk, fine.pk]},
        follow=True,
    )

    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("“Bridge to reopen” cannot be published" in m for m in messages), messages
    flagged.refresh_from_db()
    fine.refresh_from_db()
    assert flagged.status == Article.Status.DRAFT
    assert fine.state == "Live"


# --- The admin form -------------------------------------------------------------


def test_the_form_refuses_to_publish_with_an_unconfirmed_flagged_quote(editor_client):
    article = _story()
    _quote(article, "We will reopen the bridge by Monday")

    response = _post(editor_client, article, status="published")

    assert response.status_code == 200
    assert "“Bridge to reopen” cannot be published" in response.content.decode()
    assert "“Monday”" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_form_checks_a_quote_against_its_source_as_posted(editor_client):
    article = _story()
    source = SourceFactory(article=article, quoted_text=STATEMENT)
    _quote(article, "The fees will rise by 3%", source=source)

    response = _post(
        editor_client,
        article,
        status="published",
        **{"sources-0-quoted_text": "The fees will rise by 3% in April."},
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == "Live"


def test_an_editor_confirms_a_flagged_quote_with_a_reason_and_publishes(editor_client, editor):
    article = _story()
    quote = _quote(article, "We will reopen the bridge by Monday")

    response = _post(
        editor_client,
        article,
        status="published",
        **{"pull_quotes-0-confirm_reason": "from the interview recording, 12 May"},
    )

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.confirmed_by == editor
    assert quote.confirmed_at == NOW
    assert quote.confirmation_reason == "from the interview recording, 12 May"
    article.refresh_from_db()
    assert article.state == "Live"


def test_the_change_page_shows_the_flag_and_the_unmatched_words(editor_client):
    article = _story()
    _quote(article, "We will reopen the bridge by Monday")
    check_quotes(article)

    page = editor_client.get(change_url(article)).content.decode()

    assert "Not found in the body or its source." in page
    assert '<mark class="quote-unmatched">“Monday”</mark>' in page


def test_the_change_page_shows_who_confirmed_and_why(editor_client, editor):
    article = _story()
    quote = _quote(article, "We will reopen the bridge by Monday")
    quote.confirm(by=editor, reason="from the recording, 12 May", at=NOW)
    quote.save()
    check_quotes(article)

    page = editor_client.get(change_url(article)).content.decode()

    assert f"by {editor.get_username()} on 27 Nov 2026, 12:00: “from the recording, 12 May”" in page


def test_writers_cannot_confirm_a_quote(writer_client, writer):
    article = _story(created_by=writer)
    quote = _quote(article, "We will reopen the bridge by Monday")

    page = writer_client.get(change_url(article)).content.decode()
    response = _post(
        writer_client, article, **{"pull_quotes-0-confirm_reason": "I heard it myself"}
    )

    assert "confirm_reason" not in page
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.confirmed_at is None


def test_a_scheduled_story_whose_quote_is_edited_goes_back_to_review(editor_client):
    article = _story(Article.Status.PUBLISHED, NOW + datetime.timedelta(days=1))
    _quote(article, "We will reopen the bridge by Friday")

    response = _post(
        editor_client, article, **{"pull_quotes-0-text": "We will reopen the bridge by Monday"}
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("went back to In review" in m for m in messages), messages


def test_a_scheduled_story_whose_edited_quote_still_matches_stays_scheduled(editor_client):
    article = _story(Article.Status.PUBLISHED, NOW + datetime.timedelta(days=1))
    _quote(article, "We will reopen the bridge by Friday")

    _post(editor_client, article, **{"pull_quotes-0-text": "reopen the bridge by Friday"})

    article.refresh_from_db()
    assert article.state == "Scheduled"


def test_a_live_story_whose_quote_is_edited_stays_live_and_shows_the_flag(editor_client):
    article = _story(Article.Status.PUBLISHED, NOW - datetime.timedelta(hours=1))
    quote = _quote(article, "We will reopen the bridge by Friday")

    response = _post(
        editor_client, article, **{"pull_quotes-0-text": "We will reopen the bridge by Monday"}
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == "Live"
    quote.refresh_from_db()
    assert quote.awaits_confirmation
    page = editor_client.get(change_url(article)).content.decode()
    assert "Waiting for an editor to confirm it" in page


def test_a_live_storys_confirmed_quote_edited_loses_its_confirmation(editor_client, editor):
    article = _story(Article.Status.PUBLISHED, NOW - datetime.timedelta(hours=1))
    quote = _quote(article, "We will reopen the bridge by Monday")
    quote.confirm(by=editor, reason="from the recording", at=NOW)
    quote.save()

    _post(editor_client, article, **{"pull_quotes-0-text": "We will reopen the bridge on Monday"})

    quote.refresh_from_db()
    assert quote.awaits_confirmation
    assert quote.confirmed_at is None


def test_the_confirmation_is_never_shown_to_readers(client, editor):
    article = _story(Article.Status.PUBLISHED, NOW - datetime.timedelta(hours=1))
    quote = _quote(article, "We will reopen the bridge by Monday")
    quote.confirm(by=editor, reason="from the secret recording", at=NOW)
    quote.save()

    page = client.get(article.get_absolute_url()).content.decode()

    assert "We will reopen the bridge by Monday" in page
    assert "secret recording" not in page


# --- Existing quotes --------------------------------------------------------------


def test_the_migration_confirms_existing_quotes_before_quote_checks():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0013_quote_checks")
    quote = _quote(_story(), "Words nobody checked")

    migration.confirm_existing_quotes(apps, None)

    quote.refresh_from_db()
    assert quote.confirmation_reason == "before quote checks"
    assert quote.is_confirmed
    assert PullQuote.objects.filter(confirmed_at__isnull=True).count() == 0


def test_restoring_a_flagged_quote_sends_a_scheduled_story_back_to_review(editor):
    article = _story(Article.Status.PUBLISHED, NOW + datetime.timedelta(days=1))
    quote = _quote(article, "We will reopen the bridge by Monday")
    revisions.record_revision(article, by=editor, summary="flagged quote")
    flagged_version = revisions.revisions_of(article).first()
    quote.text = "We will reopen the bridge by Friday"
    quote.save()

    restore_version(article, flagged_version, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_restoring_a_published_version_with_its_status_refuses_an_unconfirmed_quote(editor):
    article = _story(Article.Status.PUBLISHED, NOW - datetime.timedelta(hours=1))
    _quote(article, "Words the mayor never said")
    revisions.record_revision(article, by=editor, summary="published")
    published_version = revisions.revisions_of(article).first()
    unpublish_article(article, by=editor)

    with pytest.raises(ValidationError, match="Bridge to reopen"):
        restore_version(article, published_version, by=editor, with_status=True)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
