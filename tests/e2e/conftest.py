"""Real-browser tests: Debian's Chromium, driven by Playwright, against the
site served by pytest-django's `live_server` on 127.0.0.1.

- One browser per test session; a new browser context (cookies, storage) per
  test, and more contexts from `new_context` for "a second, fresh reader".
- `live_server` runs in a thread of this process, so `settings` overrides
  (e.g. the shortened anti-spam timings below) apply to the site under test,
  and both share the local-memory cache that tests/conftest.py clears.
- The data comes from `load_demo` (the same content a developer sees with
  `make run`), in a transactional database that is emptied after each test.
  Emptying it also removes what the data migrations made (the Editors,
  Writers and Moderators groups), so `demo` runs those migrations' functions
  again first. (Not `serialized_rollback`: once any other transactional test
  has emptied the database, Django re-creates content types with new ids and
  restoring the serialized copy fails on them.)
- Without a Chromium at CHROMIUM_PATH (default /usr/bin/chromium), every
  `e2e` test is skipped with that reason and the run says so at the end.
"""

import importlib
import os
from pathlib import Path

import pytest

from tests.e2e.actions import DESKTOP

# Playwright's sync API runs an asyncio loop in this thread: without this,
# Django refuses ORM calls from the test ("You cannot call this from an async
# context"). Safe here: the test and the browser take turns, never at once.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The issue asks for the site on 127.0.0.1 (pytest-django's default is
# "localhost"); port 0 lets the OS choose a free one.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless comes from the launch option. The machine has no network but the
# loopback: without the background-networking flags Chromium keeps trying to
# reach Google's hosts; as root it needs --no-sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM_REASON = f"no Chromium found at {CHROMIUM_PATH} (apt-get install chromium)"

# Every wait in the suite: long enough for a 2-core CI machine under load,
# short enough that a missing element fails the test quickly.
TIMEOUT_MS = 10_000


def chromium_available():
    return Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def is_e2e(item):
    return item.get_closest_marker("e2e") is not None


# --- Skipping, plainly, when there is no browser -------------------------------


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM_REASON)
    for item in items:
        if is_e2e(item):
            item.add_marker(skip)


def pytest_collection_finish(session):
    # Counted after -m/-k deselection, so `-m 'not e2e'` reports nothing.
    session.config._e2e_skipped = (
        0 if chromium_available() else sum(1 for item in session.items if is_e2e(item))
    )


def pytest_terminal_summary(terminalreporter, config):
    skipped = getattr(config, "_e2e_skipped", 0)
    if skipped:
        terminalreporter.write_sep(
            "=", f"browser tests SKIPPED ({skipped}): {NO_CHROMIUM_REASON}", yellow=True
        )


# --- The browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.skip(NO_CHROMIUM_REASON)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server, transactional_db):
    """Open a fresh browser context (a new reader: no cookies, no session) on
    the live site; every context opened here is closed after the test.

    new_context(java_script_enabled=False), new_context(viewport=PHONE), ...

    It asks for the database first so that the database is emptied last,
    after every context is closed: no request of a failed test can reach a
    database that is being emptied and leave a row behind.
    """
    contexts = []

    def open_context(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh desktop-sized context: the reader of most tests."""
    return new_context().new_page()


# --- The site's content ----------------------------------------------------------


# The data migrations that give the groups their permissions; each function
# is idempotent and takes (apps, schema_editor) like any RunPython function.
GROUP_MIGRATIONS = [
    ("articles.migrations.0003_editor_groups", "create_groups"),
    ("comments.migrations.0002_moderators_group", "create_group"),
]


@pytest.fixture(scope="session")
def migrated_apps():
    """The models as the migrations leave them, for running RunPython
    functions outside a migration (built once: it takes a moment)."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


@pytest.fixture
def demo(live_server, transactional_db, migrated_apps, settings):
    """The demo content of `make run`: lead story, other stories, the demo
    accounts in their groups. Returns the published lead story."""
    from django.core.management import call_command

    from articles.models import Article

    # Four demo accounts' passwords hashed at full strength cost over a second
    # per test; the browser logs in with whatever hasher made them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for module, function in GROUP_MIGRATIONS:
        getattr(importlib.import_module(module), function)(migrated_apps, None)
    call_command("load_demo", force=True, verbosity=0)
    return Article.objects.published().get(is_lead=True)


@pytest.fixture
def quiet_story(demo):
    """A published demo story that nobody has responded to yet, for journeys
    that count responses from none ("No Responses yet", then "1 Response")."""
    from articles.models import Article

    story = Article.objects.published().filter(comments__isnull=True).latest_first().first()
    assert story is not None, "the demo content has no story without responses"
    return story


@pytest.fixture
def fast_antispam(settings):
    """Readers in these tests type fast and post often: no minimum form age
    and no flood limit (comments/forms.py, comments/flood.py).
    test_real_antispam_defaults.py meets the real defaults instead."""
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_FLOOD_INTERVAL_SECONDS = 0
    settings.COMMENTS_FLOOD_PER_HOUR = 0
