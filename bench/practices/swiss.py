"""Rewrite a German policy in Swiss German legal wording ("ss" for "ß", "Personendaten" for "personenbezogene
Daten", "bearbeiten" for "verarbeiten", "DSG" for "DSGVO"), so that the French/German benchmark can check that
the German cues read policies written under the Swiss data protection act (`eval_fr_de.py --swiss`).

The rewrite is mechanical, from a table (`data/swiss_german.toml`). The categories a policy addresses do not
change with its spelling or its law's words, so its labels stay; the GDPR marker does change (a Swiss policy
naming only the DSG does not name the GDPR), so the benchmark scores the categories only in this mode.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

STEMS: dict[str, str] = tomllib.loads((Path(__file__).parent / "data" / "swiss_german.toml").read_text("utf-8"))[
    "stems"
]
_STEM = re.compile("|".join(re.escape(s) for s in STEMS))


def swiss(text: str) -> str:
    """The German text in Swiss spelling and the Swiss act's words."""
    return _STEM.sub(lambda m: STEMS[m.group(0)], text.replace("ß", "ss"))
