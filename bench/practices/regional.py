"""Rewrite a German policy in Swiss wording ("ss" for "ß", "Personendaten", "bearbeiten", "DSG") and a French one
in Quebec's ("renseignements personnels", "témoins", "courriel", "Loi 25"), so that the French/German benchmark
can check that the cues read policies written under the Swiss and Quebec acts (`eval_fr_de.py --regional`).

The rewrite is mechanical, from a table (`data/regional_wording.toml`). The categories a policy addresses do not
change with its region's words, so its labels stay; the GDPR marker does change (a policy naming only the DSG or
Loi 25 does not name the GDPR), so the benchmark scores the categories only in this mode.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

TABLE: dict[str, dict[str, str]] = tomllib.loads(
    (Path(__file__).parent / "data" / "regional_wording.toml").read_text(encoding="utf-8")
)


def regional(text: str, language: str) -> str:
    """The text in its language's regional wording (German: Swiss; French: Quebec); other languages unchanged.
    The table's strings are replaced one after the other, so a longer one ("vos données personnelles") is
    rewritten before a shorter one inside it ("vos données")."""
    for own, regional_word in TABLE.get(language, {}).items():
        text = text.replace(own, regional_word)
    return text.replace("ß", "ss") if language == "de" else text
