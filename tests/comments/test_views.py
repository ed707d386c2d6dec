"""Posting and reading responses through the browser's plain HTML form."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.cookies import PENDING_COOKIE, REMEMBER_COOKIE
from comments.models import Comment
from comments.views import CLOSED, THANK_YOU
from tests.comments.conftest import VALID, post_data, post_url
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def responses_section(html):
    return html[html.index('id="responses"') :]


def label_texts(html):
    """Each <label>'s text as a screen reader reads it (tags dropped, spaces collapsed)."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", label).split())
        for label in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
    ]


# --- The form, as the issue words it: in its own frame, under the story ---


def form_frame(client, article, query=""):
    """The "Leave a Response" form the story's page frames (comments:form)."""
    response = client.get(reverse("comments:form", args=[article.pk]) + query)
    assert response.status_code == 200
    return response


def frame_src(html):
    return re.search(r'<iframe[^>]*src="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_story_page_has_the_heading_the_note_and_the_form_in_a_frame(client, article):
    html = page(client, article)
    assert "<h2" in html and "Leave a Response</h2>" in html
    assert "Your email address will not be published. Required fields are marked *" in html
    frame = re.search(r"<iframe[^>]*>", html).group(0)
    assert 'title="Leave a Response form"' in frame
    assert 'loading="lazy"' in frame
    assert frame_src(html) == reverse("comments:form", args=[article.pk])


def test_story_page_carries_nothing_of_one_visitor(client, article):
    html = page(client, article)
    assert "csrfmiddlewaretoken" not in html
    assert "security_token" not in html
    assert "csrftoken" not in client.cookies


def test_form_has_the_issues_wording(client, article):
    html = form_frame(client, article).content.decode()
    labels = label_texts(html)
    for label in ("Comment *", "Name *", "Email *", "Website"):
        assert label in labels
    assert "Save my name, email, and website in this browser for the next time I comment." in labels
    assert re.search(r"<button[^>]*type=\"submit\"[^>]*>\s*Post Comment\s*</button>", html)


def test_form_posts_to_the_whole_window_without_javascript(client, article):
    html = form_frame(client, article).content.decode()
    form = re.search(r"<form[^>]*>", html).group(0)
    assert f'action="{post_url(article)}" method="post"' in form
    assert 'target="_top"' in form
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="security_token"' in html


def test_form_frame_is_never_cached(client, article):
    response = form_frame(client, article)
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_form_frame_may_be_framed_by_the_site_only(client, article):
    response = form_frame(client, article)
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_other_pages_may_not_be_framed(client, article):
    response = client.get(article.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_form_frame_is_not_indexed(client, article):
    response = form_frame(client, article)
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_form_frame_is_a_page_of_its_own_with_the_sites_styles(client, article):
    html = form_frame(client, article).content.decode()
    assert html.startswith("<!doctype html>")
    assert '<html lang="en-gb">' in html
    assert f"<title>Leave a Response — {article.headline}</title>" in html
    assert "css/newsroom.css" in html


def test_form_frame_of_a_story_that_is_not_public_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(reverse("comments:form", args=[draft.pk])).status_code == 404


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, article):
    html = form_frame(client, article).content.decode()
    wrapper = re.search(
        r'<div\s+class="visually-hidden"\s+aria-hidden="true">(.*?)</div> </div>', html, re.S
    )
    assert wrapper
    field = re.search(r'<input[^>]*name="honeypot"[^>]*>', wrapper.group(1)).group(0)
    assert 'type="text"' in field
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field


# --- A valid post ---


def test_valid_post_redirects_to_the_comment_with_a_thank_you(client, article):
    response = client.post(post_url(article), post_data(article))
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    followed = client.get(response["Location"])
    assert THANK_YOU in followed.content.decode()


def test_new_comment_is_pending(client, article):
    client.post(post_url(article), post_data(article))
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_author_sees_their_pending_comment_marked_as_awaiting(client, article):
    client.post(post_url(article), post_data(article))
    html = responses_section(page(client, article))
    assert VALID["body"] in html
    assert "Your comment is awaiting moderation." in html


def test_nobody_else_sees_a_pending_comment(client, article):
    client.post(post_url(article), post_data(article))
    html = page(Client(), article)
    assert VALID["body"] not in html
    assert "awaiting moderation" not in html


def test_pending_comment_does_not_count_in_the_heading(client, article):
    client.post(post_url(article), post_data(article))
    assert "No Responses yet</h2>" in page(client, article)


def test_pending_cookie_is_signed_httponly_and_lax(client, article):
    response = client.post(post_url(article), post_data(article))
    cookie = response.cookies[PENDING_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 30 * 24 * 60 * 60
    assert cookie.value.startswith(f"{Comment.objects.get().pk}:")  # value:signature


def test_forged_pending_cookie_shows_nothing(client, article):
    other = CommentFactory(article=article, status=Comment.Status.PENDING, body="Someone else's")
    client.cookies[PENDING_COOKIE] = f"{other.pk}:forged-signature"
    assert "Someone else&#x27;s" not in page(client, article)


def test_spoofed_forwarded_for_does_not_change_the_recorded_ip(client, article, settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 0
    client.post(post_url(article), post_data(article), HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert Comment.objects.get().ip_address == "127.0.0.1"


def test_ip_is_read_behind_the_configured_proxy(client, article, settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 1
    client.post(
        post_url(article),
        post_data(article),
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20",
    )
    assert Comment.objects.get().ip_address == "198.51.100.20"


def test_user_agent_is_recorded(client, article):
    client.post(post_url(article), post_data(article), HTTP_USER_AGENT="TestBrowser/1.0")
    assert Comment.objects.get().user_agent == "TestBrowser/1.0"


# --- Spam: the same thank-you, never shown back ---


def test_honeypot_post_is_thanked_but_kept_as_spam(client, article):
    response = client.post(post_url(article), post_data(article, honeypot="buy now"))
    assert response.status_code == 303
    assert THANK_YOU in client.get(response["Location"]).content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reasons == [{"rule": "honeypot", "match": "buy now"}]


def test_spam_is_not_shown_back_to_its_poster(client, article):
    response = client.post(post_url(article), post_data(article, shown_seconds_ago=0))
    assert PENDING_COOKIE not in response.cookies
    assert VALID["body"] not in page(client, article)
    assert Comment.objects.get().status == Comment.Status.SPAM


# --- Refused: clear errors, input kept, nothing saved ---


def test_invalid_post_rerenders_the_article_with_errors_and_input(client, article):
    response = client.post(post_url(article), post_data(article, author_email="not-an-email"))
    html = response.content.decode()
    assert response.status_code == 422
    assert article.headline in html  # the story's own page
    assert "Enter a valid email address." in html
    assert 'value="not-an-email"' in html
    assert VALID["body"] in html
    assert not Comment.objects.exists()


def test_error_summary_is_an_alert_linking_to_each_field(client, article):
    response = client.post(post_url(article), post_data(article, body="  ", author_name=""))
    summary = re.search(
        r'<div id="comment-error-summary"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert summary
    opening = re.search(r'<div id="comment-error-summary"[^>]*>', response.content.decode())[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert '<a href="#id_body">Comment: This field is required.</a>' in summary.group(1)
    assert '<a href="#id_author_name">Name: This field is required.</a>' in summary.group(1)


def test_invalid_field_is_marked_invalid_next_to_its_error(client, article):
    response = client.post(post_url(article), post_data(article, body=""))
    html = response.content.decode()
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_body"', html)
    assert 'id="id_body_error"' in html


def test_refused_post_is_never_cached(client, article):
    response = client.post(post_url(article), post_data(article, body=""))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_website_with_javascript_scheme_is_refused(client, article):
    response = client.post(post_url(article), post_data(article, author_url="javascript:alert(1)"))
    assert response.status_code == 422
    assert not Comment.objects.exists()


def test_tampered_timestamp_is_a_clear_error(client, article):
    data = post_data(article)
    data["security_token"] = data["security_token"][:-3] + "abc"
    response = client.post(post_url(article), data)
    assert response.status_code == 422
    assert "This form could not be verified" in response.content.decode()
    assert not Comment.objects.exists()


def test_unknown_article_is_404(client, article):
    response = client.post("/comments/post/999999/", post_data(article))
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_draft_article_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = client.post(post_url(draft), post_data(draft))
    assert response.status_code == 404


def test_get_on_the_post_endpoint_is_not_allowed(client, article):
    assert client.get(post_url(article)).status_code == 405


def test_reply_to_a_comment_of_another_article_is_refused(client, article):
    elsewhere = CommentFactory()
    response = client.post(post_url(article), post_data(article, parent=elsewhere.pk))
    assert response.status_code == 422
    assert "You can only reply to a response on this story." in response.content.decode()
    assert Comment.objects.count() == 1


def test_reply_to_a_pending_comment_is_refused(client, article):
    pending = CommentFactory(article=article, status=Comment.Status.PENDING)
    response = client.post(post_url(article), post_data(article, parent=pending.pk))
    assert response.status_code == 422
    assert Comment.objects.count() == 1


def test_duplicate_is_refused_with_the_text_kept(client, article):
    client.post(post_url(article), post_data(article))
    client.cookies.clear()
    response = client.post(post_url(article), post_data(article), REMOTE_ADDR="10.0.0.9")
    html = response.content.decode()
    assert response.status_code == 422
    assert "already posted this response" in html
    assert VALID["body"] in html
    assert Comment.objects.count() == 1


def test_flood_is_refused_with_the_text_kept(client, article):
    client.post(post_url(article), post_data(article))
    second = post_data(article, body="A second thought, straight after.")
    response = client.post(post_url(article), second)
    html = response.content.decode()
    assert response.status_code == 429
    assert "too quickly" in html
    assert "A second thought, straight after." in html
    assert Comment.objects.count() == 1


# --- One form, one post (issue 15 §2) ---


def security_token_in(html):
    return re.search(r'name="security_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def no_flood_limit(settings):
    # The replays below come straight after the first post: without this the
    # flood limit's cool-down would answer them first.
    settings.COMMENTS_FLOOD_INTERVAL_SECONDS = 0


def test_a_replayed_form_token_is_refused_with_the_text_kept(client, article, no_flood_limit):
    first = post_data(article)
    assert client.post(post_url(article), first).status_code == 303
    replay = {**first, "body": "The same form, a second time."}
    response = client.post(post_url(article), replay)
    html = response.content.decode()
    assert response.status_code == 422
    assert "This form was already used to post a response." in html
    assert "The same form, a second time." in html
    assert Comment.objects.count() == 1


def test_a_token_replayed_from_elsewhere_is_refused_too(article, no_flood_limit):
    first = post_data(article)
    Client().post(post_url(article), first, REMOTE_ADDR="203.0.113.1")
    replay = {**first, "body": "Replayed by a bot.", "author_email": "bot@example.net"}
    response = Client().post(post_url(article), replay, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 422
    assert Comment.objects.count() == 1


def test_the_token_of_a_post_kept_as_spam_cannot_be_replayed(client, article, no_flood_limit):
    first = post_data(article, honeypot="bot")
    client.post(post_url(article), first)
    response = client.post(post_url(article), {**first, "body": "Spam again."})
    assert response.status_code == 422
    assert Comment.objects.count() == 1


def test_a_refused_replay_gets_a_new_token_to_post_with(client, article, no_flood_limit):
    first = post_data(article)
    client.post(post_url(article), first)
    refused = client.post(post_url(article), {**first, "body": "I meant to post this too."})
    new_token = security_token_in(refused.content.decode())
    assert new_token != first["security_token"]
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        again = client.post(
            post_url(article),
            {**first, "body": "I meant to post this too.", "security_token": new_token},
        )
    assert again.status_code == 303
    assert Comment.objects.filter(status="pending").count() == 2


def test_a_post_that_is_refused_does_not_use_up_its_form(client, article):
    data = post_data(article)
    client.post(post_url(article), data)
    too_soon = post_data(article, body="Another, at once.")
    assert client.post(post_url(article), too_soon).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=16), tick=False):
        assert client.post(post_url(article), too_soon).status_code == 303


def test_oversized_post_is_a_clear_413(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(post_url(article), post_data(article, body="x" * 20_000))
    assert response.status_code == 413
    assert "too long" in response.content.decode()
    assert not Comment.objects.exists()


def test_oversized_post_is_413_with_csrf_checks_on(article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), post_data(article, body="x" * 20_000))
    assert response.status_code == 413


def test_csrf_is_enforced(article):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), post_data(article))
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_with_the_form_frames_csrf_token_is_accepted(article):
    client = Client(enforce_csrf_checks=True)
    html = form_frame(client, article).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(post_url(article), {**post_data(article), "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert Comment.objects.count() == 1


# --- Closed stories ---


def test_closed_story_shows_comments_are_closed_instead_of_the_form(client):
    article = ArticleFactory(comments_open=False)
    html = page(client, article)
    assert "Comments are closed." in html
    assert "Leave a Response" not in html
    assert "<iframe" not in html


def test_form_frame_of_a_closed_story_offers_no_form(client):
    article = ArticleFactory(comments_open=False)
    html = form_frame(client, article).content.decode()
    assert "Comments are closed." in html
    assert 'name="body"' not in html


def test_post_to_a_closed_story_is_refused(client):
    article = ArticleFactory(comments_open=False)
    response = client.post(post_url(article), post_data(article))
    html = response.content.decode()
    assert response.status_code == 403
    assert CLOSED in html
    assert "Comments are closed." in html
    assert VALID["body"] in html  # the reader can still copy what they wrote
    assert not Comment.objects.exists()


def test_story_older_than_close_after_days_is_closed(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=15))
    assert "Comments are closed." in page(client, article)
    response = client.post(post_url(article), post_data(article))
    assert response.status_code == 403
    assert not Comment.objects.exists()


# --- Remember me ---


def test_ticked_remember_me_prefills_the_form_next_time(client, article):
    client.post(
        post_url(article), post_data(article, remember="on", author_url="https://ada.example")
    )
    html = form_frame(client, article).content.decode()
    assert 'value="Ada Reader"' in html
    assert 'value="ada@example.org"' in html
    assert 'value="https://ada.example"' in html
    assert re.search(r'<input type="checkbox" name="remember"[^>]*checked', html)


def test_remember_cookie_is_httponly_and_lax(client, article):
    response = client.post(post_url(article), post_data(article, remember="on"))
    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_unticked_remember_me_forgets_the_details(client, article, settings):
    settings.COMMENTS_FLOOD_INTERVAL_SECONDS = 0
    client.post(post_url(article), post_data(article, remember="on"))
    response = client.post(post_url(article), post_data(article, body="Another one."))
    assert response.cookies[REMEMBER_COOKIE].value == ""  # deleted
    client.cookies.pop(PENDING_COOKIE)
    assert 'value="ada@example.org"' not in form_frame(client, article).content.decode()


def test_form_is_empty_without_the_remember_cookie(client, article):
    assert 'value="Ada Reader"' not in form_frame(client, article).content.decode()


# --- Showing responses ---


def test_heading_counts_approved_responses_and_replies(client, article):
    first = CommentFactory(article=article)
    CommentFactory(article=article, parent=first)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)
    assert "2 Responses</h2>" in page(client, article)


def test_heading_for_one_response(client, article):
    CommentFactory(article=article)
    assert ">1 Response</h2>" in page(client, article)


def test_only_approved_comments_are_shown(client, article):
    for status in Comment.Status.values:
        CommentFactory(article=article, status=status, body=f"The {status} one")
    html = page(client, article)
    assert "The approved one" in html
    for status in ("pending", "rejected", "spam"):
        assert f"The {status} one" not in html


def test_comments_are_oldest_first(client, article):
    now = timezone.now()
    CommentFactory(article=article, body="Second", created_at=now - datetime.timedelta(minutes=1))
    CommentFactory(article=article, body="First", created_at=now - datetime.timedelta(minutes=5))
    html = page(client, article)
    assert html.index("First") < html.index("Second")


def test_replies_are_nested_under_their_comment(client, article):
    first = CommentFactory(article=article, body="Top-level")
    CommentFactory(article=article, body="A reply", parent=first)
    html = page(client, article)
    thread = html[html.index(f'id="comment-{first.pk}"') :]
    assert thread.index("A reply") < thread.index("</li>\n</ol>")
    assert '<ol class="comment-replies' in thread


def test_each_comment_is_an_article_with_a_time(client, article):
    comment = CommentFactory(article=article)
    html = page(client, article)
    assert f'<article id="comment-{comment.pk}"' in html
    local = timezone.localtime(comment.created_at).isoformat(timespec="seconds")
    assert f'datetime="{local}"' in html


def test_author_name_links_to_their_website_with_nofollow_ugc_noopener(client, article):
    CommentFactory(article=article, author_name="Ada", author_url="https://ada.example/")
    html = page(client, article)
    assert '<a href="https://ada.example/" rel="nofollow ugc noopener">Ada</a>' in html


def test_links_in_the_body_are_clickable_with_nofollow(client, article):
    CommentFactory(article=article, body="See https://example.org/report for more")
    html = page(client, article)
    assert (
        '<a href="https://example.org/report" rel="nofollow ugc noopener">'
        "https://example.org/report</a>"
    ) in html


def test_line_breaks_are_kept(client, article):
    CommentFactory(article=article, body="One line\nanother line")
    assert "One line<br>another line" in page(client, article)


def test_links_in_a_pending_comment_stay_plain_text(client, article):
    client.post(
        post_url(article),
        post_data(article, body="See https://example.org/x", author_url="https://ada.example"),
    )
    html = responses_section(page(client, article))
    assert "See https://example.org/x" in html
    assert 'href="https://example.org/x"' not in html
    assert 'href="https://ada.example"' not in html.split('id="respond"')[0]


def test_script_and_html_in_every_field_render_as_text(client, article):
    script = "<script>alert(1)</script><b>bold</b>"
    CommentFactory(article=article, author_name=script, body=script)
    client.post(post_url(article), post_data(article, author_name=script, body=script + " mine"))
    html = responses_section(page(client, article))
    assert "<script>alert(1)" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_email_never_appears_in_the_page_source(client, article):
    CommentFactory(article=article, author_email="secret.approved@example.org")
    client.post(post_url(article), post_data(article, author_email="secret.pending@example.org"))
    html = page(client, article)
    assert "secret.approved@example.org" not in html
    assert "secret.pending@example.org" not in html
    assert "Your comment is awaiting moderation." in html  # the pending one is on the page


def test_reply_link_works_without_javascript(client, article):
    comment = CommentFactory(article=article, author_name="Ada")
    html = page(client, article)
    assert f'href="?replyto={comment.pk}#respond"' in html
    reply_page = page(client, article, f"?replyto={comment.pk}")
    assert "Replying to <a" in reply_page and ">Ada</a>" in reply_page
    form = client.get(frame_src(reply_page)).content.decode()
    assert f'name="parent" value="{comment.pk}"' in form


def test_page_replying_to_a_response_is_private(client, article):
    comment = CommentFactory(article=article)
    response = client.get(article.get_absolute_url() + f"?replyto={comment.pk}")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_form_frame_ignores_a_reply_to_a_response_of_another_story(client, article):
    elsewhere = CommentFactory()
    html = form_frame(client, article, f"?replyto={elsewhere.pk}").content.decode()
    assert f'value="{elsewhere.pk}"' not in html


def test_reply_to_an_approved_comment_is_saved_under_it(client, article):
    comment = CommentFactory(article=article)
    response = client.post(post_url(article), post_data(article, parent=comment.pk))
    assert response.status_code == 303
    assert Comment.objects.get(parent=comment).status == Comment.Status.PENDING


def test_replyto_for_an_unknown_comment_is_ignored(client, article):
    html = page(client, article, "?replyto=999999")
    assert "Replying to" not in html


# --- Pagination ---


@pytest.fixture
def three_pages(article, settings):
    settings.COMMENTS_PER_PAGE = 2
    now = timezone.now()
    return [
        CommentFactory(
            article=article,
            body=f"Response {n}",
            created_at=now - datetime.timedelta(minutes=10 - n),
        )
        for n in range(5)
    ]


def test_first_page_shows_the_oldest_responses(client, article, three_pages):
    html = page(client, article)
    assert "Response 0" in html and "Response 1" in html
    assert "Response 2" not in html
    assert "Page 1 of 3" in html
    assert 'href="?cpage=2#responses"' in html


def test_later_page_shows_later_responses(client, article, three_pages):
    html = page(client, article, "?cpage=3")
    assert "Response 4" in html and "Response 0" not in html


@pytest.mark.parametrize("value", ["abc", "0", "-1", "99999999999999999999999", "1.5", "", "٣"])
def test_invalid_page_values_never_fail(client, article, three_pages, value):
    assert "Response" in page(client, article, f"?cpage={value}")


def test_redirect_after_post_goes_to_the_page_of_the_new_comment(client, article, three_pages):
    response = client.post(post_url(article), post_data(article))
    assert "?cpage=3#comment-" in response["Location"]
    html = page(client, article, "?cpage=3")
    assert VALID["body"] in html


def test_own_pending_comment_is_shown_on_the_last_page_only(client, article, three_pages):
    client.post(post_url(article), post_data(article))
    assert VALID["body"] not in page(client, article, "?cpage=1")


# --- Caching: a commenter's pages are private ---


def test_page_for_a_reader_with_a_pending_comment_is_private(client, article):
    client.post(post_url(article), post_data(article))
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_page_for_a_remembered_commenter_is_private(client, article):
    client.post(post_url(article), post_data(article, remember="on"))
    client.cookies.pop(PENDING_COOKIE)
    response = client.get(article.get_absolute_url())
    assert "no-store" in response["Cache-Control"]


def test_page_for_an_anonymous_reader_is_not_marked_private(client, article):
    response = client.get(article.get_absolute_url())
    assert "private" not in response.get("Cache-Control", "")


# --- Query budget: constant, whatever the number of responses ---


@pytest.fixture
def busy_article(article):
    """60 top-level responses (two pages), each of the first 30 with a reply."""
    now = timezone.now()
    tops = [
        CommentFactory.build(article=article, created_at=now - datetime.timedelta(minutes=200 - n))
        for n in range(60)
    ]
    Comment.objects.bulk_create(tops)
    tops = list(Comment.objects.filter(article=article).order_by("created_at"))
    Comment.objects.bulk_create(
        CommentFactory.build(article=article, parent=top, created_at=top.created_at)
        for top in tops[:30]
    )
    CommentFactory(article=article, parent=tops[0])  # recounts
    article.refresh_from_db()
    assert article.comment_count == 91
    return article


def test_article_page_query_budget_anonymous(client, busy_article, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        html = page(client, busy_article)
    assert html.count('class="comment mb-4') == 50 + 31


def test_article_page_query_budget_with_a_pending_cookie(
    client, busy_article, django_assert_max_num_queries
):
    client.post(post_url(busy_article), post_data(busy_article))
    with django_assert_max_num_queries(8):
        html = page(client, busy_article, "?cpage=2")
    assert "Your comment is awaiting moderation." in html


def test_article_page_query_budget_for_staff(
    client, editor, busy_article, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        page(client, busy_article)
