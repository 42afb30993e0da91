"""Rewrite a formal German or French policy ("Sie", "Ihre Daten"; "vous", "vos données") in the informal address
many apps and start-ups use ("du", "deine Daten"; "tu", "tes données"), so that the French/German benchmark can
check that the cues do not depend on the form of address (`eval_fr_de.py --informal`).

The rewrite is mechanical, from a table (`data/informal_address.toml`).

German (`du_text`): possessives and "Ihnen" by table; "Sie" as "dich" after a preposition or "wir", else as
"du", with its verb conjugated for "du" (the table's irregular forms, else stem + "st"): the verb at the end of
a subordinate clause ("wenn Sie zugestimmt haben"), before "Sie" ("können Sie") or after it ("Sie können");
"sich" next to it as "dich". Imperatives ("Wenden Sie sich") come out in question order ("Wendest du dich"),
odd to a reader but read alike by a tagger. A capitalised "Sie" at a sentence's start may be "they"; there it
is read as formal, as in most policies.

French (`tu_text`): "vous" before its verb as "tu", with the verb in the tu-form (the table's, else "-issez" as
"-is" and "-ez" as "-es"); after a preposition as "toi", else (an object) as "te" / "t'"; an imperative's "-ez"
("contactez-nous", "adressez-vous") as "-e" (with "toi"); "votre" as "ton", "vos" as "tes".

The categories a policy addresses do not change with its form of address, so its labels stay.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

TABLE = tomllib.loads((Path(__file__).parent / "data" / "informal_address.toml").read_text(encoding="utf-8"))
POSSESSIVES: dict[str, str] = TABLE["de"]["possessives"]
VERBS: dict[str, str] = TABLE["de"]["verbs"]
FR_POSSESSIVES: dict[str, str] = TABLE["fr"]["possessives"]
FR_VERBS: dict[str, str] = TABLE["fr"]["verbs"]
_W = r"[A-Za-zÄÖÜäöüß-]"
_VERB = rf"{_W}+(?:en|ern|eln)|sind|tun"
_SICH = r"(?: sich\b)?"
_SUBORDINATE = re.compile(
    rf"\b((?i:die|der|das|den|dem|denen|wenn|ob|dass|was|wie|welche\w*|weil|sobald|solange|damit|nachdem|bevor|"
    rf"falls|sofern|soweit|wo\w*|indem|sodass)(?: {_W}+)?) Sie({_SICH})\b([^,.;:?!()\n]*?) ({_VERB})"
    rf"(?=[,.;:?!)\n]| und | oder |$)",
    re.M,
)
_OBJECT = re.compile(rf"\b(wir|uns|für|über|um|an|gegen|ohne|durch|{_W}+(?:en|t)) Sie\b(?! (?:{_VERB})\b)")
_VERB_SIE = re.compile(rf"\b({_VERB}) Sie({_SICH})\b")
_SIE_VERB = re.compile(rf"\bSie ({_VERB})\b({_SICH})")
_POSSESSIVE = re.compile(r"\b(" + "|".join(sorted(POSSESSIVES, key=len, reverse=True)) + r")\b")
_SENTENCE_START = re.compile(r"(^(?:#+ |[-*] (?:\*\*)?)?|[.!?:] (?:\*\*)?)(du|dein\w*|dir|dich)\b", re.M)


def du_form(verb: str) -> str:
    """The present-tense du-form of a verb given as its infinitive (which is also its Sie-form)."""
    low = verb.lower()
    if low in VERBS:
        form = VERBS[low]
    elif low.endswith(("eln", "ern")):
        form = low[:-1] + "st"
    else:
        stem = low[:-2]
        form = stem + ("est" if stem.endswith(("t", "d")) else "t" if stem.endswith(("s", "ß", "z", "x")) else "st")
    return _cased(form, verb[0].isupper())


def du_text(text: str) -> str:
    """German `text` with the formal address replaced by the informal one (see the module docstring)."""
    text = text.replace("Ihnen", "dir")
    text = _SUBORDINATE.sub(lambda m: f"{m[1]} du{' dich' if m[2] else ''}{m[3]} {du_form(m[4])}", text)
    text = _VERB_SIE.sub(lambda m: f"{du_form(m[1])} du{' dich' if m[2] else ''}", text)
    text = _SIE_VERB.sub(lambda m: f"du {du_form(m[1])}{' dich' if m[2] else ''}", text)
    text = _OBJECT.sub(lambda m: f"{m[1]} dich", text)
    text = re.sub(r"\bSie\b", "du", text)
    text = _POSSESSIVE.sub(lambda m: POSSESSIVES[m[1]], text)
    return _SENTENCE_START.sub(lambda m: m[1] + m[2].capitalize(), text)


_FR = r"[\wàâçéèêëîïôûùüÿœ-]"
_FR_SUBJECT = re.compile(
    rf"\b([Vv])ous( ne| n['’])?((?: (?:le|la|les|l['’]|leur|lui|en|y|nous))?) ({_FR}+ez|êtes|faites|dites)\b"
)
_FR_INVERTED = re.compile(rf"\b({_FR}+ez|êtes|faites|dites)-vous\b")
_FR_IMPERATIVE = re.compile(rf"\b({_FR}+)ez-(nous|moi|les|le|la|en|y)\b")
# "de vous" is "de toi", but "de vous opposer" (an infinitive follows) is "de t'opposer"
_FR_TONIC = re.compile(
    rf"\b(à|pour|chez|de|avec|sans|par|envers|contre|entre|sur|auprès de|que) vous\b(?! {_FR}+(?:er|ir|re)\b)", re.I
)
_FR_REFLEXIVE_IMPERATIVE = re.compile(rf"\b({_FR}+)ez-vous\b")
_FR_OBJECT = re.compile(r"\b([Vv])ous (?=([aeiouyhéèêàâîô]?))", re.I)


def tu_form(verb: str) -> str:
    """The present-tense tu-form of a verb given in its vous-form ("pouvez", "utilisez")."""
    low = verb.lower()
    if low in FR_VERBS:
        form = FR_VERBS[low]
    elif low.endswith("issez"):
        form = low[:-3] + "s"
    else:
        form = low[:-2] + "es"
    return _cased(form, verb[0].isupper())


def tu_text(text: str) -> str:
    """French `text` with the formal address replaced by the informal one (see the module docstring)."""
    text = _FR_SUBJECT.sub(lambda m: f"{'T' if m[1] == 'V' else 't'}u{m[2] or ''}{m[3]} {tu_form(m[4])}", text)
    text = _FR_REFLEXIVE_IMPERATIVE.sub(lambda m: f"{m[1]}e-toi", text)  # "adressez-vous" (never a question here)
    text = _FR_INVERTED.sub(lambda m: f"{tu_form(m[1])}-tu", text)
    text = _FR_IMPERATIVE.sub(lambda m: f"{m[1]}e-{m[2]}", text)
    text = _FR_TONIC.sub(lambda m: f"{m[1]} toi", text)
    text = _FR_OBJECT.sub(lambda m: ("T" if m[1] == "V" else "t") + ("’" if m[2] else "e "), text)
    text = re.sub(r"\b([Vv])(otre|os)\b", lambda m: _cased(FR_POSSESSIVES["v" + m[2]], m[1] == "V"), text)
    return text


def _cased(word: str, upper: bool) -> str:
    return word.capitalize() if upper else word


def informal(text: str, language: str) -> str:
    """`text` in the informal address of its language ("de" or "fr"); other languages unchanged."""
    return du_text(text) if language == "de" else tu_text(text) if language == "fr" else text
