"""What people do in the browser, written once for every journey. Elements are
found as a person finds them: by label, role and visible text (never by CSS
class), with the exact wording of issues 2 and 3. At the end, the few
database look-ups the journeys check their outcome with."""

import re

from django.urls import reverse
from playwright.sync_api import expect

# The widths the site is checked at: a laptop and a phone (iPhone 12-15).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# The demo accounts' password (load_demo prints it; README "Demo accounts").
DEMO_PASSWORD = "newsroom-demo"

# The comment form's wording (issue 3, "Leave a Response").
FORM_HEADING = "Leave a Response"
COMMENT, NAME, EMAIL, WEBSITE = "Comment *", "Name *", "Email *", "Website"
POST_BUTTON = "Post Comment"
THANK_YOU = "Thank you — your comment is awaiting moderation."

# A reader who means it.
READER = {
    "body": "The council should publish the full minutes of that meeting.",
    "name": "Ada Reader",
    "email": "ada.reader@example.org",
}


def log_in(page, username, password=DEMO_PASSWORD):
    """Log in through the admin's login form and wait for the admin to open."""
    page.goto(reverse("admin:login") + "?next=" + reverse("admin:index"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name=re.compile("log out", re.IGNORECASE))).to_be_visible()


def choose_action(page, starting_with):
    """Pick a bulk action in an admin list by the start of its wording."""
    actions = page.get_by_role("combobox", name="Action")
    option = actions.get_by_role("option", name=re.compile("^" + re.escape(starting_with)))
    actions.select_option(label=option.inner_text())
    page.get_by_role("button", name="Go").click()


def scroll_through(page):
    """Scroll from top to bottom a screen at a time, as a reader does, so that
    lazy-loaded images load; then wait until every image has finished (loaded
    or failed) and go back to the top."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
                window.scrollTo(0, y);
                await new Promise(resolve => setTimeout(resolve, 50));
            }
        }"""
    )
    page.wait_for_function("Array.from(document.images).every(image => image.complete)")
    page.evaluate("window.scrollTo(0, 0)")


def broken_images(page):
    """The images on the page that did not load (missing file, bad format)."""
    return page.evaluate(
        "Array.from(document.images).filter(image => !image.naturalWidth)"
        ".map(image => image.currentSrc || image.src)"
    )


def open_story_from_home(page, headline):
    """Home page, then the story's link, as a reader arrives at a story."""
    page.goto("/")
    page.get_by_role("link", name=headline, exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name=headline)).to_be_visible()


def pull_quote(page, text):
    """A pull-quote: the words in a blockquote, the speaker in the figure's caption."""
    return page.get_by_role("figure").filter(
        has=page.get_by_role("blockquote").filter(has_text=text)
    )


# The story's page frames the form (so that the page itself can be cached for
# everyone; docs/ARCHITECTURE.md "Caching"). A reader sees one form under the
# story; Playwright reaches into the frame by its accessible name.
FORM_FRAME = 'iframe[title="Leave a Response form"]'


def response_form(page):
    """Where the comment form is: in its frame under a story, or inline in the
    page that answers a refused post (with the reader's input and errors).
    The frame loads lazily, when a reader scrolls near it: so does this.
    Given the form's frame itself, returns it."""
    if not hasattr(page, "main_frame"):
        return page
    page.wait_for_load_state()
    frame = page.locator(FORM_FRAME)
    if frame.count():
        frame.scroll_into_view_if_needed()
        return frame.content_frame
    return page


def comment_field(page, label):
    return response_form(page).get_by_label(label, exact=True)


def post_button(page):
    return response_form(page).get_by_role("button", name=POST_BUTTON)


def fill_comment_form(page, *, body, name, email, website=""):
    """Fill in the form under the story open in `page` (or the form itself)."""
    form = response_form(page)
    form.get_by_label(COMMENT, exact=True).fill(body)
    form.get_by_label(NAME, exact=True).fill(name)
    form.get_by_label(EMAIL, exact=True).fill(email)
    if website:
        form.get_by_label(WEBSITE, exact=True).fill(website)


def post_comment(page, **reader):
    """Fill in the form under the story open in `page` and post it."""
    fill_comment_form(page, **(reader or READER))
    post_button(page).click()


def error_summary(page):
    """The summary of what to fix, at the top of the form: an alert."""
    return page.get_by_role("alert").filter(has_text=re.compile("comment", re.IGNORECASE))


# --- Outcomes, read from the database ------------------------------------------
# The demo content may come with responses of its own: the journeys look only
# at what their reader posted, by email address.


def responses_from(email):
    from comments.models import Comment

    return Comment.objects.filter(author_email=email).order_by("pk")


def approve_responses_from(email, *, moderator="moderator"):
    """What a moderator does in the admin (test_moderator.py does it there),
    for journeys that only need an approved response to exist."""
    from django.contrib.auth.models import User

    from comments.moderation import approve_comments

    approve_comments(responses_from(email), by=User.objects.get(username=moderator))
