"""The sample's authored text, read from ``data/sections.toml`` and ``data/sites.toml`` and checked on the way.

A bad data file fails with a :class:`SampleDataError` naming the file and the entry (section or site key, and
the field) instead of a ``KeyError`` deep inside the generator.
"""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipelines.sample.model import (
    EXTRAS,
    FEATURES,
    FIRST_DAY,
    FOREVER,
    PLACEHOLDERS,
    PRACTICE_LABELS,
    Para,
    Site,
    Slot,
    Translation,
)

_HOST_LABEL = re.compile(r"[a-z0-9][a-z0-9-]*")
_SECTION_KEYS = {"key", "headings", "level", "since", "until", "needs", "wording"}
_PARAGRAPH_KEYS = {"text", "practices", "items"}
_SITE_KEYS = {
    "id", "name", "company", "start", "features", "policy_paths", "nav", "tagline", "address", "date_phrase",
    "date_at_top", "smart_quotes", "extras", "translation",
}  # fmt: skip
_TRANSLATION_KEYS = {"language", "since", "sections", "title", "date_phrase", "months"}


class SampleDataError(ValueError):
    """A sample data file is missing, not TOML, or does not match its schema."""


def data_file(name: str) -> Path:
    """The path of one of the package's data files (found in a source tree and in an installed package)."""
    return Path(str(resources.files("pipelines.sample") / "data" / name))


@cache
def sections() -> tuple[Slot, ...]:
    """The packaged sections, in document order."""
    return load_sections(data_file("sections.toml"))


@cache
def sites() -> tuple[Site, ...]:
    """The packaged sites, in the order they are written to the archive."""
    return load_sites(data_file("sites.toml"))


def load_sections(path: Path) -> tuple[Slot, ...]:
    """Read and check a sections file (see the comment at its top for the format)."""
    raw = _read(path)
    _only(path, "the file", raw, {"section"})
    entries = _get(path, "the file", raw, "section", list)
    slots: list[Slot] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"section #{i}"
        _table(path, where, entry)
        key = _get(path, where, entry, "key", str)
        if not key or key in seen:
            raise SampleDataError(f"{path}: {where}: key {key!r} is empty or appears twice")
        seen.add(key)
        where = f"section {key!r}"
        _only(path, where, entry, _SECTION_KEYS)
        headings = _strings(path, where, entry, "headings", default=[])
        for h in headings:
            _placeholders(path, f"{where}: headings", h)
        level = _get(path, where, entry, "level", int)
        if not 0 <= level <= 6 or (level == 0) != (not headings):
            raise SampleDataError(f"{path}: {where}: level must be 1-6 for a section with headings, else 0")
        since = _get(path, where, entry, "since", date, default=FIRST_DAY)
        until = _get(path, where, entry, "until", date, default=FOREVER)
        if since > until:
            raise SampleDataError(f"{path}: {where}: since {since} is after until {until}")
        needs = _get(path, where, entry, "needs", str, default=None)
        if needs is not None and needs not in FEATURES:
            raise SampleDataError(f"{path}: {where}: needs {needs!r} is not a feature {FEATURES}")
        wordings = _get(path, where, entry, "wording", list)
        if not wordings:
            raise SampleDataError(f"{path}: {where}: needs at least one [[section.wording]]")
        alts = tuple(_wording(path, f"{where} wording #{w}", wording) for w, wording in enumerate(wordings, 1))
        # A section without a heading still draws its "heading", so the random stream matches the authored one.
        slots.append(Slot(key, tuple(headings) or (None,), level, since, until, alts, needs))
    if not slots:
        raise SampleDataError(f"{path}: no [[section]] entries")
    return tuple(slots)


def load_sites(path: Path) -> tuple[Site, ...]:
    """Read and check a sites file (see the comment at its top for the format)."""
    raw = _read(path)
    _only(path, "the file", raw, {"site"})
    out: list[Site] = []
    seen: set[str] = set()
    for i, entry in enumerate(_get(path, "the file", raw, "site", list), start=1):
        _table(path, f"site #{i}", entry)
        site_id = _get(path, f"site #{i}", entry, "id", str)
        # The id is also the host name (www.<id>.example) of every URL of the site.
        if not _HOST_LABEL.fullmatch(site_id) or site_id in seen:
            raise SampleDataError(f"{path}: site #{i}: id {site_id!r} is not a lowercase host name or appears twice")
        seen.add(site_id)
        where = f"site {site_id!r}"
        _only(path, where, entry, _SITE_KEYS)
        features = _strings(path, where, entry, "features", allowed=FEATURES)
        extras = _strings(path, where, entry, "extras", allowed=EXTRAS, default=[])
        paths = _strings(path, where, entry, "policy_paths")
        if not paths or not all(p.startswith("/") for p in paths):
            raise SampleDataError(f"{path}: {where}: policy_paths must be one or more paths starting with '/'")
        if "move" in extras and len(paths) < 2:
            raise SampleDataError(f"{path}: {where}: extras 'move' needs a second policy path to move to")
        nav = _strings(path, where, entry, "nav")
        date_phrase = _date_phrase(path, where, _get(path, where, entry, "date_phrase", str))
        translation = None
        if "translation" in entry:
            translation = _translation(path, f"{where} translation", _get(path, where, entry, "translation", dict))
        out.append(
            Site(
                site_id,
                _get(path, where, entry, "name", str),
                _get(path, where, entry, "company", str),
                _get(path, where, entry, "start", date),
                tuple(features),
                tuple(paths),
                tuple(nav),
                _get(path, where, entry, "tagline", str),
                _get(path, where, entry, "address", str),
                date_phrase,
                _get(path, where, entry, "date_at_top", bool, default=True),
                _get(path, where, entry, "smart_quotes", bool, default=False),
                tuple(extras),
                translation,
            )
        )
    if not out:
        raise SampleDataError(f"{path}: no [[site]] entries")
    return tuple(out)


def _date_phrase(path: Path, where: str, phrase: str) -> str:
    if [f for _, f, _, _ in string.Formatter().parse(phrase) if f is not None] != [""]:
        raise SampleDataError(f"{path}: {where}: date_phrase must hold the date as one {{}}")
    return phrase


def _translation(path: Path, where: str, entry: dict[str, Any]) -> Translation:
    """A site's `translation` table: the language, from when, its sections file (beside this one) and words."""
    _only(path, where, entry, _TRANSLATION_KEYS)
    months = _strings(path, where, entry, "months")
    if len(months) != 12:
        raise SampleDataError(f"{path}: {where}: months must name the twelve months")
    return Translation(
        _get(path, where, entry, "language", str),
        _get(path, where, entry, "since", date),
        load_sections(path.parent / _get(path, where, entry, "sections", str)),
        _get(path, where, entry, "title", str),
        _date_phrase(path, where, _get(path, where, entry, "date_phrase", str)),
        tuple(months),
    )


def _wording(path: Path, where: str, wording: Any) -> tuple[Para, ...]:
    _table(path, where, wording)
    _only(path, where, wording, {"paragraph"})
    paragraphs = _get(path, where, wording, "paragraph", list)
    if not paragraphs:
        raise SampleDataError(f"{path}: {where}: needs at least one [[section.wording.paragraph]]")
    out = []
    for n, para in enumerate(paragraphs, start=1):
        at = f"{where} paragraph #{n}"
        _table(path, at, para)
        _only(path, at, para, _PARAGRAPH_KEYS)
        text = _get(path, at, para, "text", str)
        practices = _strings(path, at, para, "practices", allowed=PRACTICE_LABELS)
        items = _strings(path, at, para, "items", default=[])
        if not text.strip() or not practices:
            raise SampleDataError(f"{path}: {at}: needs a text and at least one of the practices")
        for t in (text, *items):
            _placeholders(path, at, t)
        out.append(Para(text, tuple(practices), tuple(items)))
    return tuple(out)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SampleDataError(f"sample data file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SampleDataError(f"{path}: not valid TOML: {exc}") from exc


def _table(path: Path, where: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise SampleDataError(f"{path}: {where}: expected a table, got {type(value).__name__}")


def _only(path: Path, where: str, table: dict[str, Any], keys: set[str]) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise SampleDataError(f"{path}: {where}: unknown key(s) {unknown}; expected some of {sorted(keys)}")


_MISSING = object()
_KINDS = {str: "a string", int: "an integer", bool: "true or false", date: "a date (YYYY-MM-DD, unquoted)",
          list: "an array", dict: "a table"}  # fmt: skip


def _get(path: Path, where: str, table: dict[str, Any], key: str, kind: type, default: Any = _MISSING) -> Any:
    if key not in table:
        if default is _MISSING:
            raise SampleDataError(f"{path}: {where}: missing key {key!r}")
        return default
    value = table[key]
    # bool is an int and a datetime is a date to isinstance; neither is what the field means.
    ok = type(value) is kind if kind in (int, date) else isinstance(value, kind)
    if not ok:
        raise SampleDataError(f"{path}: {where}: {key} must be {_KINDS[kind]}, got {value!r}")
    return value


def _strings(
    path: Path,
    where: str,
    table: dict[str, Any],
    key: str,
    allowed: tuple[str, ...] | None = None,
    default: Any = _MISSING,
) -> list[str]:
    values = _get(path, where, table, key, list, default)
    for v in values:
        if not isinstance(v, str) or not v:
            raise SampleDataError(f"{path}: {where}: {key} must hold non-empty strings, got {v!r}")
        if allowed is not None and v not in allowed:
            raise SampleDataError(f"{path}: {where}: {key}: unknown value {v!r}; expected one of {list(allowed)}")
    return values


def _placeholders(path: Path, where: str, text: str) -> None:
    """Only the known {placeholders}, so filling a text for a site cannot fail later."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise SampleDataError(
            f"{path}: {where}: bad braces in {text!r} ({exc}); write a literal brace as {{{{"
        ) from exc
    unknown = [f for f in fields if f not in PLACEHOLDERS]
    if unknown:
        raise SampleDataError(f"{path}: {where}: unknown placeholder(s) {unknown}; known: {list(PLACEHOLDERS)}")
