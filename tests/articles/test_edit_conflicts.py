"""Edit conflicts (issue 17 §2): a save from a form opened before someone
else's save is refused, with their version, the difference and what was
typed; saving over it is a deliberate second step; "Opened by" warns first."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import revisions
from articles.models import Article
from tests.articles.admin_forms import CHANGELIST_URL, change_url, story_as_shown
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Harbour wall to be repaired",
        body="<p>The work starts in March.</p>",
        status=Article.Status.DRAFT,
    )


@pytest.fixture
def other_editor_client():
    """A second editor, in a browser of their own."""
    client = Client()
    client.force_login(
        UserFactory(
            username="bo", first_name="Bo", last_name="Editor", groups=["Editors"], is_staff=True
        )
    )
    return client


def opened(article):
    """The form as the change page showed it now (the version it carries)."""
    return story_as_shown(article)


def test_a_save_from_a_form_older_than_the_story_is_refused(
    editor_client, other_editor_client, story
):
    mine = opened(story)
    theirs = opened(story)
    other_editor_client.post(change_url(story), {**theirs, "headline": "Their headline"})

    response = editor_client.post(change_url(story), {**mine, "headline": "My headline"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bo Editor saved this story at" in page
    story.refresh_from_db()
    assert story.headline == "Their headline"


def test_the_refusal_keeps_what_was_typed_and_shows_the_difference(
    editor_client, other_editor_client, story
):
    mine = opened(story)
    other_editor_client.post(change_url(story), {**opened(story), "headline": "Their headline"})

    response = editor_client.post(change_url(story), {**mine, "headline": "My own headline"})

    page = response.content.decode()
    assert 'value="My own headline"' in page  # still in the form
    assert '<del><span class="visually-hidden">deleted: </span>Their</del>' in page
    assert '<ins><span class="visually-hidden">inserted: </span>My own</ins>' in page
    assert "Reload their version" in page


def test_saving_over_their_version_is_deliberate_and_recorded(
    editor_client, other_editor_client, story
):
    mine = {**opened(story), "headline": "My headline"}
    other_editor_client.post(change_url(story), {**opened(story), "headline": "Their headline"})
    refused = editor_client.post(change_url(story), mine)
    conflict = refused.context["conflict"]

    response = editor_client.post(
        change_url(story), {**mine, "overwrite_version": str(conflict.version)}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "My headline"
    latest = revisions.revisions_of(story).first()
    assert "saved over a newer version (Bo Editor" in latest.comment
    # Theirs is still in the history.
    older = revisions.revisions_of(story)[1]
    kept = revisions.snapshot_of_stored(revisions.stored_story(story.pk, older))
    assert kept.fields["headline"] == "Their headline"


def test_saving_over_is_refused_again_if_a_third_save_came_meanwhile(
    editor_client, other_editor_client, story
):
    mine = {**opened(story), "headline": "My headline"}
    other_editor_client.post(change_url(story), {**opened(story), "headline": "Their headline"})
    conflict = editor_client.post(change_url(story), mine).context["conflict"]
    other_editor_client.post(change_url(story), {**opened(story), "headline": "Third headline"})

    response = editor_client.post(
        change_url(story), {**mine, "overwrite_version": str(conflict.version)}
    )

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Third headline"


def test_an_up_to_date_form_saves_and_moves_the_version_on(editor_client, story):
    before = story.version

    response = editor_client.post(change_url(story), {**opened(story), "headline": "New"})

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.version == before + 1


def test_a_bulk_publish_while_the_story_is_open_is_told_on_save(
    editor_client, other_editor_client, story
):
    mine = opened(story)

    other_editor_client.post(
        CHANGELIST_URL, {"action": "publish_now", "_selected_action": [str(story.pk)]}
    )
    response = editor_client.post(change_url(story), {**mine, "headline": "My headline"})

    assert response.status_code == 200
    assert "Bo Editor saved this story" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert revisions.revisions_of(story).first().comment == "status (published)"


def test_a_bulk_action_writes_only_the_status_and_time(other_editor_client, story):
    with CaptureQueriesContext(connection) as queries:
        other_editor_client.post(
            CHANGELIST_URL, {"action": "publish_now", "_selected_action": [str(story.pk)]}
        )

    [update] = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "articles_article"')]
    assignments = update.split(" SET ")[1].split(" WHERE ")[0]
    columns = sorted(part.split(" = ")[0].strip('"') for part in assignments.split(", "))
    assert columns == ["published_at", "status", "updated_at", "version"]


def test_an_older_version_number_that_is_not_a_number_is_a_form_error(editor_client, story):
    response = editor_client.post(change_url(story), {**opened(story), "edit_version": "x"})

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Harbour wall to be repaired"


def test_someone_elses_opening_is_shown_for_fifteen_minutes(
    editor_client, other_editor_client, story, frozen_clock
):
    other_editor_client.get(change_url(story))

    shown = editor_client.get(change_url(story)).content.decode()
    with time_machine.travel(frozen_clock + datetime.timedelta(minutes=16), tick=False):
        later = editor_client.get(change_url(story)).content.decode()

    assert "Opened by Bo Editor at" in shown
    assert "Opened by" not in later


def test_your_own_opening_is_not_shown_to_you(editor_client, story):
    editor_client.get(change_url(story))

    assert "Opened by" not in editor_client.get(change_url(story)).content.decode()
