"""comments/privacy.py: a commenter's data, exported and erased by email address."""

import pytest

from comments.models import Comment
from comments.privacy import (
    ANONYMOUS_NAME,
    delete_commenter_comments,
    erase_commenter_data,
    export_commenter_data,
)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

ADA = "ada@example.org"


@pytest.fixture
def adas_responses():
    story = ArticleFactory(headline="Bridge reopens")
    return [
        CommentFactory(
            article=story,
            author_email=ADA,
            author_name="Ada Reader",
            author_url="https://ada.example.org/",
            body="First thoughts.",
        ),
        CommentFactory(author_email="ADA@Example.org", status="spam", body="Second thoughts."),
    ]


@pytest.fixture
def someone_else():
    return CommentFactory(author_email="bob@example.org", author_name="Bob")


def exported_comments(emails):
    return [
        c
        for commenter in export_commenter_data(emails)["commenters"]
        for c in commenter["comments"]
    ]


# --- Export --------------------------------------------------------------------------


def test_export_holds_every_response_of_the_address_whatever_its_case_or_status(adas_responses):
    assert [c["id"] for c in exported_comments([ADA])] == [c.pk for c in adas_responses]


def test_export_holds_everything_kept_about_a_response(adas_responses):
    first = exported_comments([ADA])[0]

    assert first["name"] == "Ada Reader"
    assert first["email"] == ADA
    assert first["website"] == "https://ada.example.org/"
    assert first["ip_address"] == "203.0.113.7"
    assert first["user_agent"] == "Mozilla/5.0 (test)"
    assert first["comment"] == "First thoughts."
    assert first["story"] == "Bridge reopens"
    assert first["story_url"].endswith(adas_responses[0].article.get_absolute_url())
    assert first["status"] == "Approved"
    assert {"posted_at", "moderated_at", "in_reply_to", "anti_spam_reasons"} <= set(first)


def test_export_holds_nobody_elses_responses(adas_responses, someone_else):
    assert someone_else.pk not in [c["id"] for c in exported_comments([ADA])]


def test_export_of_an_unknown_address_is_empty():
    assert exported_comments(["nobody@example.org"]) == []


def test_export_lists_each_address_asked_for(adas_responses, someone_else):
    data = export_commenter_data([ADA, "bob@example.org"])

    assert [commenter["email"] for commenter in data["commenters"]] == [ADA, "bob@example.org"]


# --- Erase ---------------------------------------------------------------------------


def test_erasing_anonymises_every_response_of_the_address(adas_responses):
    erase_commenter_data([ADA])

    for comment in Comment.objects.filter(pk__in=[c.pk for c in adas_responses]):
        assert comment.author_name == ANONYMOUS_NAME
        assert (comment.author_email, comment.author_url, comment.user_agent) == ("", "", "")
        assert comment.ip_address is None


def test_erasing_keeps_the_text_and_the_thread(adas_responses):
    erase_commenter_data([ADA])

    kept = Comment.objects.get(pk=adas_responses[0].pk)
    assert kept.body == "First thoughts."
    assert kept.status == "approved"


def test_erasing_says_how_many_responses_changed(adas_responses):
    assert erase_commenter_data([ADA]) == 2


def test_erasing_leaves_everyone_else_alone(adas_responses, someone_else):
    erase_commenter_data([ADA])

    someone_else.refresh_from_db()
    assert (someone_else.author_name, someone_else.author_email) == ("Bob", "bob@example.org")


def test_an_erased_commenter_is_no_longer_found_by_their_address(adas_responses):
    erase_commenter_data([ADA])

    assert exported_comments([ADA]) == []


def test_the_story_page_shows_anonymous_after_erasing(client, adas_responses):
    story = adas_responses[0].article

    erase_commenter_data([ADA])

    html = client.get(story.get_absolute_url()).content.decode()
    assert "Ada Reader" not in html
    assert ANONYMOUS_NAME in html


def test_deleting_removes_the_responses_and_recounts_the_story(adas_responses):
    story = adas_responses[0].article

    delete_commenter_comments([ADA])

    assert not Comment.objects.filter(pk__in=[c.pk for c in adas_responses]).exists()
    story.refresh_from_db()
    assert story.comment_count == 0
