"""Journey 6, accessibility: axe-core (shipped inside axe-playwright-python,
injected into the page; nothing is fetched) finds no serious or critical
violation on the pages readers use most, at desktop and phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.actions import DESKTOP, PHONE, POST_BUTTON, error_summary

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("fast_antispam")]

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page):
    """axe's serious and critical findings, one readable line per element."""
    results = Axe().run(page)
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
    page.get_by_role("button", name=POST_BUTTON).click()
    error_summary(page).wait_for()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    "open_page", [open_home, open_article, open_search_results, open_comment_errors]
)
def test_page_has_no_serious_accessibility_violation(new_context, demo, open_page, viewport):
    page = new_context(viewport=viewport).new_page()
    open_page(page, demo)

    assert blocking_violations(page) == []
