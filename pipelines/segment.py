"""Split policy text (markdown, HTML or plain text) into segments with stable ids."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass

from pipelines.extract import decode, html_to_markdown, normalize

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


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
            blocks.append(("paragraph", [h for _, h in path], " ".join(para)))
            para.clear()
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
            path = [(lv, h) for lv, h in path if lv < level] + [(level, m.group(2).strip("*_ "))]
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
    return blocks


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
