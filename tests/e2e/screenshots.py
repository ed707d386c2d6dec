"""`make screenshots`: pictures of the demo site in a real Chromium, for the
README and for anyone reviewing a design change, saved to docs/screenshots/.

Run through pytest (`pytest tests/e2e/screenshots.py`) for the same live
server, demo content and browser as the e2e suite; the file name does not
match `test_*.py`, so `make test` never rewrites the pictures.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.actions import (
    DESKTOP,
    FORM_FRAME,
    PHONE,
    POST_BUTTON,
    THANK_YOU,
    WEBSITE,
    comment_field,
    error_summary,
    log_in,
    post_button,
    post_comment,
    scroll_through,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Readers whose responses wait in the moderation queue picture.
WAITING_RESPONSES = [
    {
        "body": "Thank you for printing the letter in full; the quotes alone did not "
        "give the whole picture.",
        "name": "Priya Shah",
        "email": "priya@example.org",
    },
    {
        "body": "Will there be a follow-up once the review is published?",
        "name": "Tom Evans",
        "email": "tom.evans@example.net",
    },
    {
        "body": "The second source link goes to the archive copy, which is slow to load.",
        "name": "Grace Lin",
        "email": "g.lin@example.com",
    },
]


def save(page_or_element, name, **options):
    """Save a picture once every (lazy-loaded) image on the page, and the
    comment form in its (lazy-loaded) frame, have arrived."""
    page = getattr(page_or_element, "page", page_or_element)
    scroll_through(page)
    if page.locator(FORM_FRAME).count():
        post_button(page).wait_for()
        page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page_or_element.screenshot(path=SCREENSHOTS / name, animations="disabled", **options)


def test_home_page_at_desktop_width(new_context, demo):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/")
    save(page, "home-desktop.png")


def test_article_at_desktop_width(new_context, demo):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(demo.get_absolute_url())
    save(page, "article-desktop.png", full_page=True)


def test_article_at_phone_width(new_context, demo):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(demo.get_absolute_url())
    # The first screen, as a reader opening the story sees it (the README's),
    # and the whole page, down to the response form, for reviewing the layout.
    save(page, "article-phone.png")
    save(page, "article-phone-full.png", full_page=True)


def test_story_with_a_correction(new_context, demo):
    from articles.models import StoryNote

    page = new_context(viewport=DESKTOP).new_page()
    page.goto(StoryNote.objects.first().article.get_absolute_url())
    expect(page.get_by_role("complementary", name="Corrections and notes")).to_be_visible()
    save(page, "story-with-correction.png")  # the first screen: the correction under the headline


def test_comment_form_showing_errors(new_context, demo):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(demo.get_absolute_url())
    comment_field(page, WEBSITE).fill("javascript:alert(1)")
    post_button(page).click()
    expect(error_summary(page)).to_be_visible()
    form = page.locator("form").filter(has=page.get_by_role("button", name=POST_BUTTON))
    save(form, "comment-form-errors.png")


def test_moderation_queue(new_context, demo):
    for reader in WAITING_RESPONSES:
        page = new_context().new_page()
        page.goto(demo.get_absolute_url())
        post_comment(page, **reader)
        expect(page.get_by_text(THANK_YOU)).to_be_visible()

    moderator = new_context(viewport=DESKTOP).new_page()
    log_in(moderator, "moderator")
    moderator.get_by_role("link", name="Comments", exact=True).first.click()
    expect(moderator.get_by_role("row").filter(has_text="Priya Shah")).to_be_visible()
    save(moderator, "moderation-queue.png")


def test_revision_comparison(new_context, demo):
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, "editor")
    page.goto(reverse("admin:articles_article_change", args=[demo.pk]))
    page.get_by_label("Headline:").fill(demo.headline.replace("residents", "neighbours"))
    page.get_by_label("Standfirst:").fill(demo.standfirst + " A second hearing is planned.")
    page.get_by_role("button", name="Save and continue editing").click()
    page.get_by_role("link", name="History").click()
    page.get_by_role("button", name="Compare the two chosen versions").click()
    expect(page.locator("ins").first).to_be_visible()
    save(page, "revision-comparison.png", full_page=True)


def test_edit_conflict_message(new_context, demo):
    first, second = (
        new_context(viewport=DESKTOP).new_page(),
        new_context(viewport=DESKTOP).new_page(),
    )
    change = reverse("admin:articles_article_change", args=[demo.pk])
    log_in(first, "editor")
    log_in(second, "admin")
    first.goto(change)
    second.goto(change)
    first.get_by_label("Standfirst:").fill(demo.standfirst + " Updated by the news desk.")
    first.get_by_role("button", name="Save and continue editing").click()
    expect(first.get_by_text("was changed successfully", exact=False)).to_be_visible()
    second.get_by_label("Headline:").fill(demo.headline + ", officials confirm")
    second.get_by_role("button", name="Save and continue editing").click()
    conflict = second.get_by_role("region", name=re.compile("Someone else saved"))
    expect(conflict).to_be_visible()
    save(conflict, "edit-conflict.png")


def test_editors_desk(new_context, demo):
    from articles.models import Article

    Article.objects.filter(slug="walk-in-clinic-extends-evening-hours").update(status="review")
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, "editor")
    desk = page.locator("#desk")
    expect(desk.get_by_role("heading", name="Editors' desk")).to_be_visible()
    save(desk, "editors-desk.png")
