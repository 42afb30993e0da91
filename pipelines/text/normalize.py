"""The text identity versions and changes compare: a text less its markup, case and spacing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_MARKUP = re.compile(r"[#*_>`|\[\]()-]+")


def normalize(text: str) -> str:
    """Text reduced for comparison: NFKC, lowercase, no markdown marks, single spaces."""
    t = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_MARKUP.sub(" ", t).split())


def text_hash(text: str) -> str:
    """sha256 of the normalized text: equal for texts that differ only in markup, case or spacing."""
    return hashlib.sha256(normalize(text).encode()).hexdigest()
