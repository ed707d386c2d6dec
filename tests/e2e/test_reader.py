"""Journey 1, the reader: from the home page to the lead story, a response
refused for what is missing, then one held for moderation that only its
author sees."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import (
    COMMENT,
    EMAIL,
    FORM_HEADING,
    NAME,
    POST_BUTTON,
    READER,
    THANK_YOU,
    broken_images,
    comment_field,
    error_summary,
    open_story_from_home,
    post_comment,
    pull_quote,
    scroll_through,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]


def saved_comments():
    from comments.models import Comment

    return Comment.objects.all()


def test_reader_reads_the_lead_story_and_leaves_a_response(page, new_context, demo):
    open_story_from_home(page, demo.headline)

    # The story as published: pull-quotes with their speakers, the sources box.
    for quote in demo.pull_quotes.all():
        figure = pull_quote(page, quote.text[:40])
        expect(figure).to_be_visible()
        expect(figure).to_contain_text(quote.speaker)
        expect(figure).to_contain_text(quote.speaker_role)
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    for source in demo.sources.all():
        expect(page.get_by_text(source.title).first).to_be_visible()
    expect(page.get_by_role("heading", name=FORM_HEADING)).to_be_visible()

    # An empty form: an error for each required field, nothing saved.
    page.get_by_role("button", name=POST_BUTTON).click()
    summary = error_summary(page)
    expect(summary).to_be_visible()
    for label in (COMMENT, NAME, EMAIL):
        expect(summary).to_contain_text(label.rstrip(" *"))
        expect(comment_field(page, label)).to_have_attribute("aria-invalid", "true")
    assert not saved_comments().exists()

    # A valid response: thanked, and shown back to its author as pending.
    post_comment(page, **READER)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    expect(page.get_by_text(READER["body"])).to_be_visible()
    expect(page.get_by_text(re.compile("awaiting moderation", re.IGNORECASE))).not_to_have_count(0)
    assert saved_comments().get().status == "pending"

    # Another reader, in a fresh browser, does not see it.
    stranger = new_context().new_page()
    stranger.goto(page.url)
    expect(stranger.get_by_role("heading", level=1, name=demo.headline)).to_be_visible()
    expect(stranger.get_by_text(READER["body"])).to_have_count(0)


def test_every_picture_on_the_home_page_and_the_story_loads(page, demo):
    for path in ("/", demo.get_absolute_url()):
        page.goto(path)
        scroll_through(page)

        assert broken_images(page) == [], path
