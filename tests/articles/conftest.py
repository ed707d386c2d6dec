"""Fixtures for the articles tests: images, rich stories, HTML checks."""

import datetime
import io
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PullQuoteFactory,
    SourceFactory,
    TagFactory,
)

# "Now" for the tests that freeze the clock (the `frozen_clock` fixture).
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def editor_client(client, editor):
    """The test client, signed in as a member of Editors."""
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client, writer):
    """The test client, signed in as a member of Writers."""
    client.force_login(writer)
    return client


@pytest.fixture
def frozen_clock():
    """Time stands still at NOW (time_machine), for rules that depend on it."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


def parse_xml(response):
    """A feed or sitemap response as an element tree."""
    # Our own output, not untrusted input: the standard parser is fine here.
    return ElementTree.fromstring(response.content)  # noqa: S314


def jpeg_upload(width=1600, height=900, name="hero.jpg"):
    """A real JPEG of the given size, as an upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def rich_article(*, authors=3, tags=3, quotes=3, sources=3, **kwargs):
    """A published story with the given numbers of authors, tags, quotes and sources."""
    article = ArticleFactory(
        authors=AuthorFactory.create_batch(authors),
        tags=TagFactory.create_batch(tags),
        body="".join(f"<p>Paragraph {n}.</p>" for n in range(1, 8)),
        **kwargs,
    )
    story_sources = SourceFactory.create_batch(sources, article=article)
    for n in range(quotes):
        PullQuoteFactory(
            article=article,
            after_paragraph=n + 1,
            source=story_sources[n % len(story_sources)] if story_sources else None,
        )
    return article


class _Structure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.start_tags = []  # (tag, attrs dict)

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, dict(attrs)))


def html_elements(html):
    """[(tag, attrs)] of every start tag in `html`, in document order."""
    parser = _Structure()
    parser.feed(html)
    return parser.start_tags


@pytest.fixture
def without_comments(settings):
    """Render pages with an empty comments block, to measure the articles
    app's own share of the article page (issue 2 §7: the comments app adds
    one query of the budget)."""
    template_settings = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **template_settings,
            "APP_DIRS": False,
            "OPTIONS": {
                **template_settings["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"comments/_responses.html": ""}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@pytest.fixture
def caches_on(settings):
    """The page and fragment caches on, and nothing this process learned in an
    earlier test about what a page depends on (articles/pagecache.py keeps
    such hints per process)."""
    from articles import pagecache

    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    pagecache._LEARNED_DEPENDENCIES.clear()
    pagecache._LEARNED_FRAGMENTS.clear()
    pagecache._LEARNED_STORIES.clear()
