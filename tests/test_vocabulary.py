"""The vocabulary file's loader: the shipped file loads whole, and every kind of bad entry is refused with the
file and the entry named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.practices.vocabulary import LEXICON_FILE, VocabularyError, load_vocabulary

GOOD = """
[templates]
gap = '(?:\\w+ ){0,N}'
INFO = ['(?:information', '|data)']

[[category]]
name = "Data Retention"
kind = "practice"
threshold = 0.5

[[category.cue]]
weight = 0.7
pattern = '\\bretain <<gap 2>><<INFO>>'
triggers = 'retain & information data'

[[category]]
name = "cookies"
kind = "marker"

[[category.cue]]
weight = 0.9
pattern = '\\bcookies?\\b'
triggers = 'cookie'

[[category]]
name = "cookies_again"
kind = "marker"
cues_of = "cookies"
"""


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "lexicon.toml"
    path.write_text(text)
    return load_vocabulary(path)


def test_templates_expand_and_categories_keep_file_order(tmp_path: Path) -> None:
    vocab = _load(tmp_path, GOOD)
    assert vocab.practices == ("Data Retention",) and vocab.markers == ("cookies", "cookies_again")
    (cue,) = vocab.categories[0].cues
    assert cue.pattern == r"\bretain (?:\w+ ){0,2}(?:information|data)"
    assert vocab.categories[2].cues == vocab.categories[1].cues


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("weight = 0.7", "weight = 1.7", "cue #1"),
        ("weight = 0.7", "weight = 'high'", "`weight`"),
        ("<<gap 2>>", "<<gaps 2>>", "unknown template"),
        ("<<INFO>>", "<<INFO 3>>", "wrong use"),
        ("'\\bcookies?\\b'", "'\\bcookies?(\\b'", "does not compile"),
        ('kind = "marker"\n\n[[category.cue]]', 'kind = "flag"\n\n[[category.cue]]', "`kind`"),
        ("threshold = 0.5", "", "`threshold`"),
        ("triggers = 'cookie'", "triggers = 'cookie & '", "trigger group"),
        ("triggers = 'cookie'", "", "weight, pattern and triggers"),
        ("triggers = 'cookie'", "triggers = 'cookie'\nweigth = 0.3", "unknown key(s) weigth"),
        ('cues_of = "cookies"', 'cues_of = "biscuits"', "`cues_of`"),
        ('name = "cookies_again"', 'name = "cookies"', "`name`"),
        (
            "triggers = 'retain & information data'",
            "triggers = 'retain & information data'\ndemotes = ['cookies']",
            "`demotes`",
        ),
        (
            "triggers = 'retain & information data'",
            "triggers = 'retain & information data'\ndemotes = 'x'",
            "`demotes`",
        ),
        ("triggers = 'cookie'", "triggers = 'cookie'\naside = 'yes'", "`aside`"),
        ("triggers = 'cookie'", "triggers = 'cookie'\nstands = 1", "`stands`"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_file_and_the_entry(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert old in GOOD
    with pytest.raises(VocabularyError, match="lexicon.toml") as err:
        _load(tmp_path, GOOD.replace(old, new, 1))
    assert says in str(err.value)


def test_markers_come_after_the_practices(tmp_path: Path) -> None:
    practice = GOOD[GOOD.index("[[category]]") : GOOD.index('[[category]]\nname = "cookies"')]
    moved = GOOD.replace(practice, "") + "\n" + practice
    with pytest.raises(VocabularyError, match="practices come first"):
        _load(tmp_path, moved)


def test_the_shipped_vocabulary_loads_every_category_with_cues() -> None:
    vocab = load_vocabulary(LEXICON_FILE)
    assert len(vocab.practices) == 10 and "gdpr" in vocab.markers
    assert all(c.cues for c in vocab.categories)


FRENCH_CUE = """
[[category.cue]]
lang = "fr"
weight = 0.9
pattern = '\\bcookies?\\b|\\btraceurs?\\b'
triggers = 'cookie traceur'
"""


def test_a_cue_reads_english_unless_it_names_its_languages(tmp_path: Path) -> None:
    text = GOOD.replace("triggers = 'cookie'\n", "triggers = 'cookie'\n" + FRENCH_CUE, 1)
    vocab = _load(tmp_path, text)
    assert [q.langs for q in vocab.categories[1].cues] == [("en",), ("fr",)]
    assert len(vocab.cues_in("fr")["cookies"]) == 1 and vocab.cues_in("de")["cookies"] == []
    both = _load(tmp_path, text.replace('lang = "fr"', 'lang = ["fr", "de"]'))
    assert both.cues_in("de")["cookies"] == both.cues_in("fr")["cookies"]


@pytest.mark.parametrize(("lang", "says"), [('"es"', "`lang`"), ("[]", "`lang`"), ("3", "`lang`")])
def test_a_cue_in_an_unknown_language_is_refused(tmp_path: Path, lang: str, says: str) -> None:
    text = GOOD.replace("triggers = 'cookie'\n", "triggers = 'cookie'\n" + FRENCH_CUE.replace('"fr"', lang), 1)
    with pytest.raises(VocabularyError, match="lexicon.toml") as err:
        _load(tmp_path, text)
    assert says in str(err.value)


def test_a_category_needs_english_cues(tmp_path: Path) -> None:
    cue = "weight = 0.9\npattern = '\\bcookies?\\b'"
    text = GOOD.replace(cue, "lang = 'fr'\n" + cue)
    assert text != GOOD
    with pytest.raises(VocabularyError, match="no English cues"):
        _load(tmp_path, text)


def test_the_shipped_vocabulary_has_french_and_german_cues_for_every_opp115_category() -> None:
    vocab = load_vocabulary(LEXICON_FILE)
    for lang in ("fr", "de"):
        cues = vocab.cues_in(lang)
        assert all(cues[c] for c in vocab.practices if c != "Other"), lang
