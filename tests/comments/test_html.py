"""comments/html.py: how a response is drawn."""

import datetime
import itertools
import os
import re
from html import escape

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import urlize
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from comments.html import (
    WORD_WITH_A_MARKER,
    comment_body,
    could_hold_a_link,
    posted_on,
    render_response,
)
from comments.models import Comment


def test_body_is_escaped():
    assert comment_body('<img src=x onerror="alert(1)">') == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    )


def test_links_are_clickable_with_nofollow_ugc_noopener():
    assert comment_body("see https://example.org/a?b=1&c=2") == (
        'see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>"
    )


def test_typed_markup_stays_text_and_only_the_url_is_linked():
    html = comment_body('<a href="https://x.example" rel="nofollow">x</a>')
    assert html.startswith("&lt;a href=&quot;")
    assert "rel=&quot;nofollow&quot;&gt;x&lt;/a&gt;" in html
    assert html.count("<a ") == 1
    assert '<a href="https://x.example" rel="nofollow ugc noopener">' in html


def test_javascript_urls_are_not_linked():
    assert "<a" not in comment_body("javascript:alert(1)")


def test_line_breaks_become_br():
    assert comment_body("one\ntwo\r\nthree") == "one<br>two<br>three"


def test_every_kind_of_line_break_is_one_br():
    # \r\n is one break, a lone \r or \n one each, in any order.
    assert comment_body("a\rb\r\r\nc\n\rd") == "a<br>b<br><br>c<br><br>d"


# --- The quick path: no urlize for a text with nothing that could be a link ----------------

# Characters that make urlize look twice (., @, :, w, h, t, p, s, /, o, r, g, m,
# c, n, e...), in every case, with the letters Unicode case-folding matches to
# s, k and i (long s U+017F, Kelvin sign U+212A, dotted and dotless i), markup
# and line breaks.
NEAR_LINKS = st.text(
    st.sampled_from(list("./:@wWhHtTpPsSſoOrRgGcCmMnNeEdDuUiIİıvVlLkK <>\"'&;\n()[],!-_1")),
    max_size=60,
)
TOP_LEVEL_DOMAINS = ["com", "edu", "gov", "int", "mil", "net", "org"]


def drawn_by_urlize(text):
    """What comment_body draws, the slow way: urlize over the whole text."""
    html = urlize(text, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow ugc noopener"'
    )
    return re.sub(r"\r\n|\r|\n", "<br>", html)


@examples(max_examples=400, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(NEAR_LINKS)
def test_the_quick_path_draws_what_urlize_draws(text):
    assert comment_body(text) == drawn_by_urlize(text)


# Words a response is made of, links among them: urlize sees only the words
# that could be links, the rest is escaped around them.
WORDS = st.sampled_from(
    [
        "Fine",
        "words.",
        "now.",
        "e.g.",
        "i.e.",
        "...",
        "3.5",
        "@Ruth",
        "ada@example.org,",
        "https://example.org/a?b=1&c=2",
        "(https://example.org/paren)",
        "http://localhost:8000/",
        "www.example.com.",
        "WwW.Example",
        "example.net/path",
        "EXAMPLE.\u0131NT",  # dotless i
        "javascript:alert(1)",
        "<b>bold</b>",
        "a&amp;b",
        "wrapped(www.x.org)",
        "&lt;",
    ]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "<", ">", '"', "'", " (", ", "])
RESPONSES = st.lists(st.tuples(WORDS, SEPARATORS), max_size=30).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)


@examples(max_examples=300, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(RESPONSES)
def test_a_response_with_links_among_its_words_draws_what_urlize_draws(text):
    assert comment_body(text) == drawn_by_urlize(text)


def test_a_text_without_links_skips_urlize(monkeypatch):
    import comments.html

    monkeypatch.setattr(comments.html, "urlize", None)  # would fail if called
    assert comment_body("Fine words. Nothing to link.") == "Fine words. Nothing to link."


def test_ordinary_prose_skips_even_the_search_for_links(monkeypatch):
    import comments.html

    monkeypatch.setattr(comments.html, "MAY_BE_A_LINK", None)  # would fail if used
    text = 'I know. She said "enough." Wait... it rose 3.5% (how?), and: so it goes.'
    assert comment_body(text) == escape(text)


def test_only_the_words_that_could_be_links_go_through_urlize(monkeypatch):
    import comments.html

    seen = []

    def urlize_spy(text, **options):
        seen.append(text)
        return urlize(text, **options)

    monkeypatch.setattr(comments.html, "urlize", urlize_spy)
    comment_body("A long response.\nMore at https://example.org/r.pdf, or mail ada@example.org!")
    assert seen == ["https://example.org/r.pdf,", "ada@example.org!"]


def test_a_link_is_looked_for_only_from_the_start_of_a_word():
    # Why it matters: a search that also tried every position inside a word
    # would take quadratic time on one long word after a link (the longest
    # response there can be: most of a second). A test of the rule, not a timing.
    text = "see xwww.example.com now"

    assert WORD_WITH_A_MARKER.search(text, text.index("www")) is None
    assert WORD_WITH_A_MARKER.search(text).group() == "xwww.example.com"


def case_variants(marker):
    """Every spelling of `marker` that the case-insensitive link pattern takes
    for it: all the characters IGNORECASE matches to each of its letters (the
    capital, and for i also the dotted capital and the dotless small i)."""
    every_character = "".join(map(chr, range(0x110000)))
    choices = [re.findall(re.escape(letter), every_character, re.IGNORECASE) for letter in marker]
    return ["".join(spelling) for spelling in itertools.product(*choices)]


@pytest.mark.parametrize(
    "marker", ["http://", "https://", "www.", "@", *(f".{tld}" for tld in TOP_LEVEL_DOMAINS)]
)
def test_the_quick_test_lets_through_every_spelling_of_a_link(marker):
    for spelling in case_variants(marker):
        assert could_hold_a_link(f"see {spelling}x now"), spelling


# --- A response ----------------------------------------------------------------------------


def test_date_reads_as_the_date_filter_writes_it():
    moment = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)
    expected = date_filter(timezone.localtime(moment), r"j F Y \a\t H:i")
    assert posted_on(moment) == expected == "9 March 2026 at 23:30"


def test_date_is_in_the_sites_time_zone():
    summer = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
    assert posted_on(summer) == "2 July 2026 at 00:30"  # Europe/London, BST


def drawn(**fields):
    values = {
        "pk": 7,
        "author_name": "Ada <Reader>",
        "author_url": "",
        "body": "Well put.",
        "status": Comment.Status.APPROVED,
        "created_at": datetime.datetime(2026, 3, 9, 12, 0, tzinfo=datetime.UTC),
        **fields,
    }
    return render_response(Comment(**values), reply_page=fields.pop("reply_page", None))


def test_response_is_an_article_named_by_its_id():
    assert drawn().startswith('<article id="comment-7" class="comment mb-4">')


def test_author_name_is_escaped():
    assert "Ada &lt;Reader&gt;</h3>" in drawn()


def test_author_links_to_their_website():
    html = drawn(author_url="https://ada.example/?a=1&b=2")
    assert '<a href="https://ada.example/?a=1&amp;b=2" rel="nofollow ugc noopener">' in html


def test_pending_response_is_marked_and_links_nothing():
    html = drawn(
        status=Comment.Status.PENDING,
        author_url="https://ada.example/",
        body="see https://x.example",
    )
    assert "comment-pending" in html
    assert "Your comment is awaiting moderation." in html
    assert "<a " not in html


def test_reply_link_names_the_page_of_responses():
    comment = Comment(
        pk=7,
        author_name="Ada",
        body="x",
        status=Comment.Status.APPROVED,
        created_at=datetime.datetime(2026, 3, 9, 12, 0, tzinfo=datetime.UTC),
    )
    assert 'href="?replyto=7#respond"' in render_response(comment, reply_page=1)
    assert 'href="?cpage=3&amp;replyto=7#respond"' in render_response(comment, reply_page=3)
    assert 'Reply<span class="visually-hidden"> to Ada</span>' in render_response(
        comment, reply_page=1
    )
    assert "replyto" not in render_response(comment)
