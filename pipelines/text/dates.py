"""The stated 'last updated' / 'effective' date of a policy, read from its text.

A date counts only right after a cue phrase ("Last updated:", "Effective as of", "Revision date",
"Dernière mise à jour", "Stand:" ...); bare dates in a text are too often copyright years or examples. Cues rank
by what they say: an update/revision date is the stated date of this text, an effective date almost always is,
a posted/published date usually is. Among equally strong cues the latest date wins (a text that says "Effective
July 20, 2012 (last updated October 8, 2013)" was last changed in 2013). A date after the capture cannot be a
stated date of that capture and is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_MONTH_NAMES = [
    ("january", "jan", "janvier", "januar", "enero", "gennaio", "janeiro"),
    ("february", "feb", "février", "fevrier", "februar", "febrero", "febbraio", "fevereiro"),
    ("march", "mar", "mars", "märz", "marz", "marzo", "março"),
    ("april", "apr", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio", "maio"),
    ("june", "jun", "juin", "juni", "junio", "giugno", "junho"),
    ("july", "jul", "juillet", "juli", "julio", "luglio", "julho"),
    ("august", "aug", "août", "aout", "agosto"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
    ("october", "oct", "octobre", "oktober", "octubre", "ottobre", "outubro"),
    ("november", "nov", "novembre", "noviembre", "novembro"),
    ("december", "dec", "décembre", "decembre", "dezember", "diciembre", "dicembre", "dezembro"),
]
MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
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
# (pattern, weight): how surely the cued date is the date this text was last changed.
_CUES = [
    (
        r"last\s+(?:updated|modified|revised|changed|edited|reviewed|amended)(?:\s+(?:on|date))?|last\s+update|"
        r"(?:date\s+of\s+)?(?:last\s+)?revision\s+date|date\s+of\s+last\s+revision|most\s+recent\s+(?:change|update|"
        r"revision)s?|(?:updated|revised|modified|amended)(?:\s+(?:on|as\s+of))?|"
        r"derni[eè]re\s+mise\s+[àa]\s+jour|mis[e]?\s+[àa]\s+jour\s+le|zuletzt\s+(?:aktualisiert|geändert)|"
        r"última\s+(?:actualización|modificación|atualização)|ultimo\s+aggiornamento|aktualisiert\s+am|stand",
        1.0,
    ),
    (r"effective(?:\s+date|\s+as\s+of|\s+on|\s+from)?|en\s+vigueur|gültig\s+ab|vigente\s+(?:desde|a\s+partir)", 0.9),
    (r"posted(?:\s+on)?|published(?:\s+on)?|dated|version\s+(?:date|of)|date\s+de\s+publication", 0.8),
    (r"as\s+of", 0.7),
]
_CUE = re.compile(
    r"\b(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_CUES)) + r")\b[\s:.,\-–—*_()\[\]]{0,8}",
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


@dataclass(frozen=True)
class StatedDate:
    """A stated date, how sure we are of it (0-1), and the cue phrase that introduced it."""

    value: date
    confidence: float
    cue: str


def _to_date(m: re.Match[str]) -> date | None:
    g = m.groupdict()
    day = int(g["day"]) if g.get("day") else 1
    if g.get("month"):
        month = MONTHS[g["month"].lower()]
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


def stated_date(text: str, captured_at: datetime | None = None) -> StatedDate | None:
    """The date a policy says it was last updated or took effect, or None.

    Confidence = the cue's weight, less 0.1 when only month and year are given, less 0.3 when a clock time
    follows the date (a content system's timestamp rather than a statement of the policy).
    """
    limit = captured_at.date() if captured_at else None
    best: tuple[float, date, str] | None = None
    text = text[:400_000]
    for cue in (c for start, end in _near_years(text) for c in _CUE.finditer(text, start, end)):
        weight = next(w for i, (_, w) in enumerate(_CUES) if cue.group(f"c{i}"))
        window = text[cue.end() : cue.end() + WINDOW]
        for pattern in _DATE_PATTERNS:
            m = pattern.match(window) or pattern.search(window[: MAX_START + 30])
            if not m or m.start() > MAX_START:
                continue
            d = _to_date(m)
            if d is None or (limit and d > limit):
                continue
            day_known = bool(m.groupdict().get("day") or m.groupdict().get("a"))
            # a date followed by a clock time is a page system's timestamp ("Last Modified 7/1/2015 10:22 AM")
            stamp = bool(_CLOCK.match(window[m.end() :]))
            conf = round(weight - 0.1 * (not day_known) - 0.3 * stamp, 2)
            if best is None or (conf, d) > (best[0], best[1]):
                best = (conf, d, " ".join(cue.group(0).split()).strip(":-–—*_ "))
            break
    return StatedDate(best[1], best[0], best[2]) if best else None
