"""CommentForm and its security part (signed timestamp, honeypot)."""

import time

import pytest
import time_machine
from django.core import signing

from comments.forms import SECURITY_SALT, CommentForm, make_security_token
from comments.models import Comment
from tests.comments.conftest import post_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def bound(article, **fields):
    return CommentForm(post_data(article, **fields), article=article)


def test_valid_form(article):
    form = bound(article)
    assert form.is_valid(), form.errors
    assert form.spam_reasons == []


@pytest.mark.parametrize("field", ["body", "author_name", "author_email"])
def test_required_fields(article, field):
    form = bound(article, **{field: ""})
    assert form.errors[field] == ["This field is required."]


@pytest.mark.parametrize("field", ["body", "author_name"])
def test_whitespace_only_counts_as_empty(article, field):
    form = bound(article, **{field: " \n\t "})
    assert form.errors[field] == ["This field is required."]


def test_website_is_optional(article):
    assert bound(article, author_url="").is_valid()


def test_email_format(article):
    assert "author_email" in bound(article, author_email="ada@").errors


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/", "vbscript:x"]
)
def test_website_rejects_schemes_other_than_http_and_https(article, url):
    assert "author_url" in bound(article, author_url=url).errors


@pytest.mark.parametrize("url", ["http://example.org/", "https://example.org/me"])
def test_website_accepts_http_and_https(article, url):
    assert bound(article, author_url=url).is_valid()


def test_website_without_scheme_becomes_https(article):
    form = bound(article, author_url="example.org")
    assert form.is_valid()
    assert form.cleaned_data["author_url"] == "https://example.org"


def test_comment_at_most_5000_characters(article):
    assert bound(article, body="x" * 5000).is_valid()
    assert "body" in bound(article, body="x" * 5001).errors


def test_name_at_most_100_characters(article):
    assert bound(article, author_name="x" * 100).is_valid()
    assert "author_name" in bound(article, author_name="x" * 101).errors


def test_nul_character_is_an_error_not_a_crash(article):
    assert "body" in bound(article, body="bad\x00byte").errors


def test_labels_read_as_the_issue_words_them(article):
    form = CommentForm(article=article)
    assert [form[name].label.strip() for name in ("body", "author_name", "author_email")] == [
        "Comment",
        "Name",
        "Email",
    ]
    assert form["author_url"].label == "Website"
    assert form["remember"].label == (
        "Save my name, email, and website in this browser for the next time I comment."
    )


def test_unbound_form_carries_a_fresh_token_for_its_article(article):
    form = CommentForm(article=article)
    payload = signing.loads(form.initial["security_token"], salt=SECURITY_SALT)
    assert payload["article"] == article.pk
    assert abs(payload["shown_at"] - time.time()) < 5


def test_two_forms_shown_in_the_same_second_get_tokens_of_their_own(article):
    # Each token carries one post (comments.models.UsedFormToken): two readers
    # shown the form at once must not share one.
    assert make_security_token(article, shown_at=1_800_000_000) != make_security_token(
        article, shown_at=1_800_000_000
    )


def test_renewing_the_token_keeps_the_readers_text(article):
    form = bound(article, body="My words.")
    used = form.data["security_token"]
    form.renew_token()
    assert form.data["security_token"] != used
    assert form.data["body"] == "My words."
    assert 'value="' + form.data["security_token"] + '"' in str(form["security_token"])


# --- The security part: what it catches is spam, not an error ---


def test_honeypot_filled_is_spam(article):
    form = bound(article, honeypot="http://spam.example")
    assert form.is_valid()
    assert form.spam_reasons == [{"rule": "honeypot", "match": "http://spam.example"}]


def test_posted_faster_than_the_minimum_is_spam(article, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 2
    form = bound(article, shown_seconds_ago=1)
    assert form.is_valid()
    assert form.spam_reasons[0]["rule"] == "too_fast"


def test_posted_after_the_minimum_is_fine(article, settings):
    settings.COMMENTS_FORM_MIN_SECONDS = 2
    with time_machine.travel(1_800_000_000, tick=False):
        data = post_data(article, shown_seconds_ago=0)
    with time_machine.travel(1_800_000_003, tick=False):
        form = CommentForm(data, article=article)
        assert form.is_valid()
    assert form.spam_reasons == []


def test_form_older_than_the_maximum_age_is_spam(article, settings):
    settings.COMMENTS_FORM_MAX_AGE_SECONDS = 3600
    form = bound(article, shown_seconds_ago=3601)
    assert form.is_valid()
    assert form.spam_reasons[0]["rule"] == "form_too_old"


@pytest.mark.parametrize("token", ["", "garbage", "eyJhIjoxfQ:1abcde:forged"])
def test_missing_or_tampered_token_is_an_error(article, token):
    form = bound(article, security_token=token)
    assert not form.is_valid()
    assert "security_token" in form.errors


def test_token_signed_without_a_timestamp_is_an_error(article):
    token = signing.dumps({"article": article.pk}, salt=SECURITY_SALT)
    assert "security_token" in bound(article, security_token=token).errors


def test_token_for_another_article_is_an_error(article):
    other = ArticleFactory()
    form = bound(article, security_token=make_security_token(other, shown_at=time.time() - 60))
    assert "security_token" in form.errors


# --- Replies ---


def test_reply_to_an_approved_comment(article):
    parent = CommentFactory(article=article)
    form = bound(article, parent=parent.pk)
    assert form.is_valid(), form.errors
    assert form.save(commit=False).parent == parent


def test_reply_to_another_articles_comment_is_an_error(article):
    form = bound(article, parent=CommentFactory().pk)
    assert form.errors["parent"] == ["You can only reply to a response on this story."]


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_reply_to_an_unpublished_comment_is_an_error(article, status):
    parent = CommentFactory(article=article, status=status)
    assert "parent" in bound(article, parent=parent.pk).errors


def test_reply_to_a_reply_is_an_error(article):
    reply = CommentFactory(article=article, parent=CommentFactory(article=article))
    assert "parent" in bound(article, parent=reply.pk).errors


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999"])
def test_garbage_parent_is_an_error(article, value):
    assert "parent" in bound(article, parent=value).errors


# --- The error summary ---


def test_error_summary_lists_each_error_with_its_field(article):
    form = bound(article, body="", author_email="nope")
    assert form.error_summary() == [
        ("id_body", "Comment: This field is required."),
        ("id_author_email", "Email: Enter a valid email address."),
    ]


def test_error_summary_points_hidden_field_errors_at_the_comment(article):
    form = bound(article, security_token="garbage")
    assert form.error_summary() == [
        ("id_body", "This form could not be verified. Please post your response again.")
    ]


def test_saving_does_not_set_status_from_the_form(article):
    form = bound(article)
    assert form.is_valid()
    assert form.save(commit=False).status == Comment.Status.PENDING
