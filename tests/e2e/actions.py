"""What people do in the browser, written once for every journey: found by
label, role and text, as a person finds them (never by CSS class)."""

import re

# The demo accounts' password (load_demo prints it; README "Demo accounts").
DEMO_PASSWORD = "newsroom-demo"


def log_in(page, username, password=DEMO_PASSWORD):
    """Log in through the admin's login form and wait for the admin to open."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=re.compile("log out", re.IGNORECASE)).wait_for()
