"""What a page calls itself: whether its own name (its title and first heading) says it is another legal page
than a privacy policy, in English, French or German.

A terms page, a FAQ or an imprint often has a privacy section and shares the privacy vocabulary, so a model over
that vocabulary can read it as a policy; what the page calls itself does not change with its sections. The names
are data (`data/page_names.toml`); `pagetype` uses `named_otherwise` as a veto on the model's `privacy_policy`.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from pipelines.text.pagecues import first_headings

NAMES_FILE = Path(__file__).parent / "data" / "page_names.toml"


@cache
def _names() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]]]:
    with NAMES_FILE.open("rb") as fh:
        raw = tomllib.load(fh)
    return _any_of(raw["privacy"]), {kind: _any_of(patterns) for kind, patterns in raw["other"].items()}


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def named_otherwise(text: str, title: str = "") -> str | None:
    """The other kind of legal page (`terms`, `imprint`, `faq`, `rules`, `cookies`, `other`) the page names itself
    as in its title or first heading, or None. A page that names privacy in its title or in one of its first two
    headings is never named otherwise: "Terms & Privacy", "Impressum und Datenschutz", or an imprint heading
    followed by the policy's own heading are left to the model."""
    privacy, others = _names()
    first = first_headings(text, 2)
    if privacy.search(title) or any(privacy.search(h) for h in first):
        return None
    name = title + "\n" + "".join(first[:1])
    for kind, pattern in others.items():
        if pattern.search(name):
            return kind
    return None
