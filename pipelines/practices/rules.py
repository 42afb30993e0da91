"""The rules tagger: the OPP-115 categories and modern regulatory markers of a segment, each with a score and
the cue that fired it.

The cues are the project's own (`vocabulary`, no third-party data inside). Each is a regular expression whose
first match is reported as the cue, so every tag can be explained.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import re2

from pipelines.practices.tags import Tag
from pipelines.practices.vocabulary import LANGUAGES, OPP115_CATEGORIES, THRESHOLDS, VOCABULARY
from pipelines.text.describe import passage_language

# 0.10.0: English demotions (a children's or scope statement is not the collection it mentions) and asides (advice,
# contact, seals, definitions, "the information we collect" do not keep their category next to a practice), and
# the posting of a revised policy as a Policy Change statement
# 0.11.0: the French and German cues read the informal address ("du", "deine"; "tu", "tes", "ton") as the formal one
# 0.12.0: English User Choice/Control read at a paragraph's opening ("If you do not want ...", "You can limit ...")
# 0.13.0: Data Retention: stated periods in singular units, "retain" in a list of verbs no retention statement, a
# limit on keeping ("not kept once ..."), and stated periods kept beside a stronger practice (`stands`)
# 0.14.0: English User Access: a right the company reserves is not the user's; "you will have the opportunity to
# update" states the user's access
# 0.15.0: a long passage surely in another language the cues read is read in its own (`passage_language`)
# 0.16.0: German cues read Swiss German ("ss" for "ß", the DSG's "bearbeiten" for "verarbeiten")
# 0.17.0: French cues read Quebec French ("renseignements" for "données", "témoins de connexion"); transfers to
# "Drittstaaten", out of Switzerland or Quebec
RULES_VERSION = "0.17.0"
FIRE_AT = 0.5  # the score at which a marker is tagged (practices have their own thresholds)

# Cues from a segment's shape rather than its words. Short segments are mostly headings or fragments, which
# OPP-115 annotators file under Other. A list item ("...; and", "enforce our terms of service;") continues a list
# introduced elsewhere, and such lists are mostly the purposes information is used for. A segment made mostly of
# capitalised words is a table of contents, a run of headings or an address block: Other, and the practices it
# names are the titles of other sections, so its practice cues count for little (TITLE_CASE_PRACTICE_FACTOR).
SHORT_SEGMENT_WORDS = 8
SHORT_SEGMENT_OTHER = 0.5
LIST_ITEM_FIRST_PARTY = 0.5
TITLE_CASE_SHARE = 0.7  # of the content words (small words like "of", "your" aside)
TITLE_CASE_MIN_WORDS = 8
TITLE_CASE_ALL_WORDS_SHARE = 0.4  # of all words, small ones included
TITLE_CASE_OTHER = 0.8
TITLE_CASE_PRACTICE_FACTOR = 0.25
_LIST_ITEM = re.compile(r"(?:;|[;,]? (?:and|or))\s*$")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_CAPITALISED = re.compile(r"\b[A-Z]")
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "or", "of", "to", "the", "your", "our", "for", "in", "on", "with", "we", "you", "about"}
    | {"how", "is", "do", "from", "by", "us", "it", "this", "that"}
)
# A paragraph states its topic first (a section heading, then the opening sentence); later sentences mention
# neighbouring practices in passing ("... and we may share it with our service providers"). So a practice cue
# whose first match starts after the opening counts with a reduced weight. Markers are not affected: they flag
# any mention.
OPENING_CHARS = 100
LATE_CUE_FACTOR = 0.5
UNAMBIGUOUS_WEIGHT = 0.9  # a cue this specific ("Do Not Track signals") names its practice wherever it stands


# Decoding. A paragraph usually describes one or two practices, and annotators label the one it is about, so a
# category is kept only when its evidence is comparable to the strongest one: its miss probability (1 - score) is
# at most MARGIN times the best category's. A segment where nothing reaches its threshold still gets its strongest
# category when that score reaches FALLBACK_AT (nearly every policy segment carries some practice or Other).
# An English segment left with no tag at all is Other: OPP-115 files what no practice covers (an anecdote, a
# medical-records procedure, a disclaimer) under Other, and on dev most untagged segments are Other. Its score
# is the evidence against every practice, 1 - the strongest practice score.
MARGIN = 5.0
FALLBACK_AT = 0.3
NO_PRACTICE_CUE = "(no practice cue)"


def _needs_case(rx: str) -> bool:
    """A cue spelled with capitals (outside escapes like \\S) cannot run on lower-cased text without re.I."""
    return "(?-i:" in rx or re.search(r"(?<!\\)[A-Z]", rx) is not None


@dataclass(frozen=True)
class _Cue:
    category: int
    weight: float
    pattern: re.Pattern[str] | re2._Regexp
    cased: bool  # runs with re.I on the original text (it holds a case-sensitive acronym)
    demotes: tuple[int, ...] = ()  # the categories a segment it matches is not about (see tag_text)
    aside: bool = False  # a remark beside a practice ("please note", "contact us"; see tag_text)
    stands: bool = False  # a statement the margin does not drop (see tag_text)


_LOOKAROUND = re.compile(r"\(\?<?[=!]")


def _compile_cue(rx: str, cased: bool) -> re.Pattern[str] | re2._Regexp:
    """A cue's pattern: RE2 (linear time, a third faster over a policy's segments) unless it needs lookaround,
    which only Python's engine has. Cues keep to ASCII words, where both engines read \\b and \\w alike."""
    if _LOOKAROUND.search(rx):
        return re.compile(rx, re.I) if cased else re.compile(rx)
    options = re2.Options()
    options.case_sensitive = not cased
    return re2.compile(rx, options)


_PRACTICE_INDEX = {c: k for k, c in enumerate(OPP115_CATEGORIES)}
_GROUP_BITS = 3  # an index entry is cue << _GROUP_BITS | trigger group


@dataclass(frozen=True)
class _Lexicon:
    """One language's compiled cues, and the trigger index that decides which of them run on a text."""

    cues: list[_Cue]
    exact: dict[str, list[int]]  # whole word -> cue << _GROUP_BITS | group
    prefix: dict[str, list[int]]  # word prefix -> the same
    prefix_lengths: list[int]
    groups: list[int]  # per cue, how many trigger groups it needs
    words: list[tuple[tuple[str, ...], ...]]  # per cue, its trigger groups (the substring gate, see _active_cues)


# Regional wording the cues read as their language's own, compiled into each pattern (and its trigger words)
# rather than folded out of the text, so a quoted cue keeps the policy's spelling. Swiss German writes "ss" for
# "ß" ("ausserhalb", "Massnahmen") and its act (DSG) says "bearbeiten" for "verarbeiten" ("Auftragsbearbeiter");
# Quebec French (Loi 25) says "renseignements (personnels)" for "données (personnelles)", "témoins de connexion"
# for cookies.
_REGIONAL_PATTERN = {
    "de": (("ß", "(?:ß|ss)"), ("verarbeit", "(?:ver|be)arbeit")),
    # "témoins" alone is also witnesses ("Déclarations des témoins", on ota-dating): only the OQLF's terms
    "fr": (
        ("données", "(?:données|renseignements)"),
        (r"cookie(s\??)?", r"(?:cookie\1|témoins? de connexion|fichiers? témoins?)"),
    ),
}
_REGIONAL_WORD = {
    "de": (("ß", "ss"), ("verarbeit", "bearbeit")),
    "fr": (("donnée", "renseignement"), ("cookie", "témoin")),
}


def _regional(text: str, replacements: tuple[tuple[str, str], ...]) -> str:
    for own, regional in replacements:
        text = re.sub(own, regional, text)
    return text


def _regional_too(words: Iterable[str], lang: str) -> list[str]:
    """Trigger words, and the regional form of those that have one."""
    variants = _REGIONAL_WORD.get(lang, ())
    return [v for w in words for v in dict.fromkeys((w, _regional(w, variants)))]


def _compile_lexicon(lang: str) -> _Lexicon:
    """Every cue of one language compiled once, with its trigger index."""
    lex = _Lexicon([], {}, {}, [], [], [])
    for k, cues in enumerate(VOCABULARY.cues_in(lang).values()):
        for q in cues:
            cased = _needs_case(q.pattern)
            # French and German words hold letters RE2's ASCII \b and \w do not know: Python's engine reads them.
            if lang == "en":
                pattern = _compile_cue(q.pattern, cased)
            else:
                pattern = re.compile(_regional(q.pattern, _REGIONAL_PATTERN.get(lang, ())), re.I if cased else 0)
            demotes = tuple(_PRACTICE_INDEX[d] for d in q.demotes)
            lex.cues.append(_Cue(k, q.weight, pattern, cased, demotes, q.aside, q.stands))
            parts = q.triggers.split(" & ")
            lex.groups.append(len(parts))
            words = [[w.rstrip("=") for w in part.split()] for part in parts]
            lex.words.append(tuple(tuple(_regional_too(g, lang)) for g in words))
            for g, part in enumerate(parts):
                for w in part.split():
                    index = lex.exact if w.endswith("=") else lex.prefix
                    index.setdefault(w.rstrip("="), []).append((len(lex.cues) - 1) << _GROUP_BITS | g)
    lex.prefix_lengths.extend(sorted({len(p) for p in lex.prefix}))
    return lex


_CATEGORIES = list(VOCABULARY.cues_in("en"))
assert _CATEGORIES[: len(OPP115_CATEGORIES)] == list(OPP115_CATEGORIES), "LEXICON starts with the OPP-115 categories"
_OTHER = _CATEGORIES.index("Other")
_FIRST_PARTY = _CATEGORIES.index("First Party Collection/Use")
_LEXICONS = {lang: _compile_lexicon(lang) for lang in LANGUAGES}
_EN = _LEXICONS["en"]
_TOKEN = re.compile(r"[a-z0-9]+|[@\"]")


@functools.lru_cache(maxsize=200_000)
def _token_cues(tok: str) -> tuple[frozenset[int], tuple[int, ...]]:
    """What one word triggers among the English cues (cached: policy vocabulary is small and repetitive): the
    cues with a single trigger group, which it activates outright, and the (cue, group) entries of cues that
    need several groups."""
    hits = list(_EN.exact.get(tok, ()))
    for n in _EN.prefix_lengths:
        if n > len(tok):
            break
        hits += _EN.prefix.get(tok[:n], ())
    single = frozenset(h >> _GROUP_BITS for h in hits if _EN.groups[h >> _GROUP_BITS] == 1)
    return single, tuple(h for h in hits if _EN.groups[h >> _GROUP_BITS] > 1)


def _active_cues(lowered: str, lang: str = "en") -> list[int]:
    """The cues all of whose trigger groups occur in the (lower-cased) text, in lexicon order.

    English triggers are words or word prefixes. French and German ones are looked for anywhere in the text:
    German compounds put the telling word inside (Daten*speicherung*, Auskunfts*recht*), and those policies
    are few enough that the plain substring search costs nothing that matters."""
    if lang != "en":
        lex = _LEXICONS[lang]
        return [i for i, groups in enumerate(lex.words) if all(any(w in lowered for w in g) for g in groups)]
    active: set[int] = set()
    multi: set[int] = set()
    for tok in set(_TOKEN.findall(lowered)):
        single, entries = _token_cues(tok)
        active |= single
        multi.update(entries)
    if multi:
        groups_hit = Counter(h >> _GROUP_BITS for h in multi)
        active.update(c for c, n in groups_hit.items() if n == _EN.groups[c])
    return sorted(active)


def _positional_weight(cue: _Cue, start: int, headings: bool) -> float:
    """A practice cue's weight: reduced when it first matches after the segment's opening, and more when the
    segment is a list of headings (see TITLE_CASE_SHARE)."""
    if cue.category >= len(OPP115_CATEGORIES) or cue.weight >= UNAMBIGUOUS_WEIGHT:
        return cue.weight
    if headings:
        return cue.weight * TITLE_CASE_PRACTICE_FACTOR
    return cue.weight if start < OPENING_CHARS else cue.weight * LATE_CUE_FACTOR


def _is_list_of_headings(text: str) -> bool:
    """Mostly capitalised content words: a table of contents, a run of headings or an address block."""
    if len(_CAPITALISED.findall(text)) < TITLE_CASE_ALL_WORDS_SHARE * len(text.split()):
        return False  # a sentence, not headings: the common case, checked cheaply on all words first
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    if len(words) < TITLE_CASE_MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)


def _shape_cues(text: str, headings: bool) -> list[tuple[int, float, str]]:
    """(category, weight, label) of the cues a segment's shape gives (see SHORT_SEGMENT_WORDS)."""
    cues = []
    if _LIST_ITEM.search(text[-8:]):  # a short list item is still a list item, not a heading
        cues.append((_FIRST_PARTY, LIST_ITEM_FIRST_PARTY, "(list item)"))
    elif len(text.split()) <= SHORT_SEGMENT_WORDS:
        cues.append((_OTHER, SHORT_SEGMENT_OTHER, "(short segment)"))
    if headings:
        cues.append((_OTHER, TITLE_CASE_OTHER, "(list of headings)"))
    return cues


def score_text(text: str, gated: bool = True, lang: str = "en") -> tuple[list[float], list[str]]:
    """Per category (file order): the noisy-or score of the cues of `lang` that match, and the strongest cue's
    quote.

    `gated=False` runs every cue regardless of triggers (slow; for checking that the gate loses nothing).
    """
    scored = _score(text, gated, lang)
    return scored.scores, scored.cues


class _Scored(NamedTuple):
    """What `tag_text` decodes from: score_text's scores and quotes, and what the matching cues say beside them."""

    scores: list[float]
    cues: list[str]
    demoted: list[tuple[int, int]]  # (category, demoted category) pairs of the matching cues
    core: list[float]  # the scores without the aside cues
    standing: set[int]  # the categories a standing cue matched


def _score(text: str, gated: bool, lang: str) -> _Scored:
    lex = _LEXICONS[lang]
    lowered = text.lower()
    same = len(lowered) == len(text)  # lower() kept offsets, so the cue can be quoted in its original spelling
    miss = [1.0] * len(_CATEGORIES)
    core = [1.0] * len(_CATEGORIES)  # the miss probabilities without the aside cues
    best: list[tuple[float, str]] = [(0.0, "")] * len(_CATEGORIES)
    demoted: list[tuple[int, int]] = []
    standing: set[int] = set()
    # The capitalisation test reads English: German capitalises every noun, French headings are sentence case.
    headings = lang == "en" and _is_list_of_headings(text)
    for i in _active_cues(lowered, lang) if gated else range(len(lex.cues)):
        cue = lex.cues[i]
        m = cue.pattern.search(text if cue.cased else lowered)
        if m is None:
            continue
        weight = _positional_weight(cue, m.start(), headings)
        if cue.demotes:
            demoted.extend((cue.category, d) for d in cue.demotes)
        if cue.stands:
            standing.add(cue.category)
        miss[cue.category] *= 1.0 - weight  # noisy-or: each distinct cue is independent evidence
        if not cue.aside:
            core[cue.category] *= 1.0 - weight
        if weight > best[cue.category][0]:
            quote = text[m.start() : m.end()] if same or cue.cased else m.group(0)
            best[cue.category] = (weight, quote)
    for category, weight, label in _shape_cues(text, headings) if lang == "en" else _short_cue(text):
        miss[category] *= 1.0 - weight
        core[category] *= 1.0 - weight
        if weight > best[category][0]:
            best[category] = (weight, label)
    return _Scored([1.0 - m for m in miss], [b[1] for b in best], demoted, [1.0 - m for m in core], standing)


def _short_cue(text: str) -> list[tuple[int, float, str]]:
    """The one shape cue that reads every language: a short segment is a heading or a fragment."""
    return [(_OTHER, SHORT_SEGMENT_OTHER, "(short segment)")] if len(text.split()) <= SHORT_SEGMENT_WORDS else []


def cue_language(language: str | None) -> str:
    """The cues a document's detected language reads with: its own when the lexicon has them, else English
    (the tags of other languages are then the English cues' guess; `tagger_languages` says so)."""
    return language if language in _LEXICONS else "en"


def tag_text(text: str, gated: bool = True, lang: str = "en") -> list[Tag]:
    """Tags of one segment: the OPP-115 categories kept by the decoding above and every marker reaching FIRE_AT,
    each with its score and the strongest cue."""
    scores, cues, demoted, core, standing = _score(text, gated, lang)
    n = len(OPP115_CATEGORIES)
    best = max(range(n), key=scores.__getitem__)
    # The margin encodes how OPP-115's annotators labelled English segments; French and German cues are not tuned
    # on segment labels, so every category reaching its threshold is kept. A standing cue (`stands`: a stated
    # retention period) is a statement annotators label beside the practice the paragraph is about, so the margin
    # does not drop its category.
    bound = (1.0 - scores[best]) * MARGIN + 1e-12 if lang == "en" else 1.0
    keep = [
        scores[k] > 0 and scores[k] >= THRESHOLDS[c] and (1.0 - scores[k] <= bound or k in standing)
        for k, c in enumerate(OPP115_CATEGORIES)
    ]
    # A cue naming what a segment is about ("children under 13", "This Privacy Policy explains") demotes the
    # practices its wording mentions in passing ("we do not knowingly collect"): once its own category is kept,
    # theirs is dropped (English: the demotions encode how OPP-115's annotators labelled such segments).
    # An aside ("please note", "if you have questions, contact us") is kept as its category only where no other
    # practice is: next to one, it remarks on that practice.
    if lang == "en":
        for own, other in demoted:
            if own < n and keep[own]:
                keep[other] = False
        aside = [keep[k] and core[k] < THRESHOLDS[c] for k, c in enumerate(OPP115_CATEGORIES)]
        if any(aside) and any(keep[k] and not aside[k] for k in range(n)):
            keep = [keep[k] and not aside[k] for k in range(n)]
    if not any(keep) and scores[best] >= FALLBACK_AT:
        keep[best] = True
    if not any(keep) and lang == "en":
        keep[_OTHER] = True
        if not cues[_OTHER]:
            scores[_OTHER], cues[_OTHER] = 1.0 - scores[best], NO_PRACTICE_CUE
    keep += [s > 0 and s >= FIRE_AT for s in scores[n:]]
    return [Tag(c, round(scores[k], 3), cues[k][:80]) for k, c in enumerate(_CATEGORIES) if keep[k]]


class RulesTagger:
    """The default tagger: the project's own rules, with cues in English, French and German."""

    name = "rules"
    version = RULES_VERSION
    languages = LANGUAGES

    def tag_batch(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Tag]]:
        """Tags of each text, read with the cues of its document's language (English when not given), or of its
        own when it is a long passage surely written in another language the cues read (`passage_language`)."""
        documents = [None] * len(texts) if languages is None else languages
        return [
            tag_text(t, lang=passage_language(t, cue_language(lang), LANGUAGES))
            for t, lang in zip(texts, documents, strict=True)
        ]
