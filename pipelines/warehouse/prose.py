"""The dashboard's words: policy text as plain text, and what changed between versions as sentences."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_MARKDOWN = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their words
    (re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),  # emphasis, not in_a_word
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
]
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_BULLET = re.compile(r"^\s*[-*+]\s+")  # a numbered item keeps its number, as rendered
_QUOTE = re.compile(r"^\s*>\s?")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$")
_CELLS = re.compile(r"\s*\|\s*")
_ENDS_SENTENCE = re.compile(r"[.!?:;,…»\"”)]$")


def _blocks(markdown: str) -> list[str]:
    """The text's blocks as a reader sees them: a heading, a list item or a table row each stands alone; the
    lines of a paragraph run together."""
    blocks: list[str] = []
    paragraph: list[str] = []
    for raw in markdown.splitlines():
        if not raw.strip() or _TABLE_RULE.match(raw):
            blocks.append(" ".join(paragraph))
            paragraph = []
            continue
        line = _QUOTE.sub("", raw)
        alone = _HEADING.match(line) or _BULLET.match(line) or line.lstrip().startswith("|")
        line = _CELLS.sub(" ", _BULLET.sub("", _HEADING.sub("", line))).strip()
        if alone:
            blocks += [" ".join(paragraph), line]
            paragraph = []
        else:
            paragraph.append(line)
    blocks.append(" ".join(paragraph))
    return [b for b in (" ".join(b.split()) for b in blocks) if b]


def plain_text(markdown: str | None, limit: int = 280) -> str:
    """The first `limit` characters of a markdown text as a reader sees it: no heading, list, table, link or
    emphasis marks, one line, a full stop after a heading or item that has none (so a title does not run into
    the sentence after it); cut at a word with an ellipsis."""
    text = markdown or ""
    for pattern, repl in _MARKDOWN:
        text = pattern.sub(repl, text)
    blocks = _blocks(text)
    # the last block may be cut short (an excerpt's start is read to a length): it gets no stop of its own
    text = " ".join([*(b if _ENDS_SENTENCE.search(b) else b + "." for b in blocks[:-1]), *blocks[-1:]])
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


# The languages py3langid reports most on policies; others show as their ISO 639-1 code.
LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch",
    "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "da": "Danish", "ja": "Japanese", "zh": "Chinese",
}  # fmt: skip


def language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "an undetected language")


def display_name(practice: str, names: Mapping[str, str]) -> str:
    """The name a reader sees for a practice id (or a tagger label), from the practices table's names; the
    raw value where the table has none, so a new or renamed id still shows."""
    return names.get(practice) or practice


def _names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(display_name(i, names) for i in ids)


def change_sentence(change: Mapping[str, object], names: Mapping[str, str]) -> str:
    """What changed at the start of a version, as a reader would say it: translation, practices added and
    removed (by display name), sections added, removed and reworded, and how alike the texts are.

    `change` holds the version's `version_changes` columns (similarity None for a site's first version)."""
    if change.get("similarity") is None:
        return "First version seen."
    out = []
    if change.get("change_kind") == "translated":
        out.append(
            f"Translated from {language_name(change.get('language_from'))} "  # type: ignore[arg-type]
            f"to {language_name(change.get('language_to'))}; practices not compared."  # type: ignore[arg-type]
        )
    gained, lost = change.get("practices_gained"), change.get("practices_lost")
    if gained is None and lost is None and change.get("change_kind") != "translated":
        out.append("Practices unknown (a language the tagger does not read).")
    if gained:
        out.append(f"Added: {_names(gained, names)}.")  # type: ignore[arg-type]
    if lost:
        out.append(f"Removed: {_names(lost, names)}.")  # type: ignore[arg-type]
    if gained == [] and lost == []:
        out.append("Same practices.")
    counts = [
        f"{n} section{'s' if n != 1 else ''} {what}"
        for what, n in (
            ("added", change.get("segments_added")),
            ("removed", change.get("segments_removed")),
            ("reworded", change.get("segments_modified")),
        )
        if n
    ]
    similarity = float(change["similarity"])  # type: ignore[arg-type]
    text = f"Text {similarity:.0%} alike" + (f": {', '.join(counts)}." if counts else "; sections unchanged.")
    out.append(text)
    return " ".join(out)
