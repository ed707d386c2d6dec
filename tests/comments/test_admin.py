"""The moderators' desk in the Django admin, and who may use it."""

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth.models import Group
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def mod_client(client, moderator_user):
    client.force_login(moderator_user)
    return client


def changelist_rows(response):
    return list(response.context["cl"].result_list)


# --- The Moderators group ---


def test_moderators_group_may_view_change_and_delete_comments_only():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert codenames == {"view_comment", "change_comment", "delete_comment"}


def test_moderator_gets_403_on_the_article_add_page(mod_client):
    assert mod_client.get(reverse("admin:articles_article_add")).status_code == 403


def test_moderator_gets_403_on_an_article_change_page(mod_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert mod_client.get(url).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_nobody_adds_comments_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:comments_comment_add")).status_code == 403


# --- The queue ---


def test_list_opens_on_pending_comments(mod_client):
    pending = CommentFactory(status="pending")
    CommentFactory(status="approved")
    CommentFactory(status="spam")
    response = mod_client.get(CHANGELIST)
    assert changelist_rows(response) == [pending]


def test_all_filter_shows_every_comment(mod_client):
    for status in Comment.Status.values:
        CommentFactory(status=status)
    response = mod_client.get(CHANGELIST)
    assert '?status=all"' in response.content.decode()
    assert len(changelist_rows(mod_client.get(CHANGELIST + "?status=all"))) == 4


def test_status_filter_shows_spam(mod_client):
    spam = CommentFactory(status="spam")
    CommentFactory(status="pending")
    assert changelist_rows(mod_client.get(CHANGELIST + "?status=spam")) == [spam]


def test_list_shows_what_moderators_need(mod_client):
    CommentFactory(
        status="pending",
        body="A response worth reading",
        author_name="Ada Reader",
        author_email="ada@example.org",
        author_url="https://ada.example/",
        moderation_reasons=[{"rule": "max_links", "match": "3 links"}],
        article=ArticleFactory(headline="Bridge budget approved"),
    )
    html = mod_client.get(CHANGELIST).content.decode()
    for text in (
        "A response worth reading",
        "Bridge budget approved",
        "Ada Reader",
        "ada@example.org",
        "https://ada.example/",
        "Awaiting moderation",
        "max links: 3 links",
    ):
        assert text in html


def test_list_cuts_a_long_headline_short(mod_client):
    headline = "Procurement chief resigns over £740m Estuary Gate contract, saying she could not"
    CommentFactory(status="pending", article=ArticleFactory(headline=headline))
    html = mod_client.get(CHANGELIST).content.decode()
    assert "Procurement chief resigns over £740m Es…" in html
    assert headline not in html


def test_list_puts_the_response_and_who_wrote_it_before_the_story(mod_client):
    CommentFactory(status="pending")
    changelist = mod_client.get(CHANGELIST).context["cl"]
    headers = [str(header["text"]) for header in result_headers(changelist)]
    assert headers[1:] == ["comment", "commenter", "status", "reasons", "posted", "story"]


def test_reasons_are_escaped(mod_client):
    CommentFactory(status="pending", moderation_reasons=[{"rule": "honeypot", "match": "<b>x</b>"}])
    html = mod_client.get(CHANGELIST).content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.mark.parametrize("term", ["Ada", "ada@example.org", "minutes", "198.51.100"])
def test_search_by_name_email_body_and_ip(mod_client, term):
    match = CommentFactory(
        status="pending",
        author_name="Ada",
        author_email="ada@example.org",
        body="Publish the minutes",
        ip_address="198.51.100.4",
    )
    CommentFactory(status="pending", author_name="Bo", body="Other", ip_address="203.0.113.9")
    assert changelist_rows(mod_client.get(CHANGELIST, {"q": term})) == [match]


def test_search_for_text_that_is_no_ip_does_not_fail(mod_client):
    assert mod_client.get(CHANGELIST, {"q": "not an ip"}).status_code == 200


def test_filter_by_article_section(mod_client):
    news = SectionFactory(slug="news")
    match = CommentFactory(status="pending", article=ArticleFactory(section=news))
    CommentFactory(status="pending")
    response = mod_client.get(CHANGELIST, {"article__section__id__exact": news.pk})
    assert changelist_rows(response) == [match]


def test_queue_query_count_is_constant(mod_client, django_assert_max_num_queries):
    for _ in range(30):
        CommentFactory(status="pending")
    with django_assert_max_num_queries(10):
        mod_client.get(CHANGELIST)


# --- A queue of 100,000: counts are capped (articles/pagination.py) ---


def uncapped_counts(queries):
    """The COUNT queries that could read a whole table (no LIMIT inside)."""
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"]]


@pytest.fixture
def count_cap(monkeypatch):
    from comments.admin import CommentAdmin

    monkeypatch.setattr(CommentAdmin, "max_count", 3)
    return 3


def test_queue_runs_no_uncapped_count(mod_client, count_cap):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CommentFactory.create_batch(5, status="pending")
    with CaptureQueriesContext(connection) as queries:
        mod_client.get(CHANGELIST)
    assert uncapped_counts(queries.captured_queries) == []


def test_queue_past_the_cap_says_more_than(mod_client, count_cap):
    CommentFactory.create_batch(5, status="pending")
    html = mod_client.get(CHANGELIST).content.decode()
    assert "more than 3 comments" in html


def test_queue_under_the_cap_gives_the_exact_count(mod_client, count_cap):
    CommentFactory.create_batch(2, status="pending")
    html = mod_client.get(CHANGELIST).content.decode()
    assert "2 comments" in html
    assert "more than" not in html


def test_queue_pages_stop_at_the_cap(mod_client, count_cap, monkeypatch):
    from comments.admin import CommentAdmin

    monkeypatch.setattr(CommentAdmin, "list_per_page", 2)
    monkeypatch.setattr(CommentAdmin, "max_count", 4)
    CommentFactory.create_batch(5, status="pending")
    # 4 counted, 2 a page: pages 1 and 2; a third page is the admin's "invalid page".
    assert len(changelist_rows(mod_client.get(CHANGELIST, {"p": 2}))) == 2
    assert mod_client.get(CHANGELIST, {"p": 3}).status_code == 302


def test_select_all_across_pages_names_no_capped_number(mod_client, count_cap, monkeypatch):
    from comments.admin import CommentAdmin

    monkeypatch.setattr(CommentAdmin, "list_per_page", 2)
    CommentFactory.create_batch(5, status="pending")
    html = mod_client.get(CHANGELIST).content.decode()
    assert "Select all comments in this list (more than 3)" in html


def test_admin_index_caps_the_pending_count(mod_client, monkeypatch):
    monkeypatch.setattr("comments.templatetags.comments_admin.ADMIN_MAX_COUNT", 3)
    CommentFactory.create_batch(5, status="pending")
    html = mod_client.get(reverse("admin:index")).content.decode()
    assert "More than 3 responses</strong> awaiting moderation" in html


# --- Actions ---


def act(client, action, comments):
    # The action form posts to the list as shown: here, every status.
    return client.post(
        CHANGELIST + "?status=all",
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_approve_action(mod_client, moderator_user):
    comment = CommentFactory(status="pending")
    response = act(mod_client, "approve", [comment])
    comment.refresh_from_db()
    comment.article.refresh_from_db()
    assert comment.status == "approved"
    assert comment.moderated_by == moderator_user
    assert comment.moderated_at is not None
    assert comment.article.comment_count == 1
    assert "1 comment approved." in response.content.decode()


def test_reject_action(mod_client):
    comment = CommentFactory(status="pending")
    act(mod_client, "reject", [comment])
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_spam_action(mod_client):
    comment = CommentFactory(status="approved")
    response = act(mod_client, "spam", [comment])
    comment.refresh_from_db()
    comment.article.refresh_from_db()
    assert comment.status == "spam"
    assert comment.article.comment_count == 0
    assert "1 comment marked as spam." in response.content.decode()


def test_actions_are_worded_for_moderators(mod_client):
    CommentFactory(status="pending")
    html = mod_client.get(CHANGELIST).content.decode()
    for wording in (
        "Approve selected comments",
        "Reject selected comments",
        "Mark selected comments as spam",
    ):
        assert wording in html


def test_approved_comment_shows_on_the_article_at_once(
    mod_client, client, django_capture_on_commit_callbacks
):
    comment = CommentFactory(status="pending", body="Now you see me")
    article_url = comment.article.get_absolute_url()
    assert "Now you see me" not in client.get(article_url).content.decode()
    # The page cache is purged once the approval is committed.
    with django_capture_on_commit_callbacks(execute=True):
        act(mod_client, "approve", [comment])
    assert "Now you see me" in client.get(article_url).content.decode()


def test_delete_action_recounts(mod_client):
    comment = CommentFactory(status="approved")
    mod_client.post(
        CHANGELIST + "?status=all",
        {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
    )
    comment.article.refresh_from_db()
    assert not Comment.objects.exists()
    assert comment.article.comment_count == 0


# --- The change page ---


def test_change_page_shows_moderation_record_read_only(mod_client, moderator_user):
    comment = CommentFactory(status="approved", moderated_by=moderator_user)
    html = mod_client.get(
        reverse("admin:comments_comment_change", args=[comment.pk])
    ).content.decode()
    assert 'name="moderated_by"' not in html
    assert 'name="ip_address"' not in html
    assert "mod" in html


def test_status_changed_on_the_change_page_goes_through_the_verb(mod_client, moderator_user):
    comment = CommentFactory(status="pending", body="Edited later")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    response = mod_client.post(
        url,
        {
            "status": "approved",
            "body": "Edited later, typo fixed",
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "",
        },
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    comment.article.refresh_from_db()
    assert comment.status == "approved"
    assert comment.body == "Edited later, typo fixed"
    assert comment.moderated_by == moderator_user
    assert comment.article.comment_count == 1


def test_delete_from_the_change_page_recounts(mod_client):
    comment = CommentFactory(status="approved")
    mod_client.post(reverse("admin:comments_comment_delete", args=[comment.pk]), {"post": "yes"})
    comment.article.refresh_from_db()
    assert comment.article.comment_count == 0


# --- The admin index ---


def test_admin_index_shows_the_pending_count_linking_to_the_queue(mod_client):
    CommentFactory.create_batch(3, status="pending")
    CommentFactory(status="approved")
    html = mod_client.get(reverse("admin:index")).content.decode()
    assert "3 responses</strong> awaiting moderation" in html
    assert f'href="{CHANGELIST}?status=pending"' in html


def test_admin_index_without_comment_permission_shows_no_count(client, editor):
    CommentFactory(status="pending")
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "awaiting moderation" not in html


@pytest.mark.parametrize("query", ["?_facets=True", "?status=all&_facets=True", "?status=bogus"])
def test_odd_list_queries_do_not_fail(mod_client, query):
    CommentFactory(status="pending")
    assert mod_client.get(CHANGELIST + query).status_code == 200
