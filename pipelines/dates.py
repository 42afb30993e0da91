"""The stated 'last updated' / 'effective' date of a policy, read from its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?P<mnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)"),
    re.compile(_MONTH + r",?\s+(?P<year>(?:19|20)\d\d)", re.I),
]
_CUE = re.compile(
    r"(last\s+(?:updated|modified|revised|changed)|effective(?:\s+date|\s+as\s+of|\s+on)?|"
    r"updated(?:\s+on|\s+as\s+of)?|revised(?:\s+on)?|date\s+of\s+last\s+revision|as\s+of)\W{0,10}",
    re.I,
)
WINDOW = 60  # characters after a cue in which the date must start


@dataclass(frozen=True)
class StatedDate:
    value: date
    confidence: float
    cue: str


def _to_date(m: re.Match) -> date | None:
    g = m.groupdict()
    month = MONTHS[g["month"].lower()] if g.get("month") else int(g["mnum"])
    day = int(g["day"]) if g.get("day") else 1
    try:
        return date(int(g["year"]), month, day)
    except ValueError:
        return None


def stated_date(text: str, captured_at: datetime | None = None) -> StatedDate | None:
    """The date a policy says it was last updated or took effect, or None.

    A date after the capture cannot be a stated update date of that capture and is rejected. Cue
    phrases near the top of the text are trusted most; a bare date without a cue is not used.
    """
    limit = captured_at.date() if captured_at else None
    best: StatedDate | None = None
    for cue in _CUE.finditer(text):
        window = text[cue.end() : cue.end() + WINDOW]
        for pattern in _DATE_PATTERNS:
            m = pattern.search(window)
            if not m or m.start() > 25:
                continue
            d = _to_date(m)
            if d is None or (limit and d > limit):
                continue
            strong = cue.group(1).lower().startswith(("last", "effective"))
            day_known = "day" in m.groupdict() and m.group("day") is not None
            conf = 0.6 + 0.2 * strong + 0.1 * day_known + 0.1 * (cue.start() < 600)
            if best is None or conf > best.confidence:
                best = StatedDate(d, round(conf, 2), cue.group(0).strip())
            break
    return best
