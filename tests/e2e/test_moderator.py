"""Journey 2, the moderator: a reader's response waits in the admin, the
moderator approves it, and every reader then sees it; the commenter's email
is never published."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import (
    READER,
    THANK_YOU,
    choose_action,
    log_in,
    open_story_from_home,
    post_comment,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]


def pending_count():
    from comments.models import Comment

    return Comment.objects.pending().count()


def test_moderator_approves_a_response_and_readers_then_see_it(new_context, quiet_story):
    reader = new_context().new_page()
    open_story_from_home(reader, quiet_story.headline)
    expect(reader.get_by_role("heading", name="No Responses yet")).to_be_visible()
    post_comment(reader, **READER)
    expect(reader.get_by_text(THANK_YOU)).to_be_visible()

    moderator = new_context().new_page()
    log_in(moderator, "moderator")
    waiting = pending_count()
    assert waiting >= 1
    expect(
        moderator.get_by_text(re.compile(rf"\b{waiting} responses? awaiting moderation")).first
    ).to_be_visible()
    moderator.get_by_role("link", name="Comments", exact=True).first.click()
    row = moderator.get_by_role("row").filter(has_text=READER["name"])
    expect(row).to_contain_text(READER["email"])  # moderators see it; nobody else
    row.get_by_role("checkbox").check()
    choose_action(moderator, "Approve selected comments")
    expect(moderator.get_by_text("1 comment approved.")).to_be_visible()

    anyone = new_context().new_page()
    anyone.goto(reader.url)
    expect(anyone.get_by_role("heading", name="1 Response", exact=True)).to_be_visible()
    expect(anyone.get_by_text(READER["body"])).to_be_visible()
    expect(anyone.get_by_text(READER["name"]).first).to_be_visible()

    # The email is in no public page, feed or structured data.
    for path in (reader.url, "/", "/feed/", "/feed/atom/", f"/{quiet_story.section.slug}/feed/"):
        response = anyone.request.get(path)
        assert response.ok, path
        assert READER["email"] not in response.text(), path
