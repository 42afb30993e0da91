"""Group a site's policy captures into versions: same policy text, give or take what is not the policy.

Two captures show the same version when their *canonical lines* are the same set. A canonical line is a
line of the extracted text, normalized (case, markdown marks, spaces) and with volatile tokens masked:
dates and times, copyright years, long numbers and ids (nonces, build stamps, cache keys), e-mail
obfuscation. Lines are compared as a set, so a table of contents repeated as headings, or a line that
moves, changes nothing; short navigation-like lines whose words all appear elsewhere in the page (menus,
"back to top", headings duplicated from the contents) are ignored as page furniture.

A capture that shares essentially no running text with the version in force, followed by a return to that
version or an edit of it, is a *substitute page* (a home page, sign-in wall or error page served at the policy
URL for a while), not two changes: it joins no version. A rewrite that stays, or a flip between two variants
of a policy (which share much of their text), are versions as usual.

Anything else that differs is a change of the policy's words, however small: a one-word edit in a
10,000-word policy is a new version. So there is no similarity threshold on edits; near-duplicates are
merged by making them exact (masking) rather than by tolerating a fraction of difference, which would
hide small real edits in long policies and let slow drift accumulate unseen.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

import pandas as pd

from pipelines.text.dates import MONTHS
from pipelines.text.normalize import normalize, text_hash

VERSION_INPUT_COLUMNS = [
    "capture_id",
    "site_id",
    "url",
    "captured_at",
    "payload_sha256",
    "text",
    "stated_date",
    "word_count",
    "language",
]

# A line of at most this many words, without sentence punctuation, whose words all occur elsewhere in the
# page, is page furniture (menu entry, duplicated heading), not policy text.
FURNITURE_MAX_WORDS = 6

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# Dates are kept aside (see `_canon`), in this order so that a whole date is matched before its parts.
_DATES = [
    re.compile(r"\b(?P<month>" + _MONTH + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<month>" + _MONTH + r")\.?,?\s+(?P<year>(?:19|20)\d\d)"
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[-/.](?P<mnum>\d{1,2})[-/.](?P<year>(?:19|20)\d\d)\b"),
]
_MASKS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–—]|to)\s*)?\d{4}"), " @copyright@ "),
    (re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"), " @time@ "),
    # Nonces, hashes, build stamps, session and cache ids: long tokens mixing letters and digits.
    (re.compile(r"\b(?=[a-z0-9_]*\d)(?=[a-z0-9_]*[a-z])[a-z0-9_]{16,}\b"), " @id@ "),
    (re.compile(r"\b\d{7,}\b"), " @num@ "),
    (re.compile(r"\b\d+\.\d{3,}\b(?!\.\d)"), " @num@ "),  # timings, measures; not section numbers
    (re.compile(r"\?[a-z0-9_=&%.;-]*\d[a-z0-9_=&%.;-]*"), " "),  # query strings of cache-busted links
]
# Cloudflare-style e-mail obfuscation, "[email protected]" with stray letters glued on; before normalizing.
_EMAIL_PROTECTED = re.compile(r"[\w.%+-]*\[\s*email\s+protected\s*\]", re.I)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;]$")
_HEADING = re.compile(r"^\s*#{1,6}\s")
ROTATING_DATE_DAYS = 2  # a date this close to its own capture time is a page-generation stamp
# A page sharing under this fraction of its 4-word shingles with the version in force (of the smaller side's
# shingles) is unrelated text. Heavy rewrites of a policy and variants of one keep well above it (a rewrite
# keeps its legal boilerplate); a home page or an error page shares almost nothing.
SUBSTITUTE_OVERLAP = 0.02
SHINGLE_WORDS = 4
# Look-ahead bound for a run of substitute pages: keeps grouping linear on hostile histories of ever-new texts.
MAX_SUBSTITUTE_RUN = 200


@dataclass(frozen=True)
class Fingerprint:
    """What decides version identity for one text: masked lines, and the dates each line carries."""

    key: str  # hash of the masked line set: `version_key`
    dated: frozenset[tuple[str, tuple[str, ...]]]  # (masked line, the dates masked in it)

    @cached_property
    def shingles(self) -> frozenset[int]:
        """Hashes of the 4-word shingles of the kept lines, to tell related texts from unrelated ones."""
        out: set[int] = set()
        for line, _ in self.dated:
            w = _WORD.findall(line)
            out.update(hash(tuple(w[i : i + SHINGLE_WORDS])) for i in range(max(len(w) - SHINGLE_WORDS + 1, 1)))
        return frozenset(out)


@functools.lru_cache(maxsize=1 << 16)  # versions of a policy share most of their lines
def _canon(line: str) -> tuple[str, tuple[str, ...]]:
    """(line normalized with volatile tokens and dates masked, the dates found) ('' for no words).

    Masking runs before `normalize`, which would strip the dashes and parentheses of '2019-03-04' and
    '(c) 2019'; placeholders are @name@ because normalize keeps '@'.
    """
    t = unicodedata.normalize("NFKC", line).lower().replace("\\", "")
    # Replacement characters and invisible format characters come and go with encodings and markup.
    if not t.isascii():
        t = "".join(ch for ch in t if ch != "\ufffd" and unicodedata.category(ch) not in ("Cf", "Co", "Cs"))
    t = _EMAIL_PROTECTED.sub(" @email@ ", t)
    dates: list[str] = []
    for rx in _DATES:
        t = rx.sub(lambda m: dates.append(m.group(0)) or " @date@ ", t)
    for rx, repl in _MASKS:
        t = rx.sub(repl, t)
    t = normalize(t)
    return (t, tuple(dates)) if _WORD.search(t) else ("", ())


def canonical_line(line: str) -> str:
    """One line normalized and with its volatile tokens and dates masked ('' for lines with no words)."""
    return _canon(line)[0]


def fingerprint(text: str) -> Fingerprint:
    """The text's canonical lines (page furniture removed) with their dates, and their key."""
    lines: dict[str, tuple[str, ...]] = {}
    headings: set[str] = set()
    dated: set[tuple[str, tuple[str, ...]]] = set()
    for raw in (text or "").splitlines():
        c, dates = _canon(raw)
        if not c:
            continue
        lines[c] = dates
        dated.add((c, dates))
        if _HEADING.match(raw):
            headings.add(c)
    keep = _without_furniture(set(lines), headings)
    return Fingerprint(lines_key(keep), frozenset(d for d in dated if d[0] in keep))


def canonical_lines(text: str) -> frozenset[str]:
    """The set of canonical lines of a text, page furniture removed."""
    return frozenset(c for c, _ in fingerprint(text).dated)


def _without_furniture(lines: set[str], headings: set[str]) -> set[str]:
    """Drop headings and short unpunctuated lines whose words all occur in the other lines.

    Such lines add no words to the page: a heading repeating the table of contents, a menu entry.
    """
    short = {x for x in lines if len(x.split()) <= FURNITURE_MAX_WORDS and not _SENTENCE_END.search(x)}
    candidates = short | (headings & lines)
    if not candidates:
        return lines
    body_words = {w for x in lines - candidates for w in _WORD.findall(x)}
    # Section numbers are numbering, not words.
    return {x for x in lines if x not in candidates or not _words(x) <= body_words}


def _words(line: str) -> set[str]:
    return {w for w in _WORD.findall(line) if not w.isdigit()}


def version_key(text: str) -> str:
    """Hash of the text's canonical line set (dates masked): different keys mean different versions.

    Equal keys with different dates are different versions too, unless the dates that changed are
    page-generation stamps (see `same_version`).
    """
    return fingerprint(text).key


def lines_key(lines: Iterable[str]) -> str:
    """Order-free hash of a set of canonical lines."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def _parse_dates(s: str) -> list[date]:
    """Every reading of a date string (day-month order is ambiguous in numeric dates)."""
    out = []
    for rx in _DATES:
        m = rx.fullmatch(s.strip())
        if not m:
            continue
        g = m.groupdict()
        y, d = int(g["year"]), int(g["day"])
        mo = MONTHS[g["month"].lower().rstrip(".")] if g.get("month") else int(g["mnum"])
        for mm, dd in {(mo, d), (d, mo)} if not g.get("month") else {(mo, d)}:
            with contextlib.suppress(ValueError):
                out.append(date(y, mm, dd))
    return out


def same_version(prev: Fingerprint, new: Fingerprint, captured_at: datetime | None) -> bool:
    """Whether a capture with fingerprint `new` shows the same version as the one before it (`prev`).

    Same masked lines, and any date that changed is within ROTATING_DATE_DAYS of the capture (a stamp of
    when the page was served, not a date the policy states). A changed effective or 'last updated' date
    is a new version, as the policy says it changed.
    """
    if prev.key != new.key:
        return False
    added = new.dated - prev.dated
    if not added:
        return True
    if captured_at is None:
        return False
    old_dates = {d for _, ds in prev.dated - new.dated for d in ds}
    day = pd.Timestamp(captured_at).date()
    for _, ds in added:
        for d in ds:
            if d in old_dates:
                continue
            if not any(abs((x - day).days) <= ROTATING_DATE_DAYS for x in _parse_dates(d)):
                return False
    return True


def overlap(a: Fingerprint, b: Fingerprint) -> float:
    """Share of the smaller text's 4-word shingles that the other text has too (0: unrelated, 1: contained)."""
    sa, sb = a.shingles, b.shingles
    return len(sa & sb) / max(min(len(sa), len(sb)), 1)


def substitute_run(base: Fingerprint, prints: Sequence[Fingerprint], times: Sequence[datetime], i: int) -> int:
    """How many captures from index i on are substitute pages standing in for version `base`.

    A run of captures that each share under SUBSTITUTE_OVERLAP of their text with `base`, ended by a capture
    related to it (the same version, or an edit of it), is one. When the run reaches the end of the history it
    is 0: the policy was replaced for good, which is a change (the classifier keeps most such pages out).
    """
    j, end = i, min(len(prints), i + MAX_SUBSTITUTE_RUN)
    while j < end and not same_version(base, prints[j], times[j]) and overlap(base, prints[j]) < SUBSTITUTE_OVERLAP:
        j += 1
    return j - i if j < end else 0


def group_versions(captures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Versions and the capture->version map from policy captures (columns VERSION_INPUT_COLUMNS).

    Captures are taken per site in time order; a capture starts a new version when its version key
    differs from the current version's. A return to an earlier text is a new version, since the policy in
    force did change. Substitute pages (see `substitute_run`) join no version and have no link.
    Windows: `changed_after` is the previous version's last capture and `valid_to` the next version's
    first, so the change is known to lie in (changed_after, valid_from].
    """
    versions: list[dict] = []
    links: list[dict] = []
    prints: dict[str, Fingerprint] = {}  # archives repeat the same text many times
    if not len(captures):
        return pd.DataFrame(versions), pd.DataFrame(links, columns=["capture_id", "site_id", "version_id"])
    df = captures.sort_values(["site_id", "captured_at", "capture_id"])
    for site_id, site in df.groupby("site_id", sort=True):
        rows = list(site.itertuples(index=False))
        fps = [prints.get(r.text or "") or prints.setdefault(r.text or "", fingerprint(r.text or "")) for r in rows]
        times = [r.captured_at for r in rows]
        current: dict | None = None
        last = Fingerprint("", frozenset())
        n = 0
        skip_to = 0  # captures before this index are substitute pages already passed over
        for i, (row, fp) in enumerate(zip(rows, fps, strict=True)):
            if i < skip_to:
                continue
            changed = current is None or not same_version(last, fp, row.captured_at)
            if changed and current is not None and (run := substitute_run(last, fps, times, i)):
                skip_to = i + run
                continue
            if changed:
                changed_after = current["last_captured_at"] if current else None
                if current:
                    current["valid_to"] = row.captured_at
                n += 1
                current = {
                    "version_id": f"{site_id}#{n:03d}",
                    "site_id": site_id,
                    "version_no": n,
                    "url": row.url,
                    "text_sha256": text_hash(row.text or ""),
                    "payload_sha256": row.payload_sha256,
                    "valid_from": row.captured_at,
                    "last_captured_at": row.captured_at,
                    "changed_after": changed_after,
                    "valid_to": None,
                    "n_captures": 0,
                    "stated_date": row.stated_date,
                    "word_count": row.word_count,
                    "is_current": False,
                    "language": row.language,
                }
                versions.append(current)
            last = fp
            current["last_captured_at"] = row.captured_at
            current["n_captures"] += 1
            links.append({"capture_id": row.capture_id, "site_id": site_id, "version_id": current["version_id"]})
        if current:
            current["is_current"] = True
    return pd.DataFrame(versions), pd.DataFrame(links, columns=["capture_id", "site_id", "version_id"])
