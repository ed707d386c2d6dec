"""Helpers for the security tests: policy headers as data, pages as parsed HTML."""

import pytest


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
