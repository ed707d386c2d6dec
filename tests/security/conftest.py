"""Helpers for the security tests: policy headers as data, a staff client,
and the count of property-test examples tried, printed at the end of the run."""

from collections import Counter

import pytest

# Hypothesis examples tried per property, over the whole run (count_examples).
EXAMPLES_TRIED = Counter()


def count_examples(what):
    EXAMPLES_TRIED[what] += 1


def pytest_terminal_summary(terminalreporter, config):
    if EXAMPLES_TRIED:
        terminalreporter.write_sep("=", "property tests: examples tried")
        for what, count in sorted(EXAMPLES_TRIED.items()):
            terminalreporter.write_line(f"{count:6d}  {what}")
        terminalreporter.write_line(f"{sum(EXAMPLES_TRIED.values()):6d}  in all")


def csp_directives(response, header="Content-Security-Policy"):
    """{"script-src": ["'self'"], ...} from a response's policy header."""
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


# The password of `editor_account`, for tests that sign in through the form.
PASSWORD = "a-long-and-correct-passphrase"


@pytest.fixture
def cheap_hashing(settings):
    """Every sign-in attempt hashes a password: the fast hasher keeps tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_account(cheap_hashing):
    from tests.factories import UserFactory

    return UserFactory(username="ed", password=PASSWORD, is_staff=True, groups=["Editors"])
