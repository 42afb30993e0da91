"""Is this page a privacy policy? A transparent, calibrated-by-construction score from text features."""

from __future__ import annotations

import math
import re

_POLICY_TITLE = re.compile(r"\bprivacy\b|\bdata protection\b|\bdatenschutz|\bconfidentialit", re.I)
_PRIVACY_TERMS = re.compile(
    r"personal (?:information|data)|personally identifiable|\bcookies?\b|third[- ]part(?:y|ies)|"
    r"\bopt[- ]?out\b|\bcollect(?:s|ed|ion)?\b|\bshare\b|\bdisclos|\bretain|\bsecurity\b|"
    r"\bip address|\bchildren\b|\bconsent\b|\bprocess(?:ing)?\b",
    re.I,
)
_TERMS_OF_SERVICE = re.compile(
    r"terms of (?:service|use)|\bwarrant(?:y|ies)\b|\bindemnif|\bgoverning law\b|\barbitration\b|"
    r"limitation of liability",
    re.I,
)
_ERROR_PAGE = re.compile(
    r"page not found|\b404\b|no longer available|does not exist|has been (?:moved|removed)|"
    r"domain (?:is )?for sale|buy this domain|wayback machine|access denied|forbidden",
    re.I,
)


def policy_score(text: str, title: str = "") -> float:
    """0-1 score that a page with this clean text and title is a privacy policy."""
    words = max(len(text.split()), 1)
    privacy_hits = len(_PRIVACY_TERMS.findall(text))
    tos_hits = len(_TERMS_OF_SERVICE.findall(text))
    density = privacy_hits / words * 100  # hits per 100 words
    heading_text = title + "\n" + "\n".join(line for line in text.splitlines()[:12] if line.startswith("#"))
    z = -4.0
    z += 2.0 * bool(_POLICY_TITLE.search(heading_text)) + 1.0 * bool(_POLICY_TITLE.search(text[:2000]))
    z += min(density, 6.0) * 0.8
    z += min(math.log1p(words) - 4.5, 2.0)  # very short pages are rarely policies
    z -= 0.5 * max(tos_hits - privacy_hits / 4, 0)
    z -= 3.0 * bool(_ERROR_PAGE.search(text[:500] + title)) * (words < 300)
    return 1 / (1 + math.exp(-z))


POLICY_THRESHOLD = 0.5
