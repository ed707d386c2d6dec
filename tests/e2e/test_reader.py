"""Journey 1, the reader: from the home page to the lead story, a response
refused for what is missing, then one held for moderation that only its
author sees."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import (
    COMMENT,
    DESKTOP,
    EMAIL,
    FORM_FRAME,
    FORM_HEADING,
    NAME,
    PHONE,
    POST_BUTTON,
    READER,
    THANK_YOU,
    WEBSITE,
    approve_responses_from,
    broken_images,
    comment_field,
    error_summary,
    open_story_from_home,
    post_button,
    post_comment,
    pull_quote,
    response_form,
    responses_from,
    scroll_through,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]


def count_all_responses():
    from comments.models import Comment

    return Comment.objects.count()


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
    responses_before = count_all_responses()
    post_button(page).click()
    summary = error_summary(page)
    expect(summary).to_be_visible()
    for label in (COMMENT, NAME, EMAIL):
        expect(summary).to_contain_text(label.rstrip(" *"))
        expect(comment_field(page, label)).to_have_attribute("aria-invalid", "true")
    assert count_all_responses() == responses_before

    # A valid response: thanked, and shown back to its author as pending.
    post_comment(page, **READER)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    expect(page.get_by_text(READER["body"])).to_be_visible()
    expect(page.get_by_text(re.compile("awaiting moderation", re.IGNORECASE))).not_to_have_count(0)
    assert responses_from(READER["email"]).get().status == "pending"

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


def test_markup_typed_into_a_response_is_shown_as_text_and_never_run(page, new_context, demo):
    hostile = {
        "body": "<script>alert('body')</script><b>shouting</b>",
        "name": "<img src=x onerror=alert('name')>",
        "email": "mallory@example.org",
        "website": "https://example.org/?q=<script>alert('url')</script>",
    }
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(demo.get_absolute_url())
    post_comment(page, **hostile)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    approve_responses_from(hostile["email"])

    for reader in (page, new_context().new_page()):
        reader.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        reader.goto(demo.get_absolute_url())
        response = reader.get_by_role("article").filter(has_text="shouting")
        expect(response).to_contain_text(hostile["body"])
        expect(response).to_contain_text(hostile["name"])
        expect(response.get_by_role("img")).to_have_count(0)
    assert dialogs == []


def test_ticking_save_my_details_fills_in_the_form_next_time(page, demo):
    page.goto(demo.get_absolute_url())
    response_form(page).get_by_role("checkbox", name="Save my name, email, and website").check()
    post_comment(page, **READER, website="https://ada.example.org/")
    expect(page.get_by_text(THANK_YOU)).to_be_visible()

    page.goto(demo.get_absolute_url())
    expect(comment_field(page, COMMENT)).to_have_value("")
    expect(comment_field(page, NAME)).to_have_value(READER["name"])
    expect(comment_field(page, EMAIL)).to_have_value(READER["email"])
    expect(comment_field(page, WEBSITE)).to_have_value("https://ada.example.org/")


def test_details_are_not_remembered_unless_asked(page, demo):
    page.goto(demo.get_absolute_url())
    post_comment(page, **READER)
    expect(page.get_by_text(THANK_YOU)).to_be_visible()

    page.goto(demo.get_absolute_url())
    expect(comment_field(page, NAME)).to_have_value("")
    expect(comment_field(page, EMAIL)).to_have_value("")


def test_story_with_comments_closed_offers_no_form(page, demo):
    demo.comments_open = False
    demo.save(update_fields=["comments_open"])

    page.goto(demo.get_absolute_url())

    expect(page.get_by_text("Comments are closed.")).to_be_visible()
    expect(page.locator(FORM_FRAME)).to_have_count(0)
    expect(page.get_by_role("button", name=POST_BUTTON)).to_have_count(0)


def test_reader_replies_to_a_response_and_the_reply_is_nested_once_approved(
    page, new_context, quiet_story
):
    first = {"body": "Who signed off the contract in the end?", "name": "Ben", "email": "b@x.org"}
    page.goto(quiet_story.get_absolute_url())
    post_comment(page, **first)
    approve_responses_from(first["email"])

    replier = new_context().new_page()
    replier.goto(quiet_story.get_absolute_url())
    replier.get_by_role("link", name="Reply to Ben").click()
    expect(replier.get_by_text("Replying to Ben")).to_be_visible()
    post_comment(replier, **READER)
    expect(replier.get_by_text(THANK_YOU)).to_be_visible()
    approve_responses_from(READER["email"])

    anyone = new_context().new_page()
    anyone.goto(quiet_story.get_absolute_url())
    expect(anyone.get_by_role("heading", name="2 Responses", exact=True)).to_be_visible()
    parent = anyone.get_by_role("listitem").filter(has_text=first["body"])
    expect(parent.get_by_role("listitem").filter(has_text=READER["body"])).to_be_visible()


@pytest.mark.parametrize("path", ["/", "story", "/search/?q=contract", "/no-such-page/"])
def test_page_fits_a_phone_screen_without_sideways_scrolling(new_context, demo, path):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(demo.get_absolute_url() if path == "story" else path)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a 390px phone"


def test_unknown_address_gets_a_helpful_not_found_page(page, demo):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("searchbox").first).to_be_visible()
    page.get_by_role("link", name="Newsroom").first.click()
    expect(page.get_by_role("link", name=demo.headline, exact=True).first).to_be_visible()


# The frame's measurements: its box, and the document inside it.
FRAME_FIT = """frame => {
    const inner = frame.contentDocument.documentElement;
    const style = getComputedStyle(frame);
    return {
        frameHeight: frame.clientHeight,
        frameWidth: frame.clientWidth,
        contentHeight: inner.scrollHeight,
        contentWidth: inner.scrollWidth,
        formHeight: Math.ceil(frame.contentDocument.body.getBoundingClientRect().height),
        border: style.borderTopWidth,
    };
}"""


# Resolves once the frame is as tall as the form inside it.
FITTED = """frame => new Promise(done => {
    const body = frame.contentDocument.body;
    const check = () => Math.abs(frame.clientHeight - body.getBoundingClientRect().height) < 2
        ? done() : setTimeout(check, 50);
    check();
})"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_response_form_fits_its_frame_without_a_scroll_bar(
    new_context, demo, viewport, javascript
):
    page = new_context(viewport=viewport, java_script_enabled=javascript).new_page()
    page.goto(demo.get_absolute_url())
    comment_field(page, COMMENT).wait_for()
    frame = page.locator(FORM_FRAME)
    if javascript:  # comments/frame.js fits the frame to the form
        frame.evaluate(FITTED)
    fit = frame.evaluate(FRAME_FIT)
    assert fit["contentHeight"] <= fit["frameHeight"], fit
    assert fit["contentWidth"] <= fit["frameWidth"], fit
    assert fit["border"] == "0px"
