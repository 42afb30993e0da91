"""Language-neutral cues of a page's type, in English, French and German: what the page calls itself, what it
says it is ("this policy", "these terms"), and the vocabulary of each kind of legal page.

Each cue is a pattern family written once per language and read as one number, so a model trained mostly on
English pages reads a German page through the same numbers (there is no German in the training data). Terms,
policies and guidelines share the privacy vocabulary ("personal information", "third parties"), which is why
the self-naming and the contract vocabulary carry most of the decision, not the privacy words.

Counts are read as log(1 + n), capped, so a long page repeating a phrase does not outvote its title.
"""

from __future__ import annotations

import math
import re

import re2

from pipelines.text.classify import features as policy_features

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.never_capture = True

HEAD_CHARS = 600  # the title, the first heading and the opening lines: where a page names itself
BODY_CHARS = 200_000  # bound on the text each body pattern reads

# --- what the page calls itself (title, first heading, opening lines) ------------------------------------------
_NAMES: dict[str, str] = {
    "privacy": r"privacy (?:policy|notice|statement|pledge|center|centre)|data (?:protection|privacy) "
    r"(?:policy|notice|statement|declaration)|privacy\b|(?:personal )?data protection\b(?! (?:addendum|agreement))|"
    r"datenschutz|confidentialit|donn[ée]es personnelles|"
    r"protection des donn[ée]es|vie priv[ée]e",
    "policy_name": r"privacy (?:policy|notice|statement|pledge)|data (?:protection|privacy) (?:policy|notice|"
    r"statement|declaration)|datenschutzerkl|datenschutzhinweis|datenschutzrichtlinie|datenschutzinformation|"
    r"politique de (?:confidentialit|protection des donn)|"
    r"charte (?:de confidentialit|(?:de )?(?:protection des )?donn)|"
    r"d[ée]claration de confidentialit|(?:politique|protection) (?:de |des )?(?:vos )?donn[ée]es personnelles|"
    r"politique de protection (?:de |des )?(?:vos )?donn",
    "cookie": r"cookie|tracker|traceur",
    "terms": r"\bterms\b|conditions|\bagreement\b|\baddendum\b|\bcontract\b|avenant|\bCGU\b|\bCGV\b|\bAGB\b|"
    r"nutzungsbedingungen|"
    r"gesch[äa]ftsbedingungen|vertrag|contrat|\bEULA\b|license|licence|lizenz",
    "rules": r"guidelines|acceptable use|community|code of conduct|standards|\brules\b|r[èe]gles|charte|"
    r"richtlinien|verhaltenskodex|nutzungsrichtlinie|editorial|advertising|publicit",
    "imprint": r"imprint|impressum|mentions l[ée]gales|legal (?:notice|information)|informations l[ée]gales|"
    r"anbieterkennzeichnung|\bpublisher\b|[ée]diteur du site",
    "processing": r"data processing|processing agreement|\bDPA\b|sub-?processor|auftragsverarbeitung|"
    r"sous-traitan|accord de traitement|controller",
    "other_legal": r"copyright|\bDMCA\b|infring|accessibilit|barrierefrei|vulnerabilit|disclosure|"
    r"law enforcement|brand|trademark|warranty|garantie|gew[äa]hrleistung|\blegal\b|juridique|rechtlich",
    "not_page": r"\b404\b|not found|\berror\b|sign[ -]?in|log[ -]?in|anmelden|connexion|se connecter|for sale|"
    r"wayback|access denied|unavailable|introuvable|nicht gefunden|welcome|bienvenue|willkommen|\bhome\b|"
    r"accueil|startseite|\bshop\b|\bblog\b|\bnews\b|\bFAQs?\b|frequently asked|foire aux questions|"
    r"h[äa]ufig gestellte",
}

# --- what the text says it is, and the vocabulary of each kind of page (whole text) ----------------------------
_BODY: dict[str, str] = {
    "self_policy": r"\bthis (?:online |global )?(?:privacy |data protection |data )?(?:policy|statement|notice)\b|"
    r"(?:cette|la présente) (?:politique|déclaration|charte|notice)|"
    r"diese[rnm]? (?:Datenschutz\w*|Erklärung|Richtlinie|Hinweise)",
    "self_privacy": r"\bthis (?:online )?privacy (?:policy|notice|statement)|"
    r"(?:cette|la présente) politique de (?:confidentialité|protection des données)|"
    r"diese[rnm]? Datenschutz(?:erklärung|hinweise|richtlinie|information)",
    "self_terms": r"\bthese (?:terms|conditions)\b|\bthis (?:agreement|contract|license)\b|\bthe terms of use\b|"
    r"(?:ces|les présentes) (?:conditions|CGU|CGV)|(?:ce|le présent) contrat|"
    r"diese[rnm]? (?:Nutzungsbedingungen|AGB|Bedingungen|Vertrag|Vereinbarung)",
    "self_rules": r"\bthese (?:guidelines|rules|standards|policies)\b|\bthis (?:acceptable use |content )?"
    r"(?:aup|guideline)|(?:ces|les présentes) (?:règles|lignes directrices)|diese[rn]? (?:Richtlinien|Regeln)",
    "self_cookie": r"\bthis cookies? (?:policy|notice|statement)|(?:cette|la présente) politique (?:de gestion des |"
    r"relative aux )?(?:cookies|traceurs)|diese[rnm]? Cookie-?(?:Richtlinie|Hinweise|Erklärung|Policy)",
    "contract": r"you agree|\bagree to\b|liabilit|warrant|indemnif|terminat|governing law|arbitration|"
    r"jurisdiction|\bas is\b|breach|\bsuspend|intellectual property|vous acceptez|responsabilité|garanti|"
    r"résili|juridiction|propriété intellectuelle|Haftung|haften|Gewährleistung|Kündigung|Gerichtsstand|"
    r"geistige[sn]? Eigentum|stimmen Sie zu",
    "conduct": r"\bprohibit|\bnot (?:post|upload|use the)|\bharass|\bviolat|\bremove content|\ballowed\b|interdit|"
    r"\bverboten|\bunzulässig|\bzulässig",
    "privacy_vocab": r"personal (?:information|data)|we collect|collect(?:s|ed)? (?:your|the following)|"
    r"your rights|right to (?:access|erasure|object|rectif)|legal basis|retain|retention|data subject|"
    r"données (?:à caractère )?personnelles|nous collectons|vos droits|base légale|durée de conservation|"
    r"personenbezogen|erheben|Ihre Rechte|Rechtsgrundlage|Speicherdauer|betroffene Person",
    "cookie_vocab": r"\bcookies?\b|tracker|traceur|local storage|pixel|web beacon|browser settings|"
    r"paramètres (?:de votre )?navigateur|Browsereinstellungen|strictly necessary|strictement nécessaires|"
    r"unbedingt erforderlich",
    "processor_vocab": r"\bprocessor\b|sub-?processor|\bcontroller\b|standard contractual clauses|"
    r"customer (?:personal )?data|sous-traitant|responsable (?:du|de) traitement|Auftragsverarbeit|"
    r"Verantwortliche[rn]?|Unterauftragsverarbeit",
    "imprint_vocab": r"registered office|registration number|\bVAT\b|managing director|company number|"
    r"siège social|\bSIRET\b|\bSIREN\b|\bRCS\b|directeur de (?:la )?publication|hébergeur|capital social|"
    r"Handelsregister|USt-?IdNr|Geschäftsführer|Registergericht|Amtsgericht|§ ?5 TMG|\bDDG\b",
}

# --- what the section headings are about: a policy's sections are what it collects, why, with whom it shares
# and the rights you have; a contract's are liability, termination and governing law. A terms page with one
# privacy section, or a policy with one liability clause, still shows its kind in the share of its headings.
_SECTIONS: dict[str, str] = {
    "privacy": r"collect|information we|data we|personal (?:data|information)|how we use|use of (?:your )?"
    r"(?:information|data)|shar(?:e|ing)|disclos|retention|retain|your (?:rights|choices)|data subject|security|"
    r"children|transfer|legal basis|processing|données|collect|finalit|conservation|vos droits|destinataires|"
    r"personenbezogen|Rechtsgrundlage|Speicherdauer|Ihre Rechte|Betroffenenrechte|Empfänger|Verarbeitung|Zweck",
    "contract": r"liabilit|warrant|disclaim|indemn|terminat|governing law|arbitration|dispute|intellectual "
    r"property|licen[cs]e|payment|fees|subscription|prohibited|user content|eligib|changes to (?:these|the) terms|"
    r"responsabilit|garantie|résiliation|propriété intellectuelle|litige|droit applicable|paiement|tarif|"
    r"Haftung|Gewährleistung|Kündigung|Gerichtsstand|Zahlung|Vertragsschluss|Widerruf|Nutzungsrecht|Urheberrecht",
    "cookie": r"cookie|tracker|traceur|local storage|pixel|beacon",
}
_HEADING_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s*(.+?)\s*#*|\*\*([^*]{3,120})\*\*)\s*$", re.M)
_UNDERLINED = re.compile(r"^([^\n]{3,120})\n[=-]{3,}\s*$", re.M)
MAX_HEADINGS = 300  # a page's sections, not its every bold line
HEADINGS_READ = 20_000  # characters of a text read for its first headings (what it calls itself)

_HEAD = {name: re.compile(p, re.I) for name, p in _NAMES.items()}
_SECTION_RE = {name: re.compile(p, re.I) for name, p in _SECTIONS.items()}
_BODY_RE = {name: re2.compile(p, _OPTIONS) for name, p in _BODY.items()}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")  # a markdown link reads as its words: a URL names no page


def head_of(text: str, title: str = "") -> str:
    """The title, then the opening non-empty lines of the text, up to HEAD_CHARS."""
    lines: list[str] = []
    size = 0
    for line in text.splitlines():
        line = _LINK.sub(r"\1", line).strip(" #*=_-\t")
        if line:
            lines.append(line)
            size += len(line)
            if size >= HEAD_CHARS:
                break
    return (title + "\n" + "\n".join(lines))[: HEAD_CHARS + len(title) + 1]


def title_of(text: str, title: str = "") -> str:
    """What the page calls itself: its title, or without one (a markdown text) the first heading of its text; not
    the opening lines, which may mention processors, hosts or other pages in passing. The title wins over the first
    heading: a page titled "Terms and Conditions" that opens with a short privacy section is a terms page."""
    if title.strip():
        return title
    return "".join(first_headings(text, 1))


def _first_name(head: str) -> str:
    """Which name comes first in the head: a terms page links to "our Privacy Policy" after naming itself."""
    first, at = "", len(head) + 1
    for name, pattern in _HEAD.items():
        m = pattern.search(head)
        if m and m.start() < at:
            first, at = name, m.start()
    return first


def headings(text: str) -> list[str]:
    """The section headings of a markdown text: `#` lines, whole-line bold, and underlined (setext) lines."""
    found = [(m.start(), m.group(1) or m.group(2)) for m in _HEADING_LINE.finditer(text)]
    found += [(m.start(), m.group(1)) for m in _UNDERLINED.finditer(text)]
    return [h.strip() for _, h in sorted(found)[:MAX_HEADINGS]]


def first_headings(text: str, n: int) -> list[str]:
    """The first `n` section headings of a markdown text, read in its first HEADINGS_READ characters."""
    return headings(text[:HEADINGS_READ])[:n]


def _log(n: float, cap: float = 4.0) -> float:
    return min(math.log1p(n), cap)


def cues(text: str, title: str = "") -> dict[str, float]:
    """The cue numbers a page-type model reads, for the clean text of a page and its title."""
    head = head_of(text, title)
    body = text[:BODY_CHARS]
    out: dict[str, float] = {f"name_{n}": float(bool(p.search(head))) for n, p in _HEAD.items()}
    first = _first_name(head)
    out.update({f"first_{n}": float(first == n) for n in _HEAD})
    named = title_of(text, title)
    out.update({f"title_{n}": float(bool(p.search(named))) for n, p in _HEAD.items()})
    words = max(len(body.split()), 1)
    for name, pattern in _BODY_RE.items():
        n = len(pattern.findall(body))
        out[name] = _log(n)
        out[name + "_rate"] = _log(1000 * n / words, 5.0)  # per thousand words: a density, length aside
    sections = headings(body)
    for name, pattern in _SECTION_RE.items():
        n = sum(bool(pattern.search(h)) for h in sections)
        out[f"sections_{name}"] = n / len(sections) if sections else 0.0  # share of the headings about it
    out["sections"] = _log(len(sections))
    legacy = policy_features(body, title)  # the old score's readable features: coverage, length, error pages
    out["concepts"] = legacy["concepts"] / 13
    out["not_a_page"] = legacy["not_a_page"]
    # a consent wall or error page is short; a long policy may well say "accept all" about its own banner
    out["short_not_a_page"] = legacy["not_a_page"] * (words < 400)
    out["log_words"] = math.log(words) / 10
    out["short"] = float(words < 150)
    return out


CUE_NAMES: tuple[str, ...] = tuple(cues("x"))
