"""Who may open what in the admin, as the browser sees it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_is_sent_from_the_admin_to_the_login_page(page, live_server, db):
    page.goto("/admin/")

    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
