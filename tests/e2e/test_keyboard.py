"""Journey 5, keyboard only: a reader who cannot use a mouse reaches the
comment form with Tab (into its frame, as any focusable content), fills it in
and sends it with Enter, sees where the focus is at every step, and lands on
the error summary when something is missing."""

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import (
    COMMENT,
    EMAIL,
    NAME,
    READER,
    THANK_YOU,
    WEBSITE,
    comment_field,
    error_summary,
    post_button,
    response_form,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]

# More Tab presses than any story page needs to reach its comment form.
MAX_TABS = 300

# How the focused element shows it has focus: an outline or a box shadow
# (Bootstrap's focus ring), whichever the stylesheet gives it. Focus inside the
# comment form's frame is the frame's own focused element (the page's
# activeElement is then the <iframe>).
FOCUS_STYLE = """() => {
    let focused = document.activeElement;
    while (focused && focused.tagName === "IFRAME" && focused.contentDocument) {
        focused = focused.contentDocument.activeElement;
    }
    const style = focused.ownerDocument.defaultView.getComputedStyle(focused);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return {
        tag: focused.tagName,
        text: (focused.innerText || focused.name || "").slice(0, 60),
        visible: Boolean(outline || shadow),
    };
}"""


def focus_is_visible(page):
    return page.evaluate(FOCUS_STYLE)


def tab_to(page, target):
    """Press Tab until `target` has focus, checking on the way that every
    element the focus passes shows it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = focus_is_visible(page)
        assert focused["visible"], f"focus is invisible on {focused}"
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} never received focus after {MAX_TABS} presses of Tab")


def tab_to_next(page, target):
    page.keyboard.press("Tab")
    expect(target).to_be_focused()
    assert focus_is_visible(page)["visible"]


def test_comment_form_is_filled_and_sent_with_the_keyboard_only(page, demo):
    page.goto(demo.get_absolute_url())

    tab_to(page, comment_field(page, COMMENT))
    page.keyboard.type(READER["body"])
    tab_to_next(page, comment_field(page, NAME))
    page.keyboard.type(READER["name"])
    tab_to_next(page, comment_field(page, EMAIL))
    page.keyboard.type(READER["email"])
    tab_to_next(page, comment_field(page, WEBSITE))
    tab_to_next(page, response_form(page).get_by_role("checkbox", name="Save my name"))
    tab_to_next(page, post_button(page))
    page.keyboard.press("Enter")

    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    expect(page.get_by_text(READER["body"])).to_be_visible()


def test_after_an_error_focus_lands_on_the_error_summary(page, demo):
    page.goto(demo.get_absolute_url())

    tab_to(page, comment_field(page, COMMENT))
    page.keyboard.type(READER["body"])
    page.keyboard.press("Tab")
    page.keyboard.type(READER["name"])
    page.keyboard.press("Tab")
    page.keyboard.type("not-an-email")
    page.keyboard.press("Enter")

    summary = error_summary(page)
    expect(summary).to_be_visible()
    assert summary.evaluate("summary => summary.contains(document.activeElement)")
    expect(summary).to_contain_text("Email")
    # What the reader typed is still there to correct.
    expect(comment_field(page, COMMENT)).to_have_value(READER["body"])
    expect(comment_field(page, EMAIL)).to_have_value("not-an-email")


def test_skip_link_takes_a_keyboard_reader_past_the_navigation(page, demo):
    page.goto(demo.get_absolute_url())

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    # The next Tab goes into the story, not through the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "!document.querySelector('header, [role=banner]').contains(document.activeElement)"
    )
    expect(page.get_by_role("main")).to_be_visible()
    assert page.get_by_role("main").evaluate("main => main.contains(document.activeElement)")


def test_error_summary_links_take_the_reader_to_the_field_to_fix(page, demo):
    page.goto(demo.get_absolute_url())
    tab_to(page, post_button(page))
    page.keyboard.press("Enter")
    expect(error_summary(page)).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Name: This field is required."))
    page.keyboard.press("Enter")

    expect(comment_field(page, NAME)).to_be_focused()
    page.keyboard.type(READER["name"])
    expect(comment_field(page, NAME)).to_have_value(READER["name"])
