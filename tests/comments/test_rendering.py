"""comments/rendering.py: how a response is drawn."""

from comments.rendering import comment_body


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
