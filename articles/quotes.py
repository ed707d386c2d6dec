# ruff: noqa: RUF002, RUF003  (this module is about telling ’ from ' and – from -)
"""Is a pull-quote what the story or its source says? (issue 18 §2)

A pull-quote is a claim that a named person said these words, so on every
save each one is looked for in the story's body and in the captured text of
the source it points to (articles/publishing.py: `check_quotes`). This module
is the rule alone: plain text in, an answer out; no database, no markup.

The rule, as an editor would check by eye:
- the quote's words must appear in the text, in the same order, one after
  another;
- case and whitespace do not count, nor typographic against straight quotes
  and apostrophes (’ and ') or dashes against hyphens (– — and -);
- punctuation between words does not count either: a quote that ends with a
  full stop matches a sentence that goes on with a comma, and the quotation
  marks a body puts around spoken words are not part of them;
- "…", "...", "[…]" and "[...]" stand for words left out: the parts either
  side must each appear, in order, with anything between them.

When a quote is not found, `unmatched_words` says which of its words were
not: the runs of words outside the longest passages (three words or more, or
a whole short part) that the closest text shares with it.
"""

import difflib
import re
import unicodedata

# Words left out: an ellipsis, alone or in square brackets.
ELISION = re.compile(r"\[\s*(?:…|\.\s*\.\s*\.)\s*\]|…|\.\s*\.\s*\.")
_APOSTROPHES = "'‘’‛′"
_DASHES = "-‐‑‒–—―−"
# A word: letters and digits, joined by apostrophes or dashes inside it
# ("don’t", "well-known", "2–1"). Everything else between words is ignored.
_WORD = re.compile(rf"\w+(?:[{re.escape(_APOSTROPHES + _DASHES)}]\w+)*")
_SAME = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, "'"),
        **dict.fromkeys(_DASHES, "-"),
        "\N{SOFT HYPHEN}": None,
    }
)
# A passage shorter than this, shared by quote and text, may be chance
# ("of the"): it does not count as found unless it is a whole part.
_LEAST_PASSAGE = 3


def normalise(word):
    """A word as the comparison sees it: no case, one kind of apostrophe and dash."""
    return unicodedata.normalize("NFKC", word).translate(_SAME).casefold()


def words(text):
    """The words of `text`, as written: [(word, normalised)]."""
    return [(match.group(), normalise(match.group())) for match in _WORD.finditer(text or "")]


def quote_parts(quote):
    """The quote's parts between elisions, each a list of (word, normalised);
    parts with no word in them are dropped."""
    parts = (words(part) for part in ELISION.split(quote or ""))
    return [part for part in parts if part]


def is_found(quote, text):
    """Whether every part of `quote` appears in `text`, in order."""
    keys = [key for _, key in words(text)]
    position = 0
    for part in quote_parts(quote):
        start = _find(keys, [key for _, key in part], position)
        if start is None:
            return False
        position = start + len(part)
    return True


def unmatched_words(quote, *texts):
    """[] when `quote` is found in one of `texts`; otherwise the runs of its
    words (as written, in order) that the closest of them does not share."""
    if not quote_parts(quote) or any(is_found(quote, text) for text in texts):
        return []
    candidates = [_missing_runs(quote, text) for text in texts if text]
    if not candidates:
        return [" ".join(word for word, _ in part) for part in quote_parts(quote)]
    return min(candidates, key=lambda runs: sum(len(run.split()) for run in runs))


def _find(keys, part, start):
    """Where `part` first appears in `keys` at or after `start`, or None."""
    for index in range(start, len(keys) - len(part) + 1):
        if keys[index : index + len(part)] == part:
            return index
    return None


def _missing_runs(quote, text):
    keys = [key for _, key in words(text)]
    runs = []
    for part in quote_parts(quote):
        part_keys = [key for _, key in part]
        matcher = difflib.SequenceMatcher(None, part_keys, keys, autojunk=False)
        found = [False] * len(part)
        for block in matcher.get_matching_blocks():
            if block.size >= min(_LEAST_PASSAGE, len(part)):
                found[block.a : block.a + block.size] = [True] * block.size
        run = []
        for (word, _), is_there in zip(part, found, strict=True):
            if is_there:
                if run:
                    runs.append(" ".join(run))
                run = []
            else:
                run.append(word)
        if run:
            runs.append(" ".join(run))
    return runs
