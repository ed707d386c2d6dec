"""comments/privacy.py: a commenter's data, exported and erased by email address."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from comments.models import Comment
from comments.privacy import (
    ANONYMOUS_NAME,
    delete_commenter_comments,
    erase_commenter_data,
    export_commenter_data,
)
from tests.factories import ArticleFactory, CommentFactory, UserFactory

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


# --- Addresses in any script (comments/emails.py), on SQLite as on PostgreSQL ---

JANE_AS_POSTED = "Jane@MÜNCHEN.de"


@pytest.fixture
def janes_response():
    return CommentFactory(author_email=JANE_AS_POSTED, author_name="Jane Roe", body="Servus.")


@pytest.mark.parametrize("asked_for", ["jane@münchen.de", "jane@xn--mnchen-3ya.de"])
def test_export_finds_a_non_ascii_address_whatever_its_case_or_idna_form(janes_response, asked_for):
    exported = exported_comments([asked_for])

    assert [c["id"] for c in exported] == [janes_response.pk]
    assert exported[0]["email"] == JANE_AS_POSTED


@pytest.mark.parametrize("asked_for", ["jane@münchen.de", "jane@xn--mnchen-3ya.de"])
def test_erasing_a_non_ascii_address_whatever_its_case_or_idna_form_anonymises_it(
    janes_response, asked_for
):
    assert erase_commenter_data([asked_for]) == 1

    erased = Comment.objects.get(pk=janes_response.pk)
    assert (erased.author_name, erased.author_email) == (ANONYMOUS_NAME, "")
    assert erased.author_email_normalised == ""


def test_export_lists_an_address_asked_for_twice_in_two_forms_once(janes_response):
    data = export_commenter_data(["jane@münchen.de", "JANE@xn--mnchen-3ya.de"])

    assert len(data["commenters"]) == 1
    assert [c["id"] for c in data["commenters"][0]["comments"]] == [janes_response.pk]


def test_erasing_a_non_ascii_address_leaves_the_ascii_lookalike_alone(janes_response):
    lookalike = CommentFactory(author_email="jane@munchen.de", author_name="Other Jane")

    erase_commenter_data(["jane@münchen.de"])

    lookalike.refresh_from_db()
    assert lookalike.author_name == "Other Jane"


# --- What the anti-spam reasons kept of the reader ---


def test_erasing_blanks_what_was_typed_into_the_honeypot():
    caught = CommentFactory(
        author_email=ADA,
        status="spam",
        moderation_reasons=[{"rule": "honeypot", "match": "Ada Reader, 12 Mill Lane"}],
    )

    erase_commenter_data([ADA])

    caught.refresh_from_db()
    assert caught.moderation_reasons == [{"rule": "honeypot", "match": "(erased)"}]


def test_erasing_blanks_the_email_a_known_commenter_reason_recorded():
    # What decide() recorded before issue 15: the address itself.
    approved = CommentFactory(
        author_email=ADA, moderation_reasons=[{"rule": "known_commenter", "match": ADA}]
    )

    erase_commenter_data([ADA])

    approved.refresh_from_db()
    assert ADA not in str(approved.moderation_reasons)
    assert approved.moderation_reasons[0]["rule"] == "known_commenter"


def test_erasing_blanks_a_word_the_rules_found_in_the_readers_details():
    caught = CommentFactory(
        author_email="ada@spam.example",
        status="spam",
        moderation_reasons=[{"rule": "disallowed_words", "match": "ada@spam.example"}],
    )

    erase_commenter_data(["ada@spam.example"])

    caught.refresh_from_db()
    assert caught.moderation_reasons == [{"rule": "disallowed_words", "match": "(erased)"}]


def test_erasing_keeps_the_reasons_that_say_nothing_about_the_reader():
    reasons = [
        {"rule": "max_links", "match": "3 links"},
        {"rule": "too_fast", "match": "posted 0.4 s after it was shown"},
    ]
    held = CommentFactory(author_email=ADA, status="pending", moderation_reasons=reasons)

    erase_commenter_data([ADA])

    held.refresh_from_db()
    assert held.moderation_reasons == reasons


def test_erasing_leaves_other_commenters_reasons_alone(adas_responses):
    bobs = CommentFactory(
        author_email="bob@example.org",
        status="spam",
        moderation_reasons=[{"rule": "honeypot", "match": "bob's text"}],
    )

    erase_commenter_data([ADA])

    bobs.refresh_from_db()
    assert bobs.moderation_reasons == [{"rule": "honeypot", "match": "bob's text"}]


def test_the_export_still_holds_the_reasons_in_full():
    reasons = [{"rule": "honeypot", "match": "typed by a bot"}]
    CommentFactory(author_email=ADA, status="spam", moderation_reasons=reasons)

    assert exported_comments([ADA])[0]["anti_spam_reasons"] == reasons


# --- The admin's history ---


def log_change(comment):
    return LogEntry.objects.create(
        user=UserFactory(username=f"mod{comment.pk}"),
        content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(comment.pk),
        object_repr=str(comment),
        action_flag=CHANGE,
    )


def test_erasing_takes_the_name_out_of_the_admins_history(adas_responses):
    entry = log_change(adas_responses[0])

    erase_commenter_data([ADA])

    entry.refresh_from_db()
    assert "Ada Reader" not in entry.object_repr
    assert entry.object_repr.startswith(f"{ANONYMOUS_NAME} on “Bridge reopens”")


def test_deleting_takes_the_name_out_of_the_admins_history(adas_responses):
    entry = log_change(adas_responses[0])

    delete_commenter_comments([ADA])

    entry.refresh_from_db()
    assert "Ada Reader" not in entry.object_repr


def test_erasing_leaves_other_commenters_history_alone(adas_responses, someone_else):
    entry = log_change(someone_else)

    erase_commenter_data([ADA])

    entry.refresh_from_db()
    assert entry.object_repr.startswith("Bob on")
