"""Is this page a privacy policy? A transparent logistic score over a few readable text features.

The features, each bounded so that no single one (a repeated cookie banner, a long article) decides alone:
- concepts: how many distinct privacy-policy topics the text covers (collection, personal data, sharing,
  cookies, choices/rights, security, retention, children, policy changes, contact, laws, device data, use);
  a policy covers many, a cookie wall or a news story about privacy only a few;
- title: the title or first heading names privacy / data protection (several languages);
- self-reference: "this privacy policy", "this statement" versus "these terms", "this agreement";
- policy title: the title or first heading *is* a policy's name ("Privacy Policy", "Privacy Notice", ...);
- length: policies are long; pages of a few dozen words are walls, errors or menus, unless the page is named
  a privacy policy and covers several topics (small sites publish policies of a few sentences);
- page-type cues in the title and opening text: sign-in, not found, for sale, Wayback Machine messages.
The weights are round numbers set by hand; the output is 1 / (1 + e^-z).

Speed: the patterns run over the whole text of every document, so they run on RE2 (a linear-time automaton,
one pass for all concepts) rather than on Python's backtracking `re`, which costs ~30 ms a policy here.
RE2's `\b` is ASCII-only, which these patterns (cues starting with ASCII letters) do not notice.
"""

from __future__ import annotations

import math
import re

import re2

_I = re.I
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.case_sensitive = False
_RE2_OPTIONS.never_capture = True

CONCEPT_PATTERNS: dict[str, str] = {
    "collect": r"\bcollect|\bgather|recueill|\berhebe|\berhoben|recopil|raccogli|verzamel|coletamos",
    "personal": r"personal(?:ly)? (?:information|data|identifiable)|donn[ée]es (?:à caractère )?personnelles|"
    r"personenbezogen|datos personales|dati personali|persoonsgegevens|dados pessoais",
    "share": r"third[- ]part|\bshare|\bdisclos|\btiers\b|partag|\bDritte|terceros|\bterzi\b|derden",
    "cookies": r"\bcookie|web beacon|pixel tag|traceur",
    "choices": r"opt[- ]?out|unsubscribe|right to (?:access|delet|eras|object|rectif)|access,? (?:correct|update)|"
    r"droit d.(?:accès|opposition)|Auskunft|derecho de|diritto di|rectifi|withdraw (?:your )?consent",
    "security": r"\bsecur|sécurité|Sicherheit|seguridad|sicurezza|encrypt|chiffr",
    "retention": r"\bretain|retention|conserv|aufbewahr|speicherdauer|bewaartermijn",
    "children": r"\bchildren|under (?:the age of )?1[3-8]\b|COPPA|enfants|\bKinder|menores|\bminori",
    "changes": r"(?:changes?|updates?|modif\w*) (?:to|of|de|à) (?:this|our|cette|la|notre) |"
    r"we may (?:update|change)",
    "contact": r"contact us|questions about|privacy@|\bdpo\b|data protection officer|délégué|Datenschutzbeauftragt",
    "law": r"\bGDPR\b|\bRGPD\b|DSGVO|\bCCPA\b|California|Safe Harbor|Privacy Shield|legitimate interest|"
    r"intérêt légitime|berechtigte|CNIL",
    "device": r"ip[- ]address|adresse ip|IP-Adresse|dirección ip|log files|browser type|device identifier|"
    r"identifiant",
    "use": r"(?:we|nous) (?:may )?(?:use|utilis)|how we use|verwenden|utilizamos|utilizziamo",
}
_PRIVACY_TITLE = re.compile(
    r"privacy|data protection|datenschutz|confidentialit|données personnelles|privacidad|privacidade|"
    r"informativa|privacybeleid|personal information",
    _I,
)


def _concept_set() -> re2.Set:
    patterns = re2.Set.SearchSet(_RE2_OPTIONS)
    for pattern in CONCEPT_PATTERNS.values():
        patterns.Add(pattern)
    patterns.Compile()
    return patterns


_CONCEPTS = _concept_set()  # one automaton: which concepts occur, in one pass over the text
_POLICY_SELF = re2.compile(
    r"\bthis (?:online )?(?:privacy |data protection |cookie )?(?:policy|statement|notice)\b|"
    r"(?:cette|la présente) politique|diese[rn]? Datenschutz|esta política|(?:la )?presente informativa",
    _RE2_OPTIONS,
)
_TERMS_SELF = re2.compile(
    r"\bthese terms\b|\bthis agreement\b|\bthese conditions\b|ces conditions|diese[rn]? (?:Nutzungsbedingungen|AGB)|"
    r"estos términos",
    _RE2_OPTIONS,
)
_OTHER_TITLE = re.compile(
    r"\bterms\b|conditions|agreement|sign[ -]?in|log[ -]?in|\b404\b|not found|\berror\b|unavailable|"
    r"for sale|wayback|access denied|\babout\b|\bfaq\b|before you continue|\bnews\b",
    _I,
)
_NOT_A_PAGE = re2.compile(
    r"page not found|\b404\b|no longer available|does not exist|has been (?:moved|removed)|for sale|"
    r"buy this domain|parked|wayback machine|got an http \d{3} response|access denied|forbidden|"
    r"temporarily unavailable|verify you are a human|before you continue|sign in to continue|"
    r"\b(?:accept|reject) all\b|manage (?:settings|preferences|your choices)",
    _RE2_OPTIONS,
)
_POLICY_NAME = re.compile(
    r"privacy (?:policy|notice|statement|pledge)|data (?:protection|privacy) (?:policy|notice|statement)|"
    r"datenschutzerkl|politique de confidentialit|pol[ií]tica de privacidad|informativa (?:sulla )?privacy|"
    r"privacyverklaring|privacybeleid",
    _I,
)
POLICY_THRESHOLD = 0.5


def features(text: str, title: str = "") -> dict[str, float]:
    """The readable features the score is made of."""
    words = len(text.split())
    lines = [line for line in text.splitlines()[:8] if line.strip()]
    head = title + "\n" + "\n".join(lines)[:400]
    first_heading = next((line for line in lines if line.startswith("#")), "")
    return {
        "words": words,
        "concepts": len(_CONCEPTS.Match(text) or ()),  # Match gives None when none occurs
        "privacy_title": float(bool(_PRIVACY_TITLE.search(head))),
        "policy_title": float(bool(_POLICY_NAME.search(title + "\n" + first_heading))),
        "other_title": float(bool(_OTHER_TITLE.search(title)) and not _PRIVACY_TITLE.search(title)),
        "policy_self": len(_POLICY_SELF.findall(text)),
        "terms_self": len(_TERMS_SELF.findall(text)),
        "not_a_page": float(bool(_NOT_A_PAGE.search(head + "\n" + text[:1500]))),
    }


def policy_score(text: str, title: str = "") -> float:
    """0-1 score that a page with this clean text and title is a privacy policy."""
    f = features(text, title)
    z = -5.0
    z += 0.7 * f["concepts"]  # 13 concepts: a full policy covers 9+, a cookie wall 3-5
    z += 2.5 * f["privacy_title"] - 1.5 * f["other_title"]
    z += 0.8 * min(f["policy_self"], 3) - 0.8 * min(max(f["terms_self"] - f["policy_self"], 0), 4)
    z += 1.5 * f["policy_title"]
    length = max(min(math.log(max(f["words"], 1) / 250), 1.0), -3.0)  # under ~250 words counts against...
    if length < 0 and f["policy_title"] and f["concepts"] >= 3 and not f["not_a_page"]:
        length *= 0.25  # ...much less for a short page named a privacy policy that reads like one
    z += 1.5 * length
    z -= 3.0 * f["not_a_page"] * (f["words"] < 400)
    return 1 / (1 + math.exp(-z))
