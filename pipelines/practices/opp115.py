"""Reader of the OPP-115 folder format: policies, their `|||` segments and majority-vote gold labels.

Layout (see the corpus README): `sanitized_policies/<uid>_<domain>.html` holds the text the annotators saw,
segments separated by `|||`; `annotations/<uid>_<domain>.csv` has one row per annotation, no header:
annotation_id, batch_id, annotator_id, policy_uid, segment_id, category, attributes, date, policy_url.
Files are matched by the numeric uid before the first underscore. A category is gold for a segment when at
least `min_votes` distinct annotators chose it (2 of 3: the majority-vote setting of the literature).
"""

from __future__ import annotations

import csv
import html
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    uid: int
    index: int
    text: str
    labels: frozenset[str]


@dataclass(frozen=True)
class Policy:
    uid: int
    name: str
    segments: tuple[Segment, ...]


def split_of(uid: int) -> str:
    """The fixed protocol: policies whose uid is divisible by 4 are test, all others dev."""
    return "test" if uid % 4 == 0 else "dev"


def _uid(path: Path) -> int | None:
    head = path.name.split("_", 1)[0]
    return int(head) if head.isdigit() else None


def clean_segment(raw: str) -> str:
    """Plain text of one sanitized segment: markup dropped, entities decoded, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", raw))).strip()


def read_votes(csv_path: Path) -> dict[int, dict[str, set[str]]]:
    """segment index -> category -> the distinct annotators who chose it."""
    votes: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    # Attribute JSON cells can be long; the default field limit is too small for some rows.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) < 6 or not row[4].strip().lstrip("-").isdigit():
                continue  # a header or a broken row: nothing to count
            votes[int(row[4])][row[5].strip()].add(row[2].strip())
    return votes


def read_policy(sanitized: Path, annotations: Path | None, min_votes: int = 2) -> Policy:
    """One policy: every `|||` segment (also unlabelled ones) with its majority-vote labels."""
    uid = _uid(sanitized)
    if uid is None:
        raise ValueError(f"{sanitized.name}: no numeric uid before the first underscore")
    parts = sanitized.read_text(encoding="utf-8", errors="replace").split("|||")
    votes = read_votes(annotations) if annotations is not None else {}
    segments = []
    for i, raw in enumerate(parts):
        text = clean_segment(raw)
        if not text:
            continue
        chosen = votes.get(i, {})
        labels = frozenset(c for c, who in chosen.items() if len(who) >= min_votes)
        segments.append(Segment(uid, i, text, labels))
    return Policy(uid, sanitized.stem, tuple(segments))


def read_corpus(folder: Path | str, min_votes: int = 2) -> list[Policy]:
    """Every policy of an OPP-115-format folder, sorted by uid; policies without annotations are skipped."""
    root = Path(folder)
    san_dir, ann_dir = root / "sanitized_policies", root / "annotations"
    if not san_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected sanitized_policies/ and annotations/ folders")
    annotations = {u: p for p in ann_dir.glob("*.csv") if (u := _uid(p)) is not None}
    policies = []
    for path in sorted(san_dir.glob("*.htm*")):
        uid = _uid(path)
        if uid is not None and uid in annotations:
            policies.append(read_policy(path, annotations[uid], min_votes))
    return sorted(policies, key=lambda p: p.uid)


def segments_of(policies: Iterable[Policy], split: str | None = None) -> list[Segment]:
    """All segments of these policies, optionally only those of the `dev` or `test` split."""
    return [s for p in policies if split is None or split_of(p.uid) == split for s in p.segments]
