"""The Content-Security-Policy in a real browser (issue 7 §1): the public pages,
the comment form's script, the admin's story editor and the moderation queue
all work with no violation (core/security.py, settings.CONTENT_SECURITY_POLICY).
A violation here means the policy blocks something of ours: the site would be
broken for readers or editors, not attacked."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.actions import error_summary, log_in, post_button

pytestmark = pytest.mark.e2e

# Every policy violation a page meets, kept on the page for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def watched(new_context):
    """A page that records CSP violations, and console messages about them."""
    context = new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_policy_messages = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.console_policy_messages.append(message.text)
        ),
    )
    return page


def violations(page):
    return page.evaluate("window.__cspViolations") + page.console_policy_messages


def test_public_pages_meet_no_violation(watched, demo):
    story = demo
    paths = [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        story.tags.first().get_absolute_url(),
        story.ordered_authors()[0].get_absolute_url(),
        reverse("articles:search") + "?q=council",
        "/no/such/page/",
    ]
    found = []
    for path in paths:
        watched.goto(path)
        watched.wait_for_load_state("networkidle")
        found += [(path, violation) for violation in violations(watched)]

    assert found == []


def test_the_comment_form_frame_meets_no_violation(watched, demo):
    watched.goto(demo.get_absolute_url())
    post_button(watched).wait_for()

    assert violations(watched) == []


def test_the_comment_forms_script_runs_under_the_policy(watched, demo, fast_antispam):
    watched.goto(demo.get_absolute_url())
    post_button(watched).click()

    # error-summary.js (a static file) moved focus to the summary.
    expect(error_summary(watched)).to_be_focused()
    assert violations(watched) == []


def test_the_story_editor_works_under_the_admin_policy(watched, demo):
    log_in(watched, "editor")
    watched.goto(reverse("admin:articles_article_add"))
    body = watched.get_by_role("textbox").filter(has=watched.get_by_role("paragraph"))
    body.click()
    watched.keyboard.type("Bold   words")
    watched.keyboard.press("Control+a")
    watched.get_by_role("button", name=re.compile("bold", re.IGNORECASE)).first.click()

    expect(body.locator("strong")).to_have_text("Bold   words")
    # The editor's own stylesheet (allowed by its hash) keeps typed spaces.
    assert body.evaluate("e => getComputedStyle(e).whiteSpace") in {"pre-wrap", "break-spaces"}
    assert violations(watched) == []


def test_the_moderation_queue_meets_no_violation(watched, demo):
    from comments.models import Comment

    log_in(watched, "moderator")
    found = []
    for path in (
        reverse("admin:comments_comment_changelist") + "?status=all",
        reverse("admin:comments_comment_change", args=[Comment.objects.first().pk]),
    ):
        watched.goto(path)
        watched.wait_for_load_state("networkidle")
        found += violations(watched)

    assert found == []


def test_the_revision_pages_meet_no_violation(watched, demo):
    from articles import revisions

    log_in(watched, "editor")
    watched.goto(reverse("admin:articles_article_change", args=[demo.pk]))
    watched.get_by_label("Headline:").fill(demo.headline + " (corrected)")
    watched.get_by_role("button", name="Save and continue editing").click()
    expect(watched.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    first = revisions.revisions_of(demo).last()
    found = []
    for path in (
        reverse("admin:articles_article_history", args=[demo.pk]),
        reverse("admin:articles_article_compare", args=[demo.pk]),
        reverse("admin:articles_article_restore", args=[demo.pk, first.pk]),
    ):
        watched.goto(path)
        watched.wait_for_load_state("networkidle")
        # The diff's stylesheet applied: deletions struck through, with their marker.
        if "compare" in path:
            deleted = watched.locator("table.diff del").first
            assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
            assert deleted.evaluate("e => getComputedStyle(e, '::before').content") == '"[−"'
        found += violations(watched)

    assert found == []
