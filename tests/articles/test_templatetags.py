"""articles/templatetags/articles_tags.py: the public site's template filters."""

import datetime
import json
import re

import pytest

from articles.templatetags.articles_tags import (
    iso,
    jsonld_script,
    meta_properties,
    responses_label,
)


def test_jsonld_script_is_json_ld_that_no_string_can_close():
    html = jsonld_script({"headline": "A </script><!-- & B"})
    assert html.startswith('<script type="application/ld+json">')
    inner = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html).group(1)
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"headline": "A </script><!-- & B"}


def test_jsonld_script_keeps_non_ascii_readable():
    assert "Zoë — café" in jsonld_script({"name": "Zoë — café"})


@pytest.mark.parametrize(
    ("count", "label"),
    [(0, "No Responses yet"), (1, "1 Response"), (2, "2 Responses"), (1234, "1234 Responses")],
)
def test_responses_label_counts_in_words(count, label):
    assert responses_label(count) == label


def test_iso_is_empty_without_a_date():
    assert iso(None) == ""
    assert iso(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)) == "2024-01-01T00:00:00+00:00"


def test_meta_properties_give_one_element_per_value_escaped_and_none_for_empty_ones():
    html = meta_properties(
        {"og:title": 'A "quoted" <b>', "og:description": "", "article:tag": ["x", "y"]}
    )
    assert html == (
        '\n<meta property="og:title" content="A &quot;quoted&quot; &lt;b&gt;">'
        '\n<meta property="article:tag" content="x">'
        '\n<meta property="article:tag" content="y">'
    )
