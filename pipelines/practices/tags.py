"""What a tagger gives: a segment's tags, each with its score and the cue that explains it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Tag:
    category: str
    score: float
    cue: str


class Tagger(Protocol):
    """A tagger: its name and version key the tags it makes (a new version retags what it touches); `languages`
    (ISO 639-1) are those it reads: in another language its tags are unknown, not absent.

    `tag_batch` takes, optionally, each text's language (its document's detected language, None when unknown); a
    tagger may read a long passage in the language it is written in instead (the rules tagger does)."""

    name: str
    version: str
    languages: tuple[str, ...]

    def tag_batch(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Tag]]: ...
