"""One commenter, one key: how email addresses are compared (issue 15 §6).

`normalise_email(value)` is the only definition of "the same address". It is
computed in Python and stored beside the address (`Comment.author_email_normalised`),
and every comparison is an equality on that stored copy, so SQLite and
PostgreSQL agree whatever their collation. The database's LOWER() does not do:
it folds only ASCII on SQLite (and on PostgreSQL under a C locale), so
`jane@MÜNCHEN.de` and `jane@münchen.de` would be two people.

- The local part (before the last "@"): NFKC, then case-folded (Python's
  `str.casefold()`, so "ß" matches "ss"). Mail servers may in theory tell
  case apart there; none that readers use does, and neither does WordPress.
- The domain: NFKC, then its IDNA form (IDNA 2008 with the UTS #46 mapping,
  which also folds its case, through the pinned `idna` package), so
  `MÜNCHEN.de`, `münchen.de` and `xn--mnchen-3ya.de` are one domain. It is not
  case-folded before: "straße.de" and "strasse.de" are two domains under
  IDNA 2008. A final dot ("example.org.") is dropped. A domain that has no
  IDNA form (no mail can reach it, but it may be stored) is kept NFKC and
  case-folded.
- A key longer than `KEY_MAX_LENGTH` is replaced by its SHA-256 ("sha256:…"), so
  that it always fits the column and its index (NFKC can make one character
  eighteen); equality, the only use of a key, is kept.

Changing this changes who is who: stored keys are then recomputed by a data
migration, as `comments/migrations/0004_comment_email_normalised.py` does.
"""

import hashlib
import unicodedata

import idna

KEY_MAX_LENGTH = 254


def _folded(text):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _domain(domain):
    domain = unicodedata.normalize("NFKC", domain)
    if domain.endswith("."):
        domain = domain[:-1]
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except UnicodeError:  # idna.IDNAError: no IDNA form
        return _folded(domain)


def normalise_email(value):
    """The key that says which commenter an address belongs to ("" for no address)."""
    value = (value or "").strip()
    if not value:
        return ""
    local, at, domain = value.rpartition("@")
    key = f"{_folded(local)}@{_domain(domain)}" if at and domain else _folded(value)
    if len(key) > KEY_MAX_LENGTH:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return key
