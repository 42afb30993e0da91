"""The practices an analyst reads: one id, one display name and one kind per practice, and the tagger labels
that mean it, read from `data/practices.toml` (its header documents the format) and checked on load.

Taggers speak in labels (OPP-115 category names, rules markers); tables and marts speak in practice ids, so a
practice two labels name ("Do Not Track" and do_not_track) is counted once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipelines.practices.vocabulary import VocabularyError

CATALOG_FILE = Path(__file__).parent / "data" / "practices.toml"
KINDS = ("opp115_category", "regulation", "programme", "technology", "audience")
_KEYS = {"id", "name", "kind", "labels"}
_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Practice:
    id: str
    name: str
    kind: str
    labels: tuple[str, ...]


def load_catalog(path: Path = CATALOG_FILE) -> tuple[Practice, ...]:
    """Read and check a practices file: ids snake_case and unique, a known kind, each label in one practice."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML: {exc}") from exc
    if set(data) - {"practice"}:
        raise VocabularyError(f"{path}: unknown key(s) {', '.join(sorted(set(data) - {'practice'}))}")
    practices: list[Practice] = []
    owner: dict[str, str] = {}
    for i, entry in enumerate(data.get("practice", [])):
        where = f"practice #{i + 1} ({entry.get('id', '?')})"
        if set(entry) != _KEYS:
            raise VocabularyError(f"{path}: {where}: needs exactly the keys {', '.join(sorted(_KEYS))}")
        pid, name, kind, labels = entry["id"], entry["name"], entry["kind"], entry["labels"]
        if not isinstance(pid, str) or not _ID.fullmatch(pid) or any(p.id == pid for p in practices):
            raise VocabularyError(f"{path}: {where}: `id` must be a new snake_case name")
        if not isinstance(name, str) or not name.strip():
            raise VocabularyError(f"{path}: {where}: `name` must be a non-empty string")
        if kind not in KINDS:
            raise VocabularyError(f"{path}: {where}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels):
            raise VocabularyError(f"{path}: {where}: `labels` must be a non-empty list of strings")
        for label in labels:
            if label in owner:
                raise VocabularyError(f"{path}: {where}: label {label!r} already means {owner[label]!r}")
            owner[label] = pid
        practices.append(Practice(pid, name, kind, tuple(labels)))
    return tuple(practices)


CATALOG = load_catalog()
PRACTICE_OF: dict[str, str] = {label: p.id for p in CATALOG for label in p.labels}


def practice_of(label: str) -> str:
    """The practice id a tagger label means; a label the catalog does not know stands for itself (a model
    trained on other labels still shows its tags, under their own names)."""
    return PRACTICE_OF.get(label, label)


def catalog_rows() -> list[dict[str, object]]:
    """The `practices` table's rows: one per practice."""
    return [{"practice_id": p.id, "name": p.name, "kind": p.kind, "labels": list(p.labels)} for p in CATALOG]
