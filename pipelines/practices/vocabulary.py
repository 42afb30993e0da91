"""The rules tagger's vocabulary: the categories it tags and the cues that name each, read from
`data/lexicon.toml` (its header documents the format) and checked on load.

Adding a term or a language is an edit of that file: a bad entry fails with the file, the category and the
cue it is in, never with a pattern that silently matches nothing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.toml"
KINDS = ("practice", "marker")
LANGUAGES = ("en", "fr", "de")  # the languages cues are written in (ISO 639-1); a cue without `lang` is English
_TEMPLATE = re.compile(r"<<(\w+)(?: (\d+))?>>")
_CATEGORY_KEYS = {"name", "kind", "threshold", "cue", "cues_of"}
_CUE_KEYS = {"weight", "pattern", "triggers"}
_OPTIONAL_CUE_KEYS = {"lang", "demotes", "aside", "stands"}


class VocabularyError(ValueError):
    """A vocabulary file that does not follow its format; the message names the file and the entry."""


@dataclass(frozen=True)
class Cue:
    """One cue: how specific it is, its expanded pattern, the trigger words that let it run, and the languages
    of the texts it reads."""

    weight: float
    pattern: str
    triggers: str
    langs: tuple[str, ...] = ("en",)
    demotes: tuple[str, ...] = ()  # practices an English segment this cue matches is not about (see rules.py)
    aside: bool = False  # a remark beside a practice: alone, it does not keep its category next to one
    stands: bool = False  # a statement kept beside a stronger practice (the decoding's margin does not drop it)


@dataclass(frozen=True)
class Category:
    name: str
    kind: str  # practice (an OPP-115 category) | marker
    threshold: float | None  # practices: the score at which the category is tagged
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The categories in file order: the OPP-115 practices first, then the markers."""

    categories: tuple[Category, ...]

    @property
    def practices(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories if c.kind == "practice")

    @property
    def markers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories if c.kind == "marker")

    def cues_in(self, lang: str) -> dict[str, list[Cue]]:
        """Per category (file order), the cues that read texts in `lang`."""
        return {c.name: [q for q in c.cues if lang in q.langs] for c in self.categories}


def load_vocabulary(path: Path = LEXICON_FILE) -> Vocabulary:
    """Read and check a vocabulary file (see `data/lexicon.toml` for the format)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML: {exc}") from exc
    _keys(path, "the file", data, {"templates", "category"})
    templates = data.get("templates", {})
    for name, value in templates.items():
        templates[name] = _joined(path, f"template {name}", value)
    by_name: dict[str, Category] = {}
    for i, entry in enumerate(data.get("category", [])):
        where = f"category #{i + 1} ({entry.get('name', '?')})"
        _keys(path, where, entry, _CATEGORY_KEYS)
        name, kind = entry.get("name"), entry.get("kind")
        if not isinstance(name, str) or not name or name in by_name:
            raise VocabularyError(f"{path}: {where}: `name` must be a new, non-empty string")
        if kind not in KINDS:
            raise VocabularyError(f"{path}: {where}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
        threshold = entry.get("threshold")
        if (kind == "practice") != isinstance(threshold, float) or (threshold is not None and not 0 < threshold < 1):
            raise VocabularyError(f"{path}: {where}: a practice has a `threshold` in (0, 1), a marker none")
        if "cues_of" in entry:
            if entry["cues_of"] not in by_name or "cue" in entry:
                raise VocabularyError(f"{path}: {where}: `cues_of` names a category above, and replaces `cue`")
            cues = by_name[entry["cues_of"]].cues
        else:
            cues = tuple(_cue(path, f"{where} cue #{j + 1}", c, templates) for j, c in enumerate(entry.get("cue", [])))
        if not any("en" in q.langs for q in cues):
            raise VocabularyError(f"{path}: {where}: no English cues")
        by_name[name] = Category(name, kind, threshold, cues)
    categories = tuple(by_name.values())
    practices = {c.name for c in categories if c.kind == "practice"}
    for c in categories:
        for q in c.cues:
            if not set(q.demotes) <= practices - {c.name}:
                raise VocabularyError(f"{path}: category {c.name}: `demotes` names other practices only")
    if [c.kind for c in categories] != sorted((c.kind for c in categories), key=KINDS.index):
        raise VocabularyError(f"{path}: the practices come first, then the markers")
    return Vocabulary(categories)


def _keys(path: Path, where: str, entry: object, allowed: set[str]) -> None:
    if not isinstance(entry, dict):
        raise VocabularyError(f"{path}: {where}: expected a table")
    if unknown := set(entry) - allowed:
        raise VocabularyError(f"{path}: {where}: unknown key(s) {', '.join(sorted(unknown))}")


def _joined(path: Path, where: str, value: object) -> str:
    """A string, or a list of strings to concatenate (long patterns split over lines)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "".join(value)
    raise VocabularyError(f"{path}: {where}: expected a string or a list of strings")


def _expand(path: Path, where: str, pattern: str, templates: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        name, n = m.group(1), m.group(2)
        if name not in templates or (n is None) != ("{0,N}" not in templates[name]):
            raise VocabularyError(f"{path}: {where}: unknown template or wrong use: {m.group(0)}")
        return templates[name].replace("{0,N}", f"{{0,{n}}}") if n else templates[name]

    return _TEMPLATE.sub(one, pattern)


def _cue(path: Path, where: str, entry: object, templates: dict[str, str]) -> Cue:
    _keys(path, where, entry, _CUE_KEYS | _OPTIONAL_CUE_KEYS)
    assert isinstance(entry, dict)
    if set(entry) - _OPTIONAL_CUE_KEYS != _CUE_KEYS:
        raise VocabularyError(f"{path}: {where}: a cue has weight, pattern and triggers")
    weight = entry["weight"]
    if not isinstance(weight, float) or not 0 < weight <= 1:
        raise VocabularyError(f"{path}: {where}: `weight` must be a number in (0, 1], not {weight!r}")
    pattern = _expand(path, where, _joined(path, where, entry["pattern"]), templates)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise VocabularyError(f"{path}: {where}: pattern does not compile: {exc}") from exc
    triggers = _joined(path, where, entry["triggers"])
    if not all(part.split() for part in triggers.split(" & ")):
        raise VocabularyError(f"{path}: {where}: every trigger group needs a word")
    langs = entry.get("lang", "en")
    langs = (langs,) if isinstance(langs, str) else langs
    if not isinstance(langs, list | tuple) or not langs or not set(langs) <= set(LANGUAGES):
        raise VocabularyError(f"{path}: {where}: `lang` must be one of {', '.join(LANGUAGES)} or a list of them")
    demotes = entry.get("demotes", [])
    if not isinstance(demotes, list) or not all(isinstance(d, str) for d in demotes):
        raise VocabularyError(f"{path}: {where}: `demotes` must be a list of practice names")
    for flag in ("aside", "stands"):
        if not isinstance(entry.get(flag, False), bool):
            raise VocabularyError(f"{path}: {where}: `{flag}` must be true or false")
    aside, stands = entry.get("aside", False), entry.get("stands", False)
    return Cue(weight, pattern, triggers, tuple(langs), tuple(demotes), aside, stands)


VOCABULARY = load_vocabulary()
OPP115_CATEGORIES: tuple[str, ...] = VOCABULARY.practices
MARKERS: tuple[str, ...] = VOCABULARY.markers
# The shapes training reads: per category, its English (weight, pattern) cues and their triggers.
LEXICON: dict[str, list[tuple[float, str]]] = {
    name: [(q.weight, q.pattern) for q in cues] for name, cues in VOCABULARY.cues_in("en").items()
}
TRIGGERS: dict[str, list[str]] = {name: [q.triggers for q in cues] for name, cues in VOCABULARY.cues_in("en").items()}
THRESHOLDS: dict[str, float] = {c.name: c.threshold for c in VOCABULARY.categories if c.threshold is not None}
