"""`manage.py load_demo`: the demo newsroom."""

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from articles.demo import content
from articles.demo.content import NOTES
from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag
from articles.publishing import publish_article, unmatched_quote_words, unpublish_article

pytestmark = pytest.mark.django_db

LEAD_SLUG = "procurement-chief-resigns-over-estuary-gate-contract"


def _load(**options):
    output = io.StringIO()
    call_command("load_demo", stdout=output, **options)
    return output.getvalue()


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    return _load()


def test_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        _load()

    assert not Article.objects.exists()
    assert not User.objects.exists()


def test_force_loads_with_debug_off(settings):
    settings.DEBUG = False

    _load(force=True)

    assert Article.objects.exists()


def test_running_twice_creates_nothing_new(loaded):
    models = [Article, Section, Author, Tag, Byline, Source, PullQuote, User, Group]
    before = {model: model.objects.count() for model in models}
    lead_address = Article.objects.get(slug=LEAD_SLUG).get_absolute_url()

    _load()

    assert {model: model.objects.count() for model in models} == before
    assert Article.objects.get(slug=LEAD_SLUG).get_absolute_url() == lead_address


def test_running_twice_keeps_the_same_hero_image_file(loaded):
    first = Article.objects.get(slug=LEAD_SLUG).hero_image.name

    _load()

    assert Article.objects.get(slug=LEAD_SLUG).hero_image.name == first


def test_the_lead_story_is_in_news_and_leads(loaded):
    lead = Article.objects.get(slug=LEAD_SLUG)

    assert lead.section.name == "News"
    assert lead.is_lead
    assert list(Article.objects.filter(is_lead=True)) == [lead]


def test_only_the_corrected_demo_story_shows_an_update_notice(loaded):
    updated = [article.slug for article in Article.objects.all() if article.was_updated]

    assert updated == list(NOTES)


def test_the_corrected_demo_story_shows_its_correction_on_top(client, loaded):
    story = Article.objects.get(slug=next(iter(NOTES)))

    page = client.get(story.get_absolute_url()).content.decode()

    assert page.index("story-notes-top") < page.index("story-body")
    assert NOTES[story.slug][0]["text"] in page


def test_the_lead_story_has_a_long_body(loaded):
    lead = Article.objects.get(slug=LEAD_SLUG)

    assert lead.body.count("<p>") >= 10


def test_the_lead_story_quotes_three_named_speakers_with_roles(loaded):
    quotes = PullQuote.objects.filter(article__slug=LEAD_SLUG)

    assert quotes.count() == 3
    assert all(quote.speaker and quote.speaker_role for quote in quotes)
    assert any("resignation letter" in quote.speaker_role for quote in quotes)


def test_the_lead_story_rests_on_a_social_post_and_a_statement(loaded):
    sources = Source.objects.filter(article__slug=LEAD_SLUG)
    social = sources.filter(kind=Source.Kind.SOCIAL_POST).first()

    assert social is not None
    assert social.publisher.endswith("on X")
    assert "(@" in social.publisher
    assert social.quoted_text
    assert sources.filter(kind=Source.Kind.STATEMENT).exists()


def test_the_lead_story_has_a_hero_image_with_alt_caption_and_credit(loaded):
    lead = Article.objects.get(slug=LEAD_SLUG)

    with lead.hero_image.open() as file, Image.open(file) as picture:
        assert picture.size == (1600, 900)
    assert lead.hero_alt and lead.hero_caption and lead.hero_credit


def test_at_least_six_shorter_stories_in_other_sections(loaded):
    others = Article.objects.exclude(section__slug="news")

    assert others.count() >= 6
    assert others.values("section").distinct().count() >= 4
    assert not others.filter(bylines=None).exists()
    assert not others.filter(tags=None).exists()


def test_some_stories_are_co_authored(loaded):
    assert any(len(article.ordered_authors()) > 1 for article in Article.objects.all())


def test_authors_have_roles_and_bios(loaded):
    assert not Author.objects.filter(role="").exists()
    assert not Author.objects.filter(bio="").exists()


def test_every_demo_story_is_live(loaded):
    assert Article.objects.published().count() == Article.objects.count()


@pytest.mark.parametrize(
    ("username", "group"),
    [("editor", "Editors"), ("writer", "Writers"), ("moderator", "Moderators")],
)
def test_staff_accounts_belong_to_their_group(loaded, username, group):
    user = User.objects.get(username=username)

    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]


def test_admin_is_a_superuser(loaded):
    assert User.objects.get(username="admin").is_superuser


def test_demo_accounts_sign_in_with_the_demo_password(loaded):
    for username in ("admin", "editor", "writer", "moderator"):
        assert authenticate(username=username, password="newsroom-demo") is not None


def test_a_changed_password_is_reset_to_the_demo_one(loaded):
    editor = User.objects.get(username="editor")
    editor.set_password("something-else-entirely")
    editor.save()

    _load()

    assert authenticate(username="editor", password="newsroom-demo") is not None


def test_prints_the_accounts_and_the_admin_address(loaded):
    assert reverse("admin:index") in loaded
    assert "newsroom-demo" in loaded
    for username in ("admin", "editor", "writer", "moderator"):
        assert username in loaded


def test_every_demo_quote_matches_its_body_or_source(loaded):
    for story in [content.LEAD_STORY, *content.SHORTER_STORIES]:
        body = "".join(f"<p>{paragraph}</p>" for paragraph in story["paragraphs"])
        sources = {source["key"]: source["quoted_text"] for source in story.get("sources", [])}
        for quote in story.get("pull_quotes", []):
            source = sources.get(quote.get("source"), "")
            unmatched = unmatched_quote_words(quote["text"], body_html=body, source_text=source)
            assert unmatched == [], quote["speaker"]


def test_the_demo_quotes_are_checked_and_none_awaits_confirmation(loaded):
    quotes = list(PullQuote.objects.all())

    assert quotes
    assert all(quote.checked_at is not None and not quote.is_flagged for quote in quotes)


def test_the_demo_story_can_be_unpublished_and_published_again(loaded):
    editor = User.objects.get(username="editor")
    lead = Article.objects.get(slug=LEAD_SLUG)

    unpublish_article(lead, by=editor)
    publish_article(lead, by=editor)

    assert lead.state == "Live"
