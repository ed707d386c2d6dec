"""Journey 4, who may open what in the admin, as the browser meets it: a
moderator is refused the stories, an anonymous visitor is sent to log in."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.actions import log_in

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_is_sent_from_the_admin_to_the_login_page(page, demo):
    login = reverse("admin:login")
    for name in (
        "admin:index",
        "admin:articles_article_changelist",
        "admin:comments_comment_changelist",
    ):
        page.goto(reverse(name))

        expect(page).to_have_url(re.compile(re.escape(login) + r"\?next="))
        expect(page.get_by_label("Username")).to_be_visible()
        expect(page.get_by_label("Password")).to_be_visible()


def test_moderator_is_refused_the_article_add_and_change_pages(page, demo):
    log_in(page, "moderator")

    expect(page.get_by_role("link", name="Comments", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="Articles", exact=True)).to_have_count(0)
    for path in (
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[demo.pk]),
    ):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_label("Headline")).to_have_count(0)


def test_writer_cannot_publish_from_the_stories_list(page, demo):
    log_in(page, "writer")
    page.goto(reverse("admin:articles_article_changelist"))

    actions = page.get_by_role("combobox", name="Action")
    expect(actions.get_by_role("option", name=re.compile("publish", re.IGNORECASE))).to_have_count(
        0
    )
