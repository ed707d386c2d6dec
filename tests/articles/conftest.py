"""Fixtures for the articles tests: images, rich stories, HTML checks."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from PIL import Image

from tests.conftest import NOW  # noqa: F401  (the frozen clock's "now", for the tests here)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PullQuoteFactory,
    SourceFactory,
    TagFactory,
)

# Our own output, but parsed as a stranger's would be: no entities expanded,
# nothing fetched (a test never reaches the network).
_XML = etree.XMLParser(resolve_entities=False, no_network=True)


def parse_xml(response):
    """A feed or sitemap response as an element tree (lxml), namespaces kept."""
    return etree.fromstring(response.content, parser=_XML)


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
