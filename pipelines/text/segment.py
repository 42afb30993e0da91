"""Split policy text (markdown, HTML or plain text) into segments with stable ids."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from pipelines.text.decode import decode
from pipelines.text.markdown import html_to_markdown
from pipelines.text.normalize import normalize

# Bumped whenever segmentation output changes (pseudo-headings, merged short runs: 2); a stage that stores segments
# should key them by it so that a new segmenter re-segments stored documents.
SEGMENTER_VERSION = "2"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
# A paragraph that is only bold or underlined text is a heading written without heading markup ("**Cookies**").
_PSEUDO_HEADING = re.compile(r"^(?:\*\*|__)(?P<text>[^*_]{1,120}?)[:.]?(?:\*\*|__)[:.]?$")
PSEUDO_HEADING_LEVEL = 7  # below every markdown heading level
ANCESTOR_MIN_SIMILARITY = 80  # rapidfuzz ratio of normalized texts at which an edited segment keeps its ancestor
SHORT_LINE_WORDS = 8  # runs of paragraphs this short (address blocks, phone lines) are one segment


@dataclass(frozen=True)
class Segment:
    """One segment: the `segments` table row less the document key, and the `segment` contract."""

    segment_id: str
    position: int
    heading_path: list[str]
    kind: str
    text: str
    text_sha256: str

    def contract(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "text_sha256"}


def segment_id(heading_path: list[str], text: str, occurrence: int = 0) -> str:
    """Stable id from the normalized text and the heading it sits under (not its position).

    Only the innermost heading counts as the place: a renamed or moved parent section must not
    change the ids of the paragraphs inside it.
    """
    place = normalize(heading_path[-1]) if heading_path else ""
    key = f"{place}\n{normalize(text)}\n{occurrence}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _blocks(markdown: str) -> list[tuple[str, list[str], str]]:
    """(kind, heading_path, text) blocks in document order."""
    path: list[tuple[int, str]] = []
    blocks: list[tuple[str, list[str], str]] = []
    para: list[str] = []
    table: list[str] = []

    def flush() -> None:
        if para:
            text = " ".join(para)
            para.clear()
            if (m := _PSEUDO_HEADING.match(text)) and len(text.split()) <= 12:
                path[:] = [(lv, h) for lv, h in path if lv < PSEUDO_HEADING_LEVEL]
                path.append((PSEUDO_HEADING_LEVEL, m.group("text").strip()))
            else:
                blocks.append(("paragraph", [h for _, h in path], text))
        if table:
            blocks.append(("table", [h for _, h in path], "\n".join(table)))
            table.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if m := _HEADING.match(line):
            flush()
            level = len(m.group(1))
            path[:] = [(lv, h) for lv, h in path if lv < level] + [(level, m.group(2).strip("*_ "))]
            continue
        if _TABLE_ROW.match(line):
            if para:
                flush()
            table.append(line)
            continue
        if _LIST_ITEM.match(line):
            flush()
            blocks.append(("list_item", [h for _, h in path], line))
            continue
        para.append(line)
    flush()
    return _merge_short_runs(blocks)


def _is_short(block: tuple[str, list[str], str]) -> bool:
    """A paragraph whose last line is short and is neither a sentence nor a lead-in (a merged run is judged by its
    last line)."""
    kind, _, text = block
    last = text.rsplit("\n", 1)[-1].rstrip()
    return kind == "paragraph" and len(last.split()) <= SHORT_LINE_WORDS and last[-1:] not in {":", ".", "!", "?"}


def _merge_short_runs(blocks: list[tuple[str, list[str], str]]) -> list[tuple[str, list[str], str]]:
    """Consecutive short paragraphs under one heading (an address, a signature) become one paragraph.

    Annotators read such runs as one unit; alone, each line is too small to carry a practice.
    """
    out: list[tuple[str, list[str], str]] = []
    for block in blocks:
        if out and _is_short(block) and _is_short(out[-1]) and out[-1][1] == block[1]:
            out[-1] = ("paragraph", block[1], f"{out[-1][2]}\n{block[2]}")
        else:
            out.append(block)
    return out


def segment_markdown(markdown: str) -> list[Segment]:
    """Segments of markdown text: paragraphs, list items (with their lead-in), tables, by heading path.

    A list item keeps the sentence that introduces its list (the paragraph ending in ':' before it),
    because annotators read items in that context ("We collect: - your email").
    """
    out: list[Segment] = []
    seen: Counter[str] = Counter()
    lead_in = ""
    for kind, path, text in _blocks(markdown):
        if kind == "paragraph":
            lead_in = text if text.rstrip().endswith(":") else ""
        elif kind == "list_item" and lead_in:
            text = f"{lead_in}\n{text}"
        base = segment_id(path, text)
        sid = segment_id(path, text, seen[base]) if seen[base] else base
        seen[base] += 1
        out.append(Segment(sid, len(out), path, kind, text, hashlib.sha256(normalize(text).encode()).hexdigest()))
    return out


def segment_document(data: bytes | str, content_type: str | None = None) -> list[Segment]:
    """Segments of HTML, markdown or plain text given as bytes or str."""
    text = decode(data, content_type) if isinstance(data, bytes) else data
    head = text[:2000].lower()
    if "<html" in head or "<body" in head or "<p" in head or "<div" in head:
        text = html_to_markdown(text)
    return segment_markdown(text)


def ancestors(
    old: list[Segment], new: list[Segment], min_similarity: float = ANCESTOR_MIN_SIMILARITY
) -> dict[str, str]:
    """Lineage between two versions: {new segment_id: old segment_id} for lightly edited segments.

    Segments whose id survives need no link. Each remaining new segment is paired with the most similar
    remaining old one (normalized text, rapidfuzz ratio), best pairs first, each used once, when the
    similarity reaches `min_similarity`. A segment that moved without an edit is linked too (similarity 100).
    """
    kept = {s.segment_id for s in old} & {s.segment_id for s in new}
    olds = [s for s in old if s.segment_id not in kept]
    news = [s for s in new if s.segment_id not in kept]
    if not olds or not news:
        return {}
    scores = cdist(
        [normalize(s.text) for s in news],
        [normalize(s.text) for s in olds],
        scorer=fuzz.ratio,
        score_cutoff=min_similarity,
        workers=1,
    )
    links: dict[str, str] = {}
    used_old: set[int] = set()
    for flat in np.argsort(-scores, axis=None, kind="stable"):
        i, j = divmod(int(flat), len(olds))
        if scores[i, j] < min_similarity:
            break
        if news[i].segment_id not in links and j not in used_old:
            links[news[i].segment_id] = olds[j].segment_id
            used_old.add(j)
    return links
