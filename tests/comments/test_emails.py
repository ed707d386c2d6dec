"""comments/emails.py: which addresses are one commenter (`normalise_email`)."""

import pytest

from comments.emails import KEY_MAX_LENGTH, normalise_email


@pytest.mark.parametrize(
    "typed",
    [
        "Jane@MÜNCHEN.de",
        "jane@münchen.de",
        "jane@xn--mnchen-3ya.de",
        "JANE@XN--MNCHEN-3YA.DE",
        "jane@mu\u0308nchen.de",  # ü as u and a combining diaeresis
        "ｊａｎｅ@ｍüｎｃｈｅｎ.de",  # full-width letters
        "  jane@münchen.de ",
        "jane@münchen.de.",  # the fully qualified domain
    ],
)
def test_one_address_in_any_case_script_or_idna_form_is_one_key(typed):
    assert normalise_email(typed) == "jane@xn--mnchen-3ya.de"


def test_the_key_is_plain_lower_case_for_an_ascii_address():
    assert normalise_email("Ada.Reader@Example.ORG") == "ada.reader@example.org"


def test_the_local_part_is_case_folded_beyond_ascii():
    assert normalise_email("ÉLODIE@example.org") == normalise_email("élodie@example.org")
    assert normalise_email("STRASSE@example.org") == normalise_email("straße@example.org")


def test_the_domain_keeps_idna_2008s_sharp_s():
    # "straße.de" and "strasse.de" are two domains under IDNA 2008 (two owners).
    assert normalise_email("a@straße.de") == "a@xn--strae-oqa.de"
    assert normalise_email("a@straße.de") != normalise_email("a@strasse.de")


def test_different_addresses_stay_different():
    assert normalise_email("jane@münchen.de") != normalise_email("jane@munchen.de")
    assert normalise_email("jane@example.org") != normalise_email("jane2@example.org")


def test_a_domain_with_no_idna_form_is_still_folded():
    assert normalise_email("Ann@Ex_Ample.ORG") == "ann@ex_ample.org"
    assert normalise_email("ann@😀.com") == normalise_email("ANN@😀.COM")


def test_no_address_is_an_empty_key():
    assert normalise_email("") == normalise_email("   ") == normalise_email(None) == ""


def test_a_key_that_nfkc_would_make_huge_still_fits_its_column():
    # One ligature becomes 18 characters under NFKC, and has no IDNA form.
    key = normalise_email("a@" + "\ufdfa" * 60 + ".com")
    assert len(key) <= KEY_MAX_LENGTH
    assert key.startswith("sha256:")
    assert key == normalise_email("A@" + "\ufdfa" * 60 + ".COM")
    assert key != normalise_email("a@" + "\ufdfa" * 59 + ".com")
