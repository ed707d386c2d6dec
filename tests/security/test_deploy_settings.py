"""newsroom/settings.py as production reads it (issue 7 §1): `manage.py check
--deploy` is clean, HTTPS-only settings follow HTTPS_ONLY, the admin's path
follows ADMIN_URL, database connections persist (issue 15 §11). Each runs
Django in a subprocess with a production-like environment (DEBUG unset, a
long random SECRET_KEY): settings are read once, at start-up, so the test
process's own cannot show it."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a deployment sets (README "Deployment"); no DEBUG.
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "SITE_URL": "https://news.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.urls import reverse
names = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG"]
shown = {name: getattr(settings, name) for name in names}
shown["upgrade-insecure-requests"] = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"][
    "upgrade-insecure-requests"]
shown["admin"] = reverse("admin:index")
print(json.dumps(shown))
"""


SHOW_DATABASE = """
import json, django
django.setup()
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({name: database[name] for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}))
"""


def run_django(args, tmp_path, **env):
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        **PRODUCTION_ENV,
        **env,
    }
    return subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(tmp_path, **env):
    result = run_django(["-c", SHOW_SETTINGS], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def module_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="module")
def https_settings(module_tmp):
    return production_settings(module_tmp)


@pytest.fixture(scope="module")
def plain_http_settings(module_tmp):
    return production_settings(module_tmp, HTTPS_ONLY="0")


def test_check_deploy_reports_nothing_with_production_settings(module_tmp):
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], module_tmp)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_is_off_unless_set(https_settings):
    assert https_settings["DEBUG"] is False


def test_https_is_enforced_by_default(https_settings):
    assert https_settings["SECURE_SSL_REDIRECT"] is True
    assert https_settings["upgrade-insecure-requests"] is True


def test_hsts_lasts_a_year_with_subdomains_by_default(https_settings):
    assert https_settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert https_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_cookies_are_secure_by_default(https_settings):
    assert https_settings["SESSION_COOKIE_SECURE"] is True
    assert https_settings["CSRF_COOKIE_SECURE"] is True


def test_https_only_0_turns_every_https_only_setting_off(plain_http_settings):
    assert plain_http_settings == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "DEBUG": False,
        "upgrade-insecure-requests": False,
        "admin": "/admin/",
    }


def test_the_admin_is_at_admin_by_default(https_settings):
    assert https_settings["admin"] == "/admin/"


@pytest.mark.parametrize("value", ["newsdesk-4f7c/", "/newsdesk-4f7c", "newsdesk-4f7c"])
def test_admin_url_moves_the_admin(module_tmp, value):
    assert production_settings(module_tmp, ADMIN_URL=value)["admin"] == "/newsdesk-4f7c/"


def test_check_deploy_names_exactly_the_https_settings_turned_off(module_tmp):
    # The check is real: with HTTPS_ONLY=0 it reports what that switches off.
    result = run_django(["manage.py", "check", "--deploy"], module_tmp, HTTPS_ONLY="0")

    reported = set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))
    assert reported == {"W004", "W008", "W012", "W016"}


def database_settings(tmp_path, **env):
    result = run_django(["-c", SHOW_DATABASE], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_gunicorn_started_by_hand_keeps_its_database_connections(module_tmp):
    # No CONN_MAX_AGE in the environment: persistent anyway, checked before use.
    assert database_settings(module_tmp) == {"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True}


def test_debug_keeps_djangos_connection_per_request(module_tmp):
    assert database_settings(module_tmp, DEBUG="1")["CONN_MAX_AGE"] == 0


def test_conn_max_age_still_sets_the_connections_age(module_tmp):
    assert database_settings(module_tmp, CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0
