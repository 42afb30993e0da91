"""Practice tagging: the OPP-115 categories and modern regulatory markers, each with a score and a cue.

The default tagger is a rule set written in this project (no third-party data inside). Each rule is a
regular expression whose first match is reported as the cue, so every tag can be explained.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

OPP115_CATEGORIES: tuple[str, ...] = (
    "First Party Collection/Use",
    "Third Party Sharing/Collection",
    "User Choice/Control",
    "User Access, Edit and Deletion",
    "Data Retention",
    "Data Security",
    "Policy Change",
    "Do Not Track",
    "International and Specific Audiences",
    "Other",
)
MARKERS: tuple[str, ...] = (
    "cookies",
    "children",
    "california",
    "gdpr",
    "safe_harbor",
    "privacy_shield",
    "data_privacy_framework",
    "self_regulatory",
    "do_not_track",
)

RULES_VERSION = "0.1.0"


@dataclass(frozen=True)
class Tag:
    category: str
    score: float
    cue: str


class Tagger(Protocol):
    name: str
    version: str

    def tag_batch(self, texts: Sequence[str]) -> list[list[Tag]]: ...


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


# (category, score, pattern). Scores reflect how specific the cue is, not a trained probability.
RULES: list[tuple[str, float, re.Pattern[str]]] = [
    (
        "First Party Collection/Use",
        0.8,
        _rx(
            r"\bwe (?:may |will |automatically )?(?:collect|gather|obtain|receive|record|use|process)\b",
            r"\b(?:information|data) (?:we|that we) (?:collect|gather|obtain)",
            r"\bwe use (?:your|this|the|such) (?:personal )?(?:information|data)",
            r"\b(?:collect|collection of) (?:your )?(?:personal|personally)",
        ),
    ),
    (
        "Third Party Sharing/Collection",
        0.8,
        _rx(
            r"\b(?:share|disclose|sell|rent|transfer|provide)\w* (?:\w+ ){0,6}(?:with|to) (?:third[- ]part|"
            r"our (?:partners|affiliates|service providers)|advertis|other compan)",
            r"\bthird[- ]part(?:y|ies) (?:may )?(?:collect|use|place|set)",
            r"\bservice providers?\b",
            r"\badvertising (?:networks?|partners)\b",
            r"\bwe do not (?:sell|share|rent)",
        ),
    ),
    (
        "User Choice/Control",
        0.75,
        _rx(
            r"\bopt[- ]?(?:out|in)\b",
            r"\bunsubscribe\b",
            r"\byour choices?\b",
            r"\bwithdraw (?:your )?consent",
            r"\b(?:disable|block|reject|refuse) (?:\w+ ){0,2}cookies",
            r"\bpreferences\b",
        ),
    ),
    (
        "User Access, Edit and Deletion",
        0.8,
        _rx(
            r"\b(?:access|review|update|correct|edit|delete|erase|rectify)\w* (?:\w+ ){0,4}(?:your )?"
            r"(?:personal )?(?:information|data|account|profile)",
            r"\bright to (?:access|erasure|rectification|deletion|be forgotten)",
        ),
    ),
    (
        "Data Retention",
        0.85,
        _rx(
            r"\bretain\w*\b",
            r"\bretention\b",
            r"\b(?:keep|store) (?:\w+ ){0,4}(?:for|as long as|until)\b",
            r"\bno longer (?:than )?(?:necessary|needed)",
        ),
    ),
    (
        "Data Security",
        0.85,
        _rx(
            r"\bsecur(?:e|ity|ed)\b",
            r"\bencrypt",
            r"\b(?:ssl|tls)\b",
            r"\bunauthori[sz]ed access",
            r"\bsafeguards?\b",
            r"\bfirewalls?\b",
        ),
    ),
    (
        "Policy Change",
        0.85,
        _rx(
            r"\b(?:change|update|modify|revise|amend)\w* (?:\w+ ){0,4}(?:this|our) (?:privacy )?(?:policy|"
            r"statement|notice)",
            r"\bchanges to (?:this|our) (?:privacy )?(?:policy|statement|notice)",
            r"\bmaterial changes?\b",
        ),
    ),
    ("Do Not Track", 0.95, _rx(r"\bdo[- ]not[- ]track\b", r"\bDNT\b")),
    (
        "International and Specific Audiences",
        0.8,
        _rx(
            r"\bchildren\b",
            r"\bunder (?:the age of )?1[3-8]\b",
            r"\bCOPPA\b",
            r"\bminors?\b",
            r"\b(?:california|european|eea|eu|uk|canad\w+|nevada) (?:residents?|users|visitors|law)",
            r"\boutside (?:of )?(?:the united states|your country)",
        ),
    ),
    (
        "Other",
        0.5,
        _rx(
            r"\bcontact us\b",
            r"\bquestions (?:about|regarding)",
            r"\b(?:this|our) privacy (?:policy|statement) "
            r"(?:applies|describes|explains)",
            r"\blast (?:updated|modified|revised)\b",
            r"\beffective date\b",
        ),
    ),
    (
        "cookies",
        0.9,
        _rx(
            r"\bcookies?\b(?=.{0,80}\b(?:browser|track|collect|store|device|website|site|analytic|advertis|"
            r"session|persistent|third))",
            r"\bweb beacons?\b",
            r"\bpixel tags?\b",
            r"\btracking technolog",
            r"\blocal storage\b",
            r"\b(?:analytics|advertising) cookies",
            r"\bgoogle analytics\b",
        ),
    ),
    (
        "children",
        0.9,
        _rx(
            r"\bchildren(?:'s)? (?:under|privacy|personal)",
            r"\bunder (?:the age of )?1[3-6]\b",
            r"\bCOPPA\b",
            r"\bChildren's Online Privacy Protection",
        ),
    ),
    (
        "california",
        0.9,
        _rx(
            r"\bCCPA\b",
            r"\bCPRA\b",
            r"\bCalifornia Consumer Privacy Act",
            r"\bCalifornia Privacy Rights Act",
            r"\bCalOPPA\b",
            r"\bShine the Light\b",
            r"\bCivil Code (?:section |§ ?)1798",
            r"\bdo not sell (?:or share )?my personal information",
            r"\bCalifornia residents?\b",
        ),
    ),
    (
        "gdpr",
        0.9,
        _rx(
            r"\bGDPR\b",
            r"\bGeneral Data Protection Regulation",
            r"\blegal bas[ie]s\b",
            r"\blegitimate interests?\b",
            r"\bdata protection officer\b",
            r"\bdata subjects?\b",
            r"\bsupervisory authority\b",
            r"\bright to (?:data )?portability",
            r"\bstandard contractual clauses",
        ),
    ),
    (
        "safe_harbor",
        0.95,
        _rx(r"\bsafe harbou?r\b(?=.{0,120}(?:U\.?S\.?|EU|Swiss|Commerce|framework|privacy))"),
    ),
    ("privacy_shield", 0.95, _rx(r"\bprivacy shield\b")),
    ("data_privacy_framework", 0.95, _rx(r"\bdata privacy framework\b", r"\bDPF\b")),
    (
        "self_regulatory",
        0.9,
        _rx(
            r"\bTRUSTe\b",
            r"\bTrustArc\b",
            r"\bBBBOnLine\b",
            r"\bNetwork Advertising Initiative\b",
            r"\bNAI\b",
            r"\bDigital Advertising Alliance\b",
            r"\bDAA\b",
            r"\bAdChoices\b",
            r"\baboutads\.info\b",
        ),
    ),
    ("do_not_track", 0.95, _rx(r"\bdo[- ]not[- ]track\b", r"\bDNT\b")),
]


def tag_text(text: str) -> list[Tag]:
    """Tags of one segment: every rule that fires, with its score and the matched phrase."""
    tags = []
    for category, score, pattern in RULES:
        if m := pattern.search(text):
            tags.append(Tag(category, score, m.group(0)[:80]))
    return tags


class RulesTagger:
    """The default tagger: the project's own rules."""

    name = "rules"
    version = RULES_VERSION

    def tag_batch(self, texts: Sequence[str]) -> list[list[Tag]]:
        return [tag_text(t) for t in texts]


def load_tagger(model_path: Path | str | None = None) -> Tagger:
    """The rules tagger, or a trained model saved by `policy-history train-tagger`."""
    if model_path is None:
        return RulesTagger()
    from pipelines.train import load_model  # scikit-learn is only needed for trained models

    return load_model(Path(model_path))
