"""articles/html.py: pull-quotes between paragraphs."""

import pytest

from articles.html import body_with_pull_quotes
from articles.models import iso_datetime
from articles.queries import page_relations
from tests.factories import ArticleFactory, PullQuoteFactory

BODY = "<p>One.</p><p>Two.</p><p>Three.</p>"


class Quote:
    """A stand-in for PullQuote: rendering only reads after_paragraph."""

    def __init__(self, after_paragraph, name="q"):
        self.after_paragraph = after_paragraph
        self.name = name


def layout(parts):
    """Parts as a readable list: the HTML, or "Q:<name>" for a quote."""
    return [f"Q:{part.quote.name}" if part.quote else str(part.html) for part in parts]


def test_quote_goes_after_the_given_paragraph():
    parts = body_with_pull_quotes(BODY, [Quote(2)])
    assert layout(parts) == ["<p>One.</p><p>Two.</p>", "Q:q", "<p>Three.</p>"]


def test_quote_after_paragraph_zero_goes_before_the_first():
    parts = body_with_pull_quotes(BODY, [Quote(0)])
    assert layout(parts) == ["Q:q", BODY]


def test_quote_past_the_end_goes_last():
    parts = body_with_pull_quotes(BODY, [Quote(99)])
    assert layout(parts) == [BODY, "Q:q"]


def test_quote_after_the_last_paragraph_goes_last():
    parts = body_with_pull_quotes(BODY, [Quote(3)])
    assert layout(parts) == [BODY, "Q:q"]


def test_quotes_after_the_same_paragraph_keep_their_order():
    parts = body_with_pull_quotes(BODY, [Quote(1, "a"), Quote(1, "b")])
    assert layout(parts) == ["<p>One.</p>", "Q:a", "Q:b", "<p>Two.</p><p>Three.</p>"]


def test_paragraphs_inside_lists_and_blockquotes_are_not_counted():
    body = (
        "<p>One.</p><ul><li><p>Item.</p></li></ul>"
        "<blockquote><p>Quoted.</p></blockquote><p>Two.</p><p>Three.</p>"
    )
    parts = body_with_pull_quotes(body, [Quote(2)])
    assert layout(parts)[1] == "Q:q"
    assert layout(parts)[0].endswith("<p>Two.</p>")


def test_headings_and_line_breaks_do_not_shift_the_count():
    body = "<h2>Heading</h2>\n<p>One<br>still one.</p>\n<hr>\n<p>Two.</p>"
    parts = body_with_pull_quotes(body, [Quote(1)])
    assert layout(parts) == [
        "<h2>Heading</h2>\n<p>One<br>still one.</p>",
        "Q:q",
        "\n<hr>\n<p>Two.</p>",
    ]


def test_body_without_quotes_is_one_part():
    assert layout(body_with_pull_quotes(BODY, [])) == [BODY]


def test_empty_body_still_shows_its_quotes():
    assert layout(body_with_pull_quotes("", [Quote(1)])) == ["Q:q"]


def test_body_parts_are_marked_safe_and_quotes_are_not_html():
    html_part, quote_part = body_with_pull_quotes("<p>One.</p>", [Quote(1)])
    assert hasattr(html_part.html, "__html__")
    assert quote_part.html is None


def test_iso_datetime_is_local_and_to_the_second(settings):
    import datetime

    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2024, 7, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    assert iso_datetime(summer) == "2024-07-01T10:30:15+01:00"
    assert iso_datetime(None) is None


@pytest.mark.django_db
def test_article_body_parts_use_its_pull_quotes():
    article = ArticleFactory(body=BODY)
    PullQuoteFactory(article=article, after_paragraph=1, text="Said.")
    parts = body_with_pull_quotes(article.sanitised_body(), page_relations(article).pull_quotes)
    assert parts[1].quote.text == "Said."
