"""bench/hello: the HTTP bench's floor is a plain Django project, as
`django-admin startproject` makes it, answering one view."""

import ast
import subprocess
import sys
from pathlib import Path

import django

from bench.common import REPO

STARTPROJECT_SETTINGS = (
    Path(django.__file__).parent / "conf" / "project_template" / "project_name" / "settings.py-tpl"
)


def _assigned(source, name):
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not set")


def test_the_floor_runs_startprojects_middleware():
    hello = (REPO / "bench" / "hello" / "settings.py").read_text()
    template = STARTPROJECT_SETTINGS.read_text()

    assert _assigned(hello, "MIDDLEWARE") == _assigned(template, "MIDDLEWARE")


def test_the_floor_installs_startprojects_apps():
    hello = (REPO / "bench" / "hello" / "settings.py").read_text()
    template = STARTPROJECT_SETTINGS.read_text()

    assert _assigned(hello, "INSTALLED_APPS") == _assigned(template, "INSTALLED_APPS")


def test_the_floor_says_hello_without_opening_the_database():
    # Another process: this one runs Newsroom's settings.
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='127.0.0.1').get('/')\n"
        "print(response.status_code, response.content, connection.connection is None)\n"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, our script)
        [sys.executable, "-c", script],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "bench.hello.settings", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == "200 b'Hello, world!\\n' True"
