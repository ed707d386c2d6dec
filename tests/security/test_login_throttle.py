"""Admin sign-in brute force is throttled and logged (django-axes, configured
in settings.py; core/security.py: LoginThrottleBackend, LoginThrottleHandler,
login_client_ip). Issue 15 §3: failures count by address and by username at
that address; a success forgets only its own username's; IPv6 by its /64."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.security.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cheap_hashing")]

LOGIN = reverse("admin:login")
ATTACKER = "198.51.100.66"
COLLEAGUE = "198.51.100.10"
# Another account on the same staff, which the attacker holds the password of.
OWN_PASSWORD = "the-writers-own-passphrase"


@pytest.fixture
def writer_account(cheap_hashing):
    from tests.factories import UserFactory

    return UserFactory(username="wr", password=OWN_PASSWORD, is_staff=True, groups=["Writers"])


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


# --- Issue 15 §3: a colleague's own sign-in resets nothing of anyone else's ------------


def test_a_writer_cannot_guess_an_editors_password_between_their_own_sign_ins(
    client, editor_account, writer_account, settings
):
    # Four guesses at the editor, a sign-in as themselves to wipe the slate,
    # and again: the wipe forgets only the writer's own failures, so the
    # guesses answered "wrong password" stop where the limit says.
    answered = 0
    for round_ in range(3):
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            answered += sign_in(client, f"guess-{round_}-{attempt}").status_code == 200
        sign_in(client, OWN_PASSWORD, username="wr")
        client.logout()

    assert answered == settings.AXES_FAILURE_LIMIT - 1
    assert sign_in(client, PASSWORD).status_code == 429


def test_an_own_sign_in_keeps_the_guesses_at_a_colleague_from_that_address(
    client, editor_account, writer_account, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"guess-{attempt}")
    assert sign_in(client, OWN_PASSWORD, username="wr").status_code == 302
    client.logout()

    assert sign_in(client, "one-more-guess").status_code == 429


def test_the_address_still_counts_failures_across_usernames_after_a_sign_in(
    client, editor_account, writer_account, settings
):
    # The guesses at "ed" stay counted against the address itself too: one more
    # failure under any name fills it.
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, f"guess-{attempt}")
    sign_in(client, OWN_PASSWORD, username="wr")
    client.logout()

    assert sign_in(client, "guess", username="somebody").status_code == 429


def test_a_sign_in_forgets_that_usernames_own_typos_from_that_address(
    client, editor_account, writer_account, settings
):
    sign_in(client, "typo", username="wr")
    sign_in(client, OWN_PASSWORD, username="wr")
    client.logout()

    assert not AccessAttempt.objects.filter(username="wr").exists()


def test_a_sign_in_forgets_nothing_recorded_at_another_address(client, editor_account, settings):
    sign_in(client, "typo", address=COLLEAGUE)
    sign_in(client, PASSWORD)

    assert AccessAttempt.objects.filter(ip_address=COLLEAGUE).exists()


def test_a_stranger_elsewhere_cannot_lock_an_editor_out(client, editor_account, settings):
    # The README's promise: by address, and by username at that address, never
    # by username alone.
    for attempt in range(3 * settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}")

    assert sign_in(client, PASSWORD, address=COLLEAGUE).status_code == 302


# --- IPv6: a client counts by its /64 ----------------------------------------------------

ATTACKER_64 = "2001:db8:66:1"
ANOTHER_64 = "2001:db8:66:2"


def test_changing_the_low_bits_of_an_ipv6_address_does_not_dodge_the_throttle(
    client, editor_account, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", address=f"{ATTACKER_64}::{attempt + 1:x}")

    assert sign_in(client, PASSWORD, address=f"{ATTACKER_64}::beef").status_code == 429


def test_another_ipv6_network_can_still_sign_in(client, editor_account, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", address=f"{ATTACKER_64}::{attempt + 1:x}")

    assert sign_in(client, PASSWORD, address=f"{ANOTHER_64}::1").status_code == 302


def test_failures_are_recorded_under_the_ipv6_network(client, editor_account):
    sign_in(client, "guess", address=f"{ATTACKER_64}:aaaa:bbbb:cccc:dddd")

    # What `manage.py axes_reset_ip` takes to unlock it.
    assert AccessAttempt.objects.get().ip_address == f"{ATTACKER_64}::/64"


def test_an_ipv4_address_is_recorded_as_it_is(client, editor_account):
    sign_in(client, "guess")

    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_axes_reset_ip_unlocks_an_ipv6_network(client, editor_account, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", address=f"{ATTACKER_64}::{attempt + 1:x}")

    call_command("axes_reset_ip", f"{ATTACKER_64}::/64")

    assert sign_in(client, PASSWORD, address=f"{ATTACKER_64}::1").status_code == 302
