"""Journey 7, no JavaScript: with scripts off (old phones, strict privacy
settings, a failed download), a reader still reads stories and comments."""

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import (
    COMMENT,
    READER,
    THANK_YOU,
    comment_field,
    error_summary,
    open_story_from_home,
    post_button,
    post_comment,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]


@pytest.fixture
def page(new_context):
    context = new_context(java_script_enabled=False)
    return context.new_page()


def test_reader_without_javascript_reads_and_comments(page, demo):
    open_story_from_home(page, demo.headline)
    expect(page.get_by_text(demo.standfirst).first).to_be_visible()
    expect(page.get_by_role("blockquote").first).to_be_visible()

    post_button(page).click()
    expect(error_summary(page)).to_be_visible()

    post_comment(page, **READER)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    expect(page.get_by_text(READER["body"])).to_be_visible()
    expect(comment_field(page, COMMENT)).to_have_value("")


def test_reader_without_javascript_finds_a_story_through_search(page, demo):
    page.goto("/")
    page.get_by_role("searchbox").first.fill(demo.headline.split()[0])
    page.keyboard.press("Enter")

    expect(page.get_by_role("link", name=demo.headline, exact=True).first).to_be_visible()
