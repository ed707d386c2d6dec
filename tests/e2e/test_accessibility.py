"""Journey 6, accessibility: axe-core (shipped inside axe-playwright-python,
injected into the page; nothing is fetched) finds no serious or critical
violation on the pages readers use, at desktop and phone width: the four the
issue names (home, story, search, the comment form with errors) and the rest
of the reader's site."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.actions import (
    DESKTOP,
    FORM_FRAME,
    PHONE,
    READER,
    THANK_YOU,
    approve_responses_from,
    error_summary,
    post_button,
    post_comment,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page, context=None):
    """axe's serious and critical findings, one readable line per element,
    the comment form's frame included: axe is put into the frame too (once the
    frame has loaded), and the page's axe checks it as part of the page.
    `context`: a CSS selector, to check one part of a page only."""
    axe = Axe()
    frame = page.locator(FORM_FRAME)
    if frame.count():
        frame.scroll_into_view_if_needed()
        frame.content_frame.locator("form, .comments-closed").first.wait_for()
        for child in page.main_frame.child_frames:
            child.evaluate(axe.axe_script)
    results = axe.run(page, context=context)
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
        for node in violation["nodes"]
    ]


def open_home(page, story):
    page.goto("/")


def open_article(page, story):
    page.goto(story.get_absolute_url())


def open_search_results(page, story):
    page.goto("/search/?q=" + story.headline.split()[0])


def open_comment_errors(page, story):
    page.goto(story.get_absolute_url())
    post_button(page).click()
    error_summary(page).wait_for()


def open_story_with_responses(page, story):
    """Approved responses with a reply, and the reader's own one awaiting moderation."""
    page.goto(story.get_absolute_url())
    post_comment(page, body="A first response, now approved.", name="Ann", email="ann@x.org")
    approve_responses_from("ann@x.org")
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Reply to Ann").click()
    post_comment(page, **READER)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()


def open_section(page, story):
    page.goto(story.section.get_absolute_url())


def open_author(page, story):
    page.goto(story.ordered_authors()[0].get_absolute_url())


def open_corrected_story(page, story):
    from articles.models import StoryNote

    page.goto(StoryNote.objects.first().article.get_absolute_url())


def open_corrections(page, story):
    page.goto("/corrections/")


def open_not_found(page, story):
    page.goto("/no-such-page/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "open_page",
    [
        open_home,
        open_article,
        open_search_results,
        open_comment_errors,
        open_story_with_responses,
        open_section,
        open_author,
        open_corrected_story,
        open_corrections,
        open_not_found,
    ],
)
def test_page_has_no_serious_accessibility_violation(new_context, demo, open_page, viewport):
    page = new_context(viewport=viewport).new_page()
    open_page(page, demo)

    assert blocking_violations(page) == []
