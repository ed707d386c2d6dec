"""The XSS corpus (xss_payloads.txt) and a story carrying a payload in every
field that is shown, shared by tests/security/test_xss.py (HTML level) and
tests/e2e/test_xss_browser.py (a real browser)."""

import datetime
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag
from comments.models import Comment

CORPUS = Path(__file__).with_name("xss_payloads.txt")


def load_payloads():
    """The corpus: every line but blank ones and comments ("#" alone or "# ...")."""
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and line != "#" and not line.startswith("# ")]


PAYLOADS = load_payloads()
# Template injection: what Django's template language would print if a value
# were ever rendered as a template. Not a number: a number can be a row's id
# on the page (a source's anchor, #source-1337, once the ids got that far).
EVALUATED_MARKER = "TEMPLATE-EVALUATED"
TEMPLATE_PAYLOADS = [payload for payload in PAYLOADS if "{{" in payload or "{%" in payload]


def fit(model, field_name, value):
    """`value` cut to the column's length (PostgreSQL enforces it)."""
    max_length = model._meta.get_field(field_name).max_length
    return value[:max_length] if max_length else value


def accepted_url(model, field_name, value, fallback="https://example.org/"):
    """`value` if the field's validators accept it (as the admin would), else a plain URL."""
    field = model._meta.get_field(field_name)
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return fallback
    return fit(model, field_name, value)


def tiny_png():
    output = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(output, "PNG")
    return SimpleUploadedFile("tiny.png", output.getvalue())


def hostile_story(number, payload):
    """A published story with the payload in every field that is shown: its
    own section, tag and author, two sources, a pull-quote, an approved
    response with a reply. Returns the story."""
    section = Section.objects.create(
        name=fit(Section, "name", f"{number} {payload}"),
        slug=f"hostile-{number}",
        description=payload,
    )
    tag = Tag.objects.create(name=fit(Tag, "name", f"{number} {payload}"), slug=f"hostile-{number}")
    author = Author.objects.create(
        name=fit(Author, "name", payload),
        slug=f"hostile-{number}",
        role=fit(Author, "role", payload),
        bio=payload,
    )
    article = Article.objects.create(
        headline=fit(Article, "headline", payload),
        slug=f"hostile-{number}",
        standfirst=payload,
        body=f"<p>{payload}</p><p>{payload}</p>{payload}",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        hero_image=tiny_png(),
        hero_alt=fit(Article, "hero_alt", payload),
        hero_caption=fit(Article, "hero_caption", payload),
        hero_credit=fit(Article, "hero_credit", payload),
        comment_count=2,
    )
    Byline.objects.create(article=article, author=author)
    article.tags.add(tag)
    sources = [
        Source.objects.create(
            article=article,
            kind=kind,
            title=fit(Source, "title", payload),
            publisher=fit(Source, "publisher", payload),
            url=accepted_url(Source, "url", payload),
            archive_url=accepted_url(Source, "archive_url", payload),
            quoted_text=payload,
        )
        for kind in (Source.Kind.SOCIAL_POST, Source.Kind.DOCUMENT)
    ]
    PullQuote.objects.create(
        article=article,
        text=payload,
        speaker=fit(PullQuote, "speaker", payload),
        speaker_role=fit(PullQuote, "speaker_role", payload),
        source=sources[0],
        after_paragraph=1,
    )
    response = Comment.objects.create(
        article=article,
        body=payload,
        author_name=fit(Comment, "author_name", payload),
        author_email=f"reader{number}@example.org",
        author_url=accepted_url(Comment, "author_url", payload),
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=article,
        parent=response,
        body=payload,
        author_name=fit(Comment, "author_name", payload),
        author_email=f"replier{number}@example.org",
        status=Comment.Status.APPROVED,
    )
    return article
