"""The editors' desk in a real browser (issue 18 §3): an editor signs in and
finds what waits for them on the admin's front page; the desk meets axe-core
and the admin's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from tests.e2e.actions import log_in
from tests.e2e.test_accessibility import blocking_violations
from tests.e2e.test_csp_browser import RECORD_VIOLATIONS

pytestmark = pytest.mark.e2e


def test_an_editor_finds_a_story_in_review_on_the_desk_and_opens_it(new_context, demo):
    from articles.models import Article

    waiting = Article.objects.exclude(pk=demo.pk).first()
    Article.objects.filter(pk=waiting.pk).update(status=Article.Status.REVIEW)
    context = new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    log_in(page, "editor")

    in_review = page.get_by_role("region", name="In review, waiting for an editor")
    expect(in_review.get_by_role("link", name=waiting.headline)).to_be_visible()
    assert blocking_violations(page, context="#desk") == []
    assert page.evaluate("window.__cspViolations") == []

    in_review.get_by_role("link", name=waiting.headline).click()
    expect(page.get_by_label("Headline:")).to_have_value(waiting.headline)
