"""What changed between two states of a story, for people to read (issue 17).

A state is a `Snapshot`: the story's fields as an editor reads them (the
body as its paragraphs' text, the section and tags by name), its pull-quotes
and its sources. `compare(before, after)` lists the changes: the text fields
as a word-level diff, the others as "was / is now". The history's one-line
summaries ("body, 2 pull-quotes") come from the same list.

Pure functions of their arguments: articles/revisions.py builds the snapshots
(from the database, a revision or a submitted form).
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

# The story's own fields, in the order the form shows them, with the words
# a summary uses for each.
FIELD_LABELS = {
    "headline": "headline",
    "standfirst": "standfirst",
    "body": "body",
    "section": "section",
    "tags": "tags",
    "byline": "byline",
    "hero_image": "hero picture",
    "hero_alt": "hero alt text",
    "hero_caption": "hero caption",
    "hero_credit": "hero credit",
    "status": "status",
    "published_at": "publication time",
}
# Read as prose, so compared word by word.
TEXT_FIELDS = {"headline", "standfirst", "body"}
QUOTE_LABELS = {
    "text": "text",
    "speaker": "speaker",
    "speaker_role": "speaker's role",
    "source": "source",
    "after_paragraph": "after paragraph",
}
NOTE_LABELS = {
    "text": "text",
    "kind": "kind",
    "noted_at": "date",
    "state": "state",
}
SOURCE_LABELS = {
    "title": "title",
    "kind": "kind",
    "url": "URL",
    "published_on": "published on",
    "publisher": "publisher",
    "quoted_text": "captured text",
    "archive_url": "archived copy",
}
QUOTE_TEXT_FIELDS = {"text"}
SOURCE_TEXT_FIELDS = {"quoted_text"}
NOTE_TEXT_FIELDS = {"text"}

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)
# A word, or a run of punctuation, with the space after it: spaces alone
# never match (a changed phrase reads as one deletion and one insertion), and
# a sentence that gains a clause keeps its full stop.
_TOKENS = re.compile(r"^\s+|[\w’'-]+\s*|[^\w\s]+\s*")


def body_text(body_html):
    """A body's paragraphs as plain text, one blank line between them."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n\n", body_html or "")))
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    return "\n\n".join(part for part in paragraphs if part)


@dataclass
class Snapshot:
    """A story as people read it: every value a string."""

    fields: dict
    quotes: list = field(default_factory=list)  # dicts keyed as QUOTE_LABELS
    sources: list = field(default_factory=list)  # dicts keyed as SOURCE_LABELS
    notes: list = field(default_factory=list)  # dicts keyed as NOTE_LABELS


@dataclass
class Change:
    """One thing that differs. `words` (text fields only) is the word-level
    diff: (op, text) pairs, op one of "equal", "delete", "insert"."""

    label: str
    before: str
    after: str
    words: list | None = None
    part: str = ""  # "", "pull-quote", "source" or "note": what the summary counts
    row: str = ""  # which quote or source, for the summary's count


def word_diff(before, after):
    """(op, text) pairs that turn `before` into `after`, word by word
    (whitespace kept, so paragraphs stay paragraphs)."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pairs = []
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = "".join(old[old_start:old_end]), "".join(new[new_start:new_end])
        if op == "equal":
            _append(pairs, "equal", removed)
            continue
        # The space after a replaced phrase is kept, not changed.
        shared = _trailing_space(removed) if op == "replace" else ""
        if shared and _trailing_space(added) == shared:
            removed, added = removed[: -len(shared)], added[: -len(shared)]
        else:
            shared = ""
        _append(pairs, "delete", removed)
        _append(pairs, "insert", added)
        _append(pairs, "equal", shared)
    return pairs


def _trailing_space(text):
    return text[len(text.rstrip()) :]


def _append(pairs, op, text):
    if not text:
        return
    if pairs and pairs[-1][0] == op:
        pairs[-1] = (op, pairs[-1][1] + text)
    else:
        pairs.append((op, text))


def _value_change(label, before, after, *, is_text, part="", row=""):
    words = word_diff(before, after) if is_text else None
    return Change(label, before or "", after or "", words, part, row)


def compare(before, after):
    """Every change from `before` to `after` (Snapshots), in the form's order."""
    changes = []
    for name, label in FIELD_LABELS.items():
        old, new = before.fields.get(name, ""), after.fields.get(name, "")
        if old != new:
            changes.append(_value_change(label.capitalize(), old, new, is_text=name in TEXT_FIELDS))
    changes += _compare_rows(
        before.quotes, after.quotes, "Pull-quote", "pull-quote", QUOTE_LABELS, QUOTE_TEXT_FIELDS
    )
    changes += _compare_rows(
        before.sources, after.sources, "Source", "source", SOURCE_LABELS, SOURCE_TEXT_FIELDS
    )
    changes += _compare_rows(
        before.notes, after.notes, "Note", "note", NOTE_LABELS, NOTE_TEXT_FIELDS
    )
    return changes


def _compare_rows(old_rows, new_rows, noun, part, labels, text_fields):
    """Rows (quotes, sources) aligned by their first field, so that one quote
    added at the top does not read as every quote changed."""
    key = next(iter(labels))
    matcher = difflib.SequenceMatcher(
        None, [row[key] for row in old_rows], [row[key] for row in new_rows], autojunk=False
    )
    changes = []
    for _op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        old_part, new_part = old_rows[old_start:old_end], new_rows[new_start:new_end]
        for offset in range(max(len(old_part), len(new_part))):
            old = old_part[offset] if offset < len(old_part) else None
            new = new_part[offset] if offset < len(new_part) else None
            number = new_start + offset + 1 if new is not None else old_start + offset + 1
            changes += _compare_row(old, new, f"{noun} {number}", part, labels, text_fields)
    return changes


def _compare_row(old, new, title, part, labels, text_fields):
    if old is None or new is None:
        row = new if old is None else old
        what = "added" if old is None else "removed"
        lines = [f"{labels[name]}: {value}" for name, value in row.items() if value]
        text = "\n".join(lines)
        return [
            _value_change(
                f"{title} ({what})",
                "" if old is None else text,
                text if old is None else "",
                is_text=True,
                part=part,
                row=f"{title} {what}",
            )
        ]
    return [
        _value_change(
            f"{title}: {label}",
            old.get(name, ""),
            new.get(name, ""),
            is_text=name in text_fields,
            part=part,
            row=title,
        )
        for name, label in labels.items()
        if old.get(name, "") != new.get(name, "")
    ]


def summarise(changes):
    """The history's one line: "body, tags, 2 pull-quotes, 1 source"."""
    words, rows = [], {"pull-quote": set(), "source": set(), "note": set()}
    for change in changes:
        if change.part:
            rows[change.part].add(change.row)
        elif change.label.lower() not in words:
            words.append(change.label.lower())
    for noun, changed in rows.items():
        count = len(changed)
        if count:
            words.append(f"{count} {noun}{'' if count == 1 else 's'}")
    return ", ".join(words) or "no changes"
