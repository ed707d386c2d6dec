"""`manage.py anonymise_comment_ips`: IP addresses and user agents are not kept for ever."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=datetime.UTC)


def run(*args):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("anonymise_comment_ips", *args, stdout=out)
    return out.getvalue()


def comment_aged(days, **fields):
    return CommentFactory(created_at=NOW - datetime.timedelta(days=days), **fields)


def test_older_comments_lose_ip_and_user_agent(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old = comment_aged(31)
    output = run()
    old.refresh_from_db()
    assert old.ip_address is None
    assert old.user_agent == ""
    assert "Anonymised 1 response older than 30 days." in output


def test_recent_comments_keep_them(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    recent = comment_aged(29)
    run()
    recent.refresh_from_db()
    assert recent.ip_address == "203.0.113.7"
    assert recent.user_agent


def test_everything_else_is_kept(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old = comment_aged(100, body="Still here", author_email="ada@example.org")
    run()
    old.refresh_from_db()
    assert (old.body, old.author_email, old.status) == ("Still here", "ada@example.org", "approved")


def test_days_option_overrides_the_setting(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    comment = comment_aged(8)
    run("--days", "7")
    comment.refresh_from_db()
    assert comment.ip_address is None


def test_running_twice_changes_nothing_more(settings):
    comment_aged(60)
    run()
    assert "Anonymised 0 responses" in run()


def test_negative_days_is_refused():
    with pytest.raises(CommandError):
        run("--days", "-1")


def test_created_at_defaults_to_now():
    assert abs(CommentFactory().created_at - timezone.now()) < datetime.timedelta(seconds=5)


def test_expired_form_tokens_are_deleted_too():
    from comments.models import UsedFormToken

    UsedFormToken.objects.create(digest="a" * 64, expires_at=NOW - datetime.timedelta(seconds=1))
    UsedFormToken.objects.create(digest="b" * 64, expires_at=NOW + datetime.timedelta(hours=1))
    run()
    assert list(UsedFormToken.objects.values_list("digest", flat=True)) == ["b" * 64]
