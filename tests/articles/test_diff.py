"""articles/diff.py: what changed between two states of a story, as people read it."""

from articles.diff import Snapshot, body_text, compare, summarise, word_diff


def story(**fields):
    base = {"headline": "Harbour wall to be repaired", "body": "The work starts in March."}
    return Snapshot(fields={**base, **fields.pop("fields", {})}, **fields)


def test_a_word_diff_marks_only_the_words_that_changed():
    pairs = word_diff("The work starts in March.", "The work starts in April.")

    assert pairs == [
        ("equal", "The work starts in "),
        ("delete", "March"),
        ("insert", "April"),
        ("equal", "."),
    ]


def test_a_body_is_compared_as_its_paragraphs_text_not_its_html():
    assert body_text("<p>One &amp; two.</p><p><strong>Three</strong><br>four</p>") == (
        "One & two.\n\nThree\n\nfour"
    )


def test_a_quote_added_at_the_top_reads_as_one_quote_added_not_every_quote_changed():
    quote = {
        "text": "",
        "speaker": "Jane Roe",
        "speaker_role": "",
        "source": "",
        "after_paragraph": "1",
    }
    old = [{**quote, "text": "First."}, {**quote, "text": "Second."}]
    new = [{**quote, "text": "New one."}, *old]

    changes = compare(story(quotes=old), story(quotes=new))

    assert [change.label for change in changes] == ["Pull-quote 1 (added)"]
    assert summarise(changes) == "1 pull-quote"


def test_the_summary_names_the_fields_and_counts_the_quotes_and_sources():
    quote = {"text": "Old words.", "speaker": "Jane Roe"}
    before = story(quotes=[quote, {**quote, "text": "Other words."}])
    after = story(
        fields={"body": "The work starts in April.", "section": "Local"},
        quotes=[{**quote, "speaker": "John Doe"}, {**quote, "text": "Other, new words."}],
        sources=[{"title": "Council minutes", "url": "https://example.org/minutes"}],
    )

    assert summarise(compare(before, after)) == "body, section, 2 pull-quotes, 1 source"


def test_a_clause_added_to_a_sentence_keeps_its_full_stop():
    pairs = word_diff("It was against advice.", "It was against advice, she said.")

    assert pairs == [("equal", "It was against advice"), ("insert", ", she said"), ("equal", ".")]


def test_nothing_changed_says_so():
    assert summarise(compare(story(), story())) == "no changes"
