"""Admin sign-in brute force is throttled and logged (django-axes, configured
in settings.py; core/security.py: LoginThrottleBackend, login_client_ip)."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from tests.security.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cheap_hashing")]

LOGIN = reverse("admin:login")
ATTACKER = "198.51.100.66"
COLLEAGUE = "198.51.100.10"


def sign_in(client, password, *, address=ATTACKER, username="ed", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def fail_until_locked(client, settings, **kwargs):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", **kwargs)


def test_a_few_wrong_passwords_are_just_wrong(client, editor_account, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, f"guess-{attempt}")

    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_the_limit_locks_the_address_out_even_with_the_right_password(
    client, editor_account, settings
):
    fail_until_locked(client, settings)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again(client, editor_account, settings):
    fail_until_locked(client, settings)

    response = sign_in(client, PASSWORD)

    assert "Too many failed sign-ins" in response.text
    assert "15 minutes" in response.text


def test_the_lockout_page_does_not_tell_whether_the_account_exists(client, settings):
    fail_until_locked(client, settings, username="nobody")

    assert "nobody" not in sign_in(client, PASSWORD, username="nobody").text


def test_a_forged_forwarded_for_header_does_not_dodge_the_throttle(
    client, editor_account, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")

    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200")

    assert response.status_code == 429


def test_another_address_can_still_sign_in(client, editor_account, settings):
    fail_until_locked(client, settings)

    response = sign_in(client, PASSWORD, address=COLLEAGUE)

    assert response.status_code == 302


def test_trying_many_usernames_from_one_address_is_caught(client, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "Spring2026!", username=f"user{attempt}")

    assert sign_in(client, "Spring2026!", username="another").status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, editor_account, settings):
    fail_until_locked(client, settings)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = sign_in(client, PASSWORD)

    assert response.status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(client, editor_account, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"guess-{attempt}")
    sign_in(client, PASSWORD)
    client.logout()

    response = sign_in(client, "one-more-typo")

    assert response.status_code == 200


def test_each_failure_is_logged(client, editor_account, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        sign_in(client, "wrong")

    assert any("login failure" in record.getMessage() for record in caplog.records)


def test_the_lockout_is_logged(client, editor_account, settings, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail_until_locked(client, settings)

    assert any("Locking out" in record.getMessage() for record in caplog.records)


def test_logs_do_not_hold_the_password_tried(client, editor_account, caplog):
    with caplog.at_level(logging.DEBUG, logger="axes"):
        sign_in(client, "my-secret-guess")

    assert "my-secret-guess" not in caplog.text


def test_signing_in_without_a_web_request_is_not_throttled(editor_account):
    # The shell, scripts and the test client's login() pass no request.
    assert authenticate(username="ed", password=PASSWORD) == editor_account


def test_a_username_longer_than_any_account_is_just_wrong(client, settings):
    # Recorded cut to the log's column: PostgreSQL refused it whole (a 500).
    response = sign_in(client, "guess", username="u" * 2_000)

    assert response.status_code == 200
    assert len(AccessAttempt.objects.get().username) == 255
