"""The anti-spam rules at their real defaults, as a reader meets them (every
other browser test shortens them with the `fast_antispam` fixture):

- a form posted sooner than COMMENTS_FORM_MIN_SECONDS (2 s) after it was shown
  is thanked like any other, but kept as spam and never shown;
- a second response within COMMENTS_FLOOD_INTERVAL_SECONDS (15 s) of an
  accepted one is refused with a clear message, the reader's text kept.

No sleeping: the live server runs in this process, so time-machine's clock is
the server's clock (the signed form timestamp and the cache's expiry both read
it). Frozen, the form is posted 0 s after it was shown; moved on, the reader
"takes" a few seconds to write.
"""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.actions import (
    COMMENT,
    READER,
    THANK_YOU,
    comment_field,
    post_button,
    post_comment,
    responses_from,
)

pytestmark = pytest.mark.e2e

FLOOD_MESSAGE = re.compile(r"posting responses too quickly", re.IGNORECASE)
SECOND_RESPONSE = {**READER, "body": "And a second thought, straight after the first."}


def comments():
    return responses_from(READER["email"])


def test_the_defaults_are_the_documented_ones(settings):
    assert settings.COMMENTS_FORM_MIN_SECONDS == 2
    assert settings.COMMENTS_FLOOD_INTERVAL_SECONDS == 15


def test_response_posted_faster_than_a_person_types_is_thanked_but_kept_as_spam(
    page, new_context, demo
):
    with time_machine.travel(timezone.now(), tick=False):
        page.goto(demo.get_absolute_url())
        post_comment(page, **READER)

        # The same thank-you as anyone (a bot learns nothing)...
        expect(page.get_by_text(THANK_YOU)).to_be_visible()
        # ...but the response is not shown back, and kept as spam, not pending.
        expect(page.get_by_text(READER["body"])).to_have_count(0)
    [comment] = comments()
    assert comment.status == "spam"
    assert [reason["rule"] for reason in comment.moderation_reasons] == ["too_fast"]

    stranger = new_context().new_page()
    stranger.goto(demo.get_absolute_url())
    expect(stranger.get_by_text(READER["body"])).to_have_count(0)


def test_second_response_within_the_flood_interval_is_refused_with_the_text_kept(page, demo):
    with time_machine.travel(timezone.now(), tick=True) as clock:
        page.goto(demo.get_absolute_url())
        # The form's frame loads as the reader scrolls to it: then they write.
        comment_field(page, COMMENT).wait_for()
        clock.shift(datetime.timedelta(seconds=5))
        post_comment(page, **READER)
        expect(page.get_by_text(THANK_YOU)).to_be_visible()

        clock.shift(datetime.timedelta(seconds=5))  # well inside the 15 s
        post_comment(page, **SECOND_RESPONSE)

        expect(page.get_by_text(FLOOD_MESSAGE).first).to_be_visible()
        expect(comment_field(page, COMMENT)).to_have_value(SECOND_RESPONSE["body"])
        assert comments().count() == 1

        # Once the interval has passed, the same text goes through as it is.
        clock.shift(datetime.timedelta(seconds=15))
        post_button(page).click()
        expect(page.get_by_text(THANK_YOU)).to_be_visible()
    assert [comment.body for comment in comments()] == [READER["body"], SECOND_RESPONSE["body"]]
    assert [comment.status for comment in comments()] == ["pending", "pending"]
