"""How much of a markdown text is running prose, and how much of a page's structure a reading kept.

These are the measures by which the reading safeguard (`markdown.main_markdown`) and the section restore
(`restore`) judge one reading of a page against another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;)\"'”’]\s*$")


def prose_count(line: str) -> int:
    """Words of a markdown line or paragraph when it reads as a sentence (8+ words, sentence end), else 0."""
    line = line.strip().strip("|").rstrip("*_ ")
    words = len(line.split())
    return words if words >= 8 and _SENTENCE_END.search(line) else 0


def comparable(text: str) -> str:
    """Text reduced for finding one text inside another: lower case, single spaces, no markdown emphasis."""
    return " ".join(text.replace("*", "").lower().split())


def prose_words(markdown: str) -> int:
    """Words in sentence-like paragraphs (8+ words ending like a sentence): text, not menus or link lists."""
    return sum(prose_count(para) for para in _PARAGRAPHS.split(markdown))


_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=[#|-] )")


def kept_share(marks: list[str], markdown: str) -> float:
    """Share of these heading / list-item texts found in the markdown (1.0 when there are none)."""
    return kept_in(marks, comparable(markdown))


def kept_in(marks: list[str], normed: str) -> float:
    return sum(comparable(m) in normed for m in marks) / len(marks) if marks else 1.0


@dataclass(frozen=True)
class Stats:
    words: int
    prose: int
    table: int  # words in markdown table rows: a policy laid out in a table cell loses its paragraphs

    @property
    def density(self) -> float:
        return self.prose / max(self.words, 1)


def stats_of(markdown: str) -> Stats:
    words = prose = table = 0
    for para in _PARAGRAPHS.split(markdown):
        n = len(para.split())
        words += n
        prose += prose_count(para)
        table += n if para.lstrip().startswith("|") else 0
    return Stats(words, prose, table)
