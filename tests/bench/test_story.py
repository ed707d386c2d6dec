"""bench/story.py: the page the HTTP bench measures."""

import io
import re

import pytest
from django.core.management import call_command

from bench.story import BODY_CHARACTERS, RESPONSES, body_characters, load_measured_story
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    call_command("load_demo", force=True, stdout=io.StringIO())
    return load_measured_story()


def test_the_lead_story_gets_exactly_50_public_responses_and_their_count(story):
    assert Comment.objects.public().for_article(story).count() == RESPONSES
    assert story.comment_count == RESPONSES


def test_the_body_is_about_3700_characters_with_3_pull_quotes(story):
    assert BODY_CHARACTERS - 200 <= body_characters(story) <= BODY_CHARACTERS + 200
    assert story.pull_quotes.count() == 3


def test_the_page_shows_all_50_responses_and_the_form(client, story):
    page = client.get(story.get_absolute_url()).content.decode()

    assert len(re.findall(r'id="comment-\d+"', page)) == RESPONSES
    assert "50 Responses" in page
    assert "Leave a Response" in page
