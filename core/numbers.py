"""Numbers that arrive as text (a query string, an admin address, a cookie):
ASCII digits only, one way everywhere.

`str.isdigit()` is true of "²" and of "٣" (Arabic-Indic three): `int()`
refuses the first, a 500 for `?page=%C2%B2` (issue 15 §7), and reads the
second as 3, another spelling of a page. Every number a visitor can type is
read here.
"""


# The most digits of an id that fits PostgreSQL's bigint (9223372036854775807).
BIGINT_DIGITS = 18


def parse_number(value, *, max_digits):
    """`value` as a whole number when it is written in 1 to `max_digits` ASCII
    digits (leading zeros allowed: "02" is 2), else None."""
    if (
        isinstance(value, str)
        and 0 < len(value) <= max_digits
        and value.isascii()
        and value.isdigit()
    ):
        return int(value)
    return None


def is_canonical_number(value):
    """Whether `value` is a number written the one way: ASCII digits, no
    leading zero ("2", not "02" nor "²")."""
    return (
        isinstance(value, str)
        and value.isascii()
        and value.isdigit()
        and (value == "0" or not value.startswith("0"))
    )
