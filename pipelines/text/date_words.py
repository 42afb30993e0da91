"""The words of stated dates (`dates`): month names, cue phrases by strength, and the names of documents.

Kept apart from the matching code so that a language is added here alone. Patterns are regex sources, compiled
case-insensitively by `dates`; `(?-i:...)` marks the few words that count only capitalized.
"""

from __future__ import annotations

_MONTH_NAMES = [
    ("january", "jan", "janvier", "januar", "enero", "gennaio", "janeiro"),
    ("february", "feb", "février", "fevrier", "februar", "febrero", "febbraio", "fevereiro"),
    ("march", "mar", "mars", "märz", "marz", "marzo", "março"),
    ("april", "apr", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio", "maio"),
    ("june", "jun", "juin", "juni", "junio", "giugno", "junho"),
    ("july", "jul", "juillet", "juli", "julio", "luglio", "julho"),
    ("august", "aug", "août", "aout", "agosto"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
    ("october", "oct", "octobre", "oktober", "octubre", "ottobre", "outubro"),
    ("november", "nov", "novembre", "noviembre", "novembro"),
    ("december", "dec", "décembre", "decembre", "dezember", "diciembre", "dicembre", "dezembro"),
]
# The history stage masks dates with these names too (`history.versions`): widening them changes version keys.
MONTHS = {name: i for i, names in enumerate(_MONTH_NAMES, start=1) for name in names}
# Abbreviations read only in stated dates ("12 févr. 2021", "1. Okt. 2020"), so version keys stay as they were.
ABBREVIATIONS = {"janv": 1, "févr": 2, "fevr": 2, "mär": 3, "avr": 4, "juil": 7, "okt": 10, "déc": 12, "dez": 12}

# (pattern, weight): how surely the cued date is the date this text was last changed. An update or revision date
# is the stated date of this text; an effective date almost always is; a posted, published or version date
# usually is; "as of" is often something else's date.
CUES = [
    (
        r"last\s+(?:updated|modified|revised|changed|edited|reviewed|amended)(?:\s+(?:on|date))?|last\s+update|"
        r"(?:date\s+of\s+)?(?:last\s+)?revision\s+date|date\s+of\s+last\s+revision|most\s+recent\s+(?:change|update|"
        r"revision)s?|(?:updated|revised|modified|amended)(?:\s+(?:on|as\s+of))?|"
        # French
        r"(?:date\s+de\s+(?:la\s+)?)?derni[eè]re\s+(?:mise\s+[àa]\s+jour|modification|r[ée]vision)|"
        r"mis[e]?\s+[àa]\s+jour(?:\s+le)?|(?:modifi[ée]e?|r[ée]vis[ée]e?|actualis[ée]e?)\s+le|"
        # German
        r"zuletzt\s+(?:aktualisiert|ge[äa]ndert|[üu]berarbeitet)(?:\s+am)?|letzte\s+(?:[äa]nderung|aktualisierung|"
        r"[üu]berarbeitung)|(?:aktualisiert|ge[äa]ndert)\s+am|(?-i:Stand)|stand(?=\s*:)|stand\s+(?:vom|am)|"
        # Spanish, Italian, Portuguese
        r"última\s+(?:actualización|modificación|atualização)|ultimo\s+aggiornamento",
        1.0,
    ),
    (
        r"effective(?:\s+date|\s+as\s+of|\s+on|\s+from)?|"
        r"(?:date\s+d['’])?entr[ée]e\s+en\s+vigueur|en\s+vigueur(?:\s+(?:le|depuis|au|[àa]\s+compter\s+du))?|"
        r"applicable\s+(?:[àa]\s+compter\s+du|depuis|au)|"
        r"(?:g[üu]ltig|gilt|gelten)\s+(?:ab|seit|vom)(?:\s+dem)?|in\s+kraft(?:\s+getreten)?\s+(?:am|seit|ab)|"
        r"wirksam\s+(?:ab|seit)|"
        r"vigente\s+(?:desde|a\s+partir\s+de)|in\s+vigore\s+dal",
        0.9,
    ),
    (
        r"posted(?:\s+on)?|published(?:\s+on)?|dated|version(?:\s+(?:date|dated|of|du|vom))?|"
        r"date\s+de\s+publication|publi[ée]e?\s+le|ver[öo]ffentlicht\s+am|fassung\s+vom|datiert",
        0.8,
    ),
    (r"as\s+of", 0.7),
]
# A cue may name the document it dates: "Effective Date of Privacy Policy:", "Last updated date of this notice".
CUE_OBJECT = (
    r"(?:\s+(?:date\s+)?(?:of|for)\s+(?:this|the|our)?\s*(?:online\s+)?(?:privacy\s+)?(?:policy|notice|statement))?"
)
# The document's own name: a date right after it ("Caribou Coffee Privacy Statement June 3, 2003", "STATEMENT
# OF PRIVACY (12/23/2014") is the date of the title, counted only near the top or bottom of the text.
THIS_DOCUMENT = (
    r"privacy\s+(?:(?:and|&)\s+cookies?\s+)?(?:policy|notice|statement)|statement\s+of\s+privacy|data\s+protection\s+(?:policy|notice)|"
    r"politique\s+de\s+(?:confidentialit[ée]|protection\s+des\s+donn[ée]es)|d[ée]claration\s+de\s+confidentialit[ée]|"
    r"datenschutz(?:erkl[äa]rung|hinweise|richtlinie|bestimmungen|information(?:en)?)|"
    r"pol[íi]tica\s+de\s+privacidad(?:e)?|informativa\s+(?:sulla\s+)?privacy"
)
TITLE_WEIGHT = 0.7
# Words that say a sentence is about this text: "This Privacy Policy is effective as of ...".
SELF_REFERENCE = (
    THIS_DOCUMENT + r"|this\s+(?:policy|notice|statement|document|page|version)|the\s+policy|"
    r"(?:la\s+)?pr[ée]sente\s+(?:politique|d[ée]claration|charte)|cette\s+(?:politique|d[ée]claration|charte)|"
    r"diese\s+(?:erkl[äa]rung|richtlinie|hinweise|fassung)"
)
# Laws, programmes and other documents: a date whose nearest such word is one of these is their date, not this
# text's ("effective January 1, 2005, California law requires ..."; "our Terms of Use were last updated ...").
OTHER_DOCUMENT = (
    r"laws?|statutes?|regulations?|directives?|ordinances?|(?-i:Act|Rule|Bill)|code|§|"
    r"programs?|programmes?|framework|shield|safe\s+harbou?r|principles|guidelines|certification|"
    r"terms\s+(?:of\s+(?:use|service|sale)|and\s+conditions)|conditions\s+of\s+use|(?:user|license)\s+agreement|"
    r"agreement|contract|cookies?\s+(?:policy|notice|statement)|gdpr|ccpa|coppa|hipaa|ferpa|glba|caloppa|"
    r"lois?|r[èe]glements?|rgpd|conditions\s+g[ée]n[ée]rales|cnil|"
    r"\w*gesetz\w*|\w*verordnung|richtlinie|dsgvo|bdsg|agb|nutzungsbedingungen|gesch[äa]ftsbedingungen|"
    r"ley|reglamento|legge|regolamento|lei"
)
