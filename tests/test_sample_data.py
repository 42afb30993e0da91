"""The sample's data files load, and a bad one fails naming the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.sample.library import SampleDataError, data_file, load_sections, load_sites, sections, sites
from pipelines.sample.model import PRACTICE_LABELS

SECTION = """
[[section]]
key = "intro"
level = 0
[[section.wording]]
[[section.wording.paragraph]]
text = "{company} respects your privacy."
practices = ["Other"]
"""

SITE = """
[[site]]
id = "acme"
name = "Acme"
company = "Acme, Inc."
start = 2005-04-12
features = ["us"]
policy_paths = ["/privacy"]
nav = ["Products"]
tagline = "Widgets."
address = "1 Main St"
date_phrase = "Last updated: {}"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_files_load() -> None:
    assert data_file("sections.toml").is_file() and data_file("sites.toml").is_file()
    assert len(sites()) == 5
    assert {p for s in sections() for alt in s.alts for para in alt for p in para.practices} == set(PRACTICE_LABELS)


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    (slot,) = load_sections(_write(tmp_path, SECTION))
    assert slot.headings == (None,) and slot.alts[0][0].practices == ("Other",)
    (site,) = load_sites(_write(tmp_path, SITE))
    assert site.base == "http://www.acme.example" and site.date_at_top


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('practices = ["Other"]', 'practices = ["Othr"]', "section 'intro' wording #1 paragraph #1: practices"),
        ("{company}", "{firm}", "unknown placeholder(s) ['firm']"),
        ("level = 0", 'level = 0\nneeds = "mars"', "section 'intro': needs 'mars'"),
        ("level = 0", "level = 0\nsince = 2020-01-01\nuntil = 2019-01-01", "since 2020-01-01 is after until"),
        ("level = 0", "level = 0\nheading = 'Intro'", "section 'intro': unknown key(s) ['heading']"),
        ("level = 0", 'level = "0"', "section 'intro': level must be an integer"),
        ('key = "intro"\n', "", "section #1: missing key 'key'"),
        ('text = "{company} respects your privacy."', "", "paragraph #1: missing key 'text'"),
    ],
)
def test_a_bad_section_names_the_file_and_key(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert old in SECTION
    path = _write(tmp_path, SECTION.replace(old, new))
    with pytest.raises(SampleDataError) as err:
        load_sections(path)
    assert str(path) in str(err.value) and says in str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('features = ["us"]', 'features = ["usa"]', "site 'acme': features: unknown value 'usa'"),
        ("start = 2005-04-12", 'start = "2005-04-12"', "site 'acme': start must be a date"),
        ('date_phrase = "Last updated: {}"', 'date_phrase = "Last updated"', "site 'acme': date_phrase"),
        ('policy_paths = ["/privacy"]', 'policy_paths = ["/privacy"]\nextras = ["move"]', "extras 'move' needs"),
        ('name = "Acme"', 'name = "Acme"\nname = "Acme"', "not valid TOML"),
    ],
)
def test_a_bad_site_names_the_file_and_key(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert old in SITE
    path = _write(tmp_path, SITE.replace(old, new))
    with pytest.raises(SampleDataError) as err:
        load_sites(path)
    assert str(path) in str(err.value) and says in str(err.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SampleDataError, match="sample data file not found: .*nowhere.toml"):
        load_sites(tmp_path / "nowhere.toml")


def test_a_translation_has_every_section_its_site_can_show_after_the_switch() -> None:
    """A translated version draws each section's words from the translation by key: one missing, or dated
    differently, would leave an English section in a French policy."""
    translated = [s for s in sites() if s.translation]
    assert translated
    for site in translated:
        tr = site.translation
        assert tr is not None
        french = {s.key: s for s in tr.slots}
        for slot in sections():
            if slot.until >= tr.since and (slot.needs is None or slot.needs in site.features):
                assert slot.key in french, slot.key
                other = french[slot.key]
                assert (other.since, other.until, other.needs, other.level) == (
                    slot.since, slot.until, slot.needs, slot.level,
                ), slot.key  # fmt: skip
                assert {p for alt in other.alts for para in alt for p in para.practices} <= set(PRACTICE_LABELS)


def test_a_bad_translation_names_the_site(tmp_path: Path) -> None:
    bad = tmp_path / "sites.toml"
    text = data_file("sites.toml").read_text(encoding="utf-8").replace("months = ['janvier', ", "months = [")
    bad.write_text(text, encoding="utf-8")
    (tmp_path / "sections.fr.toml").write_text(data_file("sections.fr.toml").read_text(encoding="utf-8"))
    with pytest.raises(SampleDataError, match="belair-outfitters' translation: months"):
        load_sites(bad)
