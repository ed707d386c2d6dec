"""articles/quotes.py: is a pull-quote what the body or its source says?"""

from articles.quotes import is_found, normalise, unmatched_words

BODY = (
    "“I have spent my working life making sure that public money buys what it is "
    "meant to buy,” Ms Marsh wrote. “This time I was asked to put my name to a "
    "number I did not believe.” The vote — 27 to 23 — was close."
)


def test_the_same_words_are_found():
    assert is_found("This time I was asked to put my name to a number", BODY)


def test_case_and_whitespace_do_not_count():
    assert is_found("THIS time  I was\nasked", BODY)


def test_curly_and_straight_quotes_and_apostrophes_are_alike():
    assert is_found("We don't mind who builds it", "“We don’t mind who builds it,” she said.")
    assert is_found("We don’t mind who builds it", "\"We don't mind who builds it\"")


def test_dashes_and_hyphens_are_alike():
    assert is_found("a 2-1 win", "a 2–1 win") and is_found("a well—known face", "a well-known face")


def test_punctuation_between_words_does_not_count():
    assert is_found("what it is meant to buy.", BODY)


def test_an_ellipsis_stands_for_words_left_out():
    assert is_found("I have spent my working life … what it is meant to buy", BODY)


def test_three_dots_and_bracketed_ellipses_stand_for_words_left_out_too():
    assert is_found("I have spent my working life ... meant to buy", BODY)
    assert is_found("I have spent my working life […] meant to buy", BODY)
    assert is_found("I have spent my working life [...] meant to buy", BODY)


def test_the_parts_around_an_ellipsis_must_come_in_order():
    assert not is_found("meant to buy … I have spent my working life", BODY)


def test_without_an_ellipsis_the_words_must_be_together():
    assert not is_found("I have spent my working life meant to buy", BODY)


def test_a_changed_word_is_not_found():
    assert not is_found("This time I was told to put my name to a number", BODY)


def test_a_found_quote_has_no_unmatched_words():
    assert unmatched_words("The vote … was close.", "x", BODY) == []


def test_the_unmatched_words_are_the_ones_that_differ_as_written():
    assert unmatched_words("This time I was TOLD to put my name to a number", BODY) == ["TOLD"]


def test_an_invented_quote_is_unmatched_as_a_whole():
    assert unmatched_words("We never agreed to any of this", BODY) == [
        "We never agreed to any of this"
    ]


def test_each_run_of_unmatched_words_is_listed_in_order():
    quote = "I have spent my whole working life making sure that private money buys what it is"

    assert unmatched_words(quote, BODY) == ["whole", "private"]


def test_the_closest_text_gives_the_unmatched_words():
    source = "This time I was asked to put my name to a figure"

    assert unmatched_words("This time I was asked to put my name to a sum", BODY, source) == [
        "sum"
    ]


def test_a_quote_with_nothing_to_be_found_in_is_unmatched():
    assert unmatched_words("Words from nowhere", "", "") == ["Words from nowhere"]


def test_normalise_folds_case_apostrophes_and_dashes():
    assert normalise("Don’t") == normalise("don't") == "don't"
    assert normalise("well–known") == "well-known"
