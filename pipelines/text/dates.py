"""The stated 'last updated' / 'effective' date of a policy, read from its text: the document's own date.

A date counts only right after a cue phrase ("Last updated:", "Effective as of", "Version:", "Dernière mise à
jour", "Stand:", "Gültig ab" ...; `date_words`), right after the document's own name near the top or bottom
("Privacy Statement June 3, 2003"), or alone on one of the last lines (a policy signed off with its date). Bare
dates elsewhere are too often copyright years or examples. Cues rank by what they say: an update/revision date is
the stated date of this text, an effective date almost always is, a posted/published/version date usually is.
A cue near the top or bottom of the text, where policies state their date, outranks one in the body.

Not every cued date is the document's: "effective January 1, 2005, California law requires ..." dates a law,
"our Terms of Use were last updated ..." another document. A date whose sentence names a law, programme or
other document nearer to it than this text is theirs and is skipped. Among equally strong cues the latest date
wins (a text that says "Effective July 20, 2012 (last updated October 8, 2013)" was last changed in 2013). A
date after the capture cannot be a stated date of that capture and is rejected.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from pipelines.text.date_words import (
    ABBREVIATIONS,
    CUE_OBJECT,
    CUES,
    MONTHS,
    OTHER_DOCUMENT,
    SELF_REFERENCE,
    THIS_DOCUMENT,
    TITLE_WEIGHT,
)

__all__ = ["MONTHS", "StatedDate", "stated_date"]

_MONTH_OF = {**MONTHS, **ABBREVIATIONS}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_DATE_PATTERNS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, re.I),
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+|de\s+)?" + _MONTH + r",?\s+(?:de\s+)?" + _YEAR, re.I),
    re.compile(_YEAR + r"-(?P<mnum>[01]?\d)-" + _DAY + r"\b"),
    re.compile(r"(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.]" + _YEAR + r"\b"),
    re.compile(_MONTH + r",?\s+" + _YEAR, re.I),
    re.compile(r"(?P<mnum>[01]?\d)/" + _YEAR + r"\b"),
]
_TITLE = len(CUES)  # the index of the document-name cue among the cue groups
_CUE = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate([*CUES, (THIS_DOCUMENT, TITLE_WEIGHT)]))
    + r")"
    + CUE_OBJECT
    + r"\b[\s:.,\-–—*_()\[\]]{0,8}",
    re.I,
)
_CLOCK = re.compile(r"\s*,?\s*(?:at\s+|@\s*)?[0-2]?\d:[0-5]\d")
WINDOW = 60  # characters after a cue in which the date must start
MAX_START = 12  # the date must start this close to the cue's end (after a weekday, if any)
# Every date pattern holds a year, so a cue that counts sits at most WINDOW characters before a year, plus its own
# length. Scanning for cues only near years (few in a policy) instead of over the whole text (cues such as "as of"
# and "updated" are everywhere) makes the search ~10x cheaper with the same answer.
_YEAR_HINT = re.compile(r"(?:19|20)\d\d")
REACH = 200  # characters before a year in which its cue may start: WINDOW plus a generous cue length
# Policies state their date in a header line or a closing line. The edges are the first and last EDGE_CHARS
# characters, or EDGE_SHARE of the text when longer (page furniture pads both ends of a long page).
EDGE_CHARS = 1500
EDGE_SHARE = 0.1
BODY_PENALTY = 0.15  # a cue in the body is more often an aside ("we updated our systems on ...") than the date
CLOSING_CHARS = 300  # a date alone on a line this close to the end is the policy's sign-off
STATED_TEXTS = 256  # texts whose stated dates are kept for their next capture
CLOSING_WEIGHT = 0.6
# Only the end: a date alone on a line at the top of a page is more often a "today's date" widget.
_CLOSING_LINE = re.compile(r"^[\s*_>#]*(?P<date>[^\n]{6,40}?)[\s*_.]*$", re.M)
SENTENCE_REACH = 200  # characters either side of a date read for the words of its sentence
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[;\n]")
_OTHER = re.compile(r"\b(?:" + OTHER_DOCUMENT + r")\b", re.I)
_SELF = re.compile(r"\b(?:" + SELF_REFERENCE + r")\b", re.I)


@dataclass(frozen=True)
class StatedDate:
    """A stated date, how sure we are of it (0-1), the cue phrase that introduced it, and whether the text gave
    its day (a month-only date may be refined by a fuller statement of the same month)."""

    value: date
    confidence: float
    cue: str
    day_known: bool = True


def _to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    day = int(g["day"]) if g.get("day") else 1
    if g.get("month"):
        month = _MONTH_OF[g["month"].lower()]
    elif g.get("a"):
        a, b = int(g["a"]), int(g["b"])
        # US month/day unless impossible; dotted dates are European day.month
        dotted = "." in m.group(0)
        month, day = (b, a) if dotted or a > 12 else (a, b)
    else:
        month = int(g["mnum"])
    try:
        return date(int(g["year"]), month, day)
    except ValueError:
        return None


def _near_years(text: str) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the text that reach from REACH characters before each year to its end."""
    spans: list[tuple[int, int]] = []
    for m in _YEAR_HINT.finditer(text):
        start = max(m.start() - REACH, 0)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((start, m.end()))
    return spans


def _about_other_document(text: str, start: int, end: int) -> bool:
    """Whether the sentence around text[start:end] (a cue and its date) names a law, programme or other document
    nearer to the date than it names this text. Nearest wins: "This policy ... under the GDPR" is this policy's."""
    before = text[max(start - SENTENCE_REACH, 0) : start]
    ends = list(_SENTENCE_END.finditer(before))
    before = before[ends[-1].end() :] if ends else before
    after = text[end : end + SENTENCE_REACH]
    stop = _SENTENCE_END.search(after)
    after = after[: stop.start()] if stop else after

    def nearest(pattern: re.Pattern[str]) -> int:
        gaps = [len(before) - m.end() for m in pattern.finditer(before)] + [m.start() for m in pattern.finditer(after)]
        return min(gaps, default=SENTENCE_REACH + 1)

    other = nearest(_OTHER)
    return other <= SENTENCE_REACH and other < nearest(_SELF)


def _at_edge(text: str, pos: int) -> bool:
    edge = max(EDGE_CHARS, int(EDGE_SHARE * len(text)))
    return pos < edge or pos >= len(text) - edge


def _first_date(window: str) -> re.Match[str] | None:
    """The date a cue introduces: the first pattern that matches within MAX_START characters of its end."""
    for pattern in _DATE_PATTERNS:
        m = pattern.match(window) or pattern.search(window[: MAX_START + 30])
        if m and m.start() <= MAX_START and _to_date(m) is not None:
            return m
    return None


def _cued(text: str) -> Iterator[StatedDate]:
    for cue in (c for start, end in _near_years(text) for c in _CUE.finditer(text, start, end)):
        i = next(i for i in range(len(CUES) + 1) if cue.group(f"c{i}"))
        edge = _at_edge(text, cue.start())
        if i == _TITLE and not edge:
            continue  # a policy's name in its body ("our Privacy Policy, March 2012 ...") dates nothing
        window = text[cue.end() : cue.end() + WINDOW]
        m = _first_date(window)
        if m is None:
            continue
        d = _to_date(m)
        if d is None or _about_other_document(text, cue.start(), cue.end() + m.end()):
            continue
        weight = TITLE_WEIGHT if i == _TITLE else CUES[i][1]
        day_known = bool(m.groupdict().get("day") or m.groupdict().get("a"))
        # a date followed by a clock time is a page system's timestamp ("Last Modified 7/1/2015 10:22 AM")
        stamp = bool(_CLOCK.match(window[m.end() :]))
        conf = weight - 0.1 * (not day_known) - 0.3 * stamp - BODY_PENALTY * (not edge)
        yield StatedDate(d, round(conf, 2), " ".join(cue.group(0).split()).strip(":-–—*_() "), day_known)


def _closing(text: str) -> Iterator[StatedDate]:
    tail_start = max(len(text) - CLOSING_CHARS, 0)
    for line in _CLOSING_LINE.finditer(text, tail_start):
        raw = line.group("date")
        m = next((m for p in _DATE_PATTERNS if (m := p.fullmatch(raw))), None)
        d = _to_date(m) if m else None
        if m is None or d is None or _CLOCK.match(text, line.end("date")):
            continue
        day_known = bool(m.groupdict().get("day") or m.groupdict().get("a"))
        yield StatedDate(d, round(CLOSING_WEIGHT - 0.1 * (not day_known), 2), "closing line", day_known)


def stated_date(text: str, captured_at: datetime | None = None) -> StatedDate | None:
    """The date a policy says it was last updated or took effect, or None.

    Confidence = the cue's weight, less 0.1 when only month and year are given, less 0.3 when a clock time
    follows the date (a content system's timestamp rather than a statement of the policy), less BODY_PENALTY
    when the cue is in the body rather than near the top or bottom.
    """
    limit = captured_at.date() if captured_at else None
    found = (s for s in _candidates(text[:400_000]) if limit is None or s.value <= limit)
    return max(found, key=lambda s: (s.confidence, s.value), default=None)


@functools.lru_cache(maxsize=STATED_TEXTS)
def _candidates(text: str) -> tuple[StatedDate, ...]:
    """Every date the text states, each capture time then keeping those before it: the captures of one text
    (hundreds, in a Wayback history) read it once."""
    return (*_cued(text), *_closing(text))
