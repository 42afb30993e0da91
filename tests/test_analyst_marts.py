"""What an analyst reads must be true (issue 22): languages, one name per practice, real zeros, stale sites.

Built through the real stages on synthetic histories (tests/synthetic.py): each test states the history it reads.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from synthetic import COLLECT, HISTORY, SHARING, build_warehouse, policy

from pipelines.practices.catalog import CATALOG, PRACTICE_OF, load_catalog
from pipelines.practices.vocabulary import VOCABULARY, VocabularyError
from pipelines.warehouse import models, tables
from pipelines.warehouse.schema import TABLES

SPANISH = (
    "# Política de privacidad\n\nEsta política de privacidad describe cómo Delta trata su información personal.\n\n"
    "## Recopilación\n\nRecopilamos su nombre y su dirección de correo electrónico cuando crea una cuenta.\n\n"
    "## Compartir\n\nCompartimos su información personal con terceros con fines publicitarios.\n\n"
    "© {year} Delta S.L. Todos los derechos reservados.\n"
)
DNT = "## Do Not Track\n\nWe do not respond to Do Not Track signals sent by your browser.\n\n"

# delta: an English policy that shares with third parties, then its Spanish translation (a language the rules
# tagger does not read), then an edit of the Spanish text. stale: seen in 2016 and never again.
LANG_HISTORY = {
    **HISTORY,
    "delta": [
        (datetime(2016, 4, 1), policy("Delta", 2016, COLLECT, SHARING, DNT)),
        (datetime(2018, 4, 1), SPANISH.format(year=2018)),
        (datetime(2019, 4, 1), SPANISH.format(year=2019).replace("Compartimos", "No vendemos; compartimos")),
        (datetime(2020, 4, 1), SPANISH.format(year=2019).replace("Compartimos", "No vendemos; compartimos")),
    ],
    "stale": [(datetime(2016, 2, 1), policy("Stale", 2016, COLLECT, SHARING))],
}


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    db = build_warehouse(tmp_path_factory.mktemp("analyst") / "w.duckdb", LANG_HISTORY)
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def test_a_translation_is_a_change_of_language_not_lost_practices(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select version_no, language, change_kind, practices_gained, practices_lost from site_timeline "
        "where site_id = 'delta' order by version_no"
    ).fetchall()
    assert [r[:3] for r in rows] == [(1, "en", None), (2, "es", "translated"), (3, "es", "edited")]
    assert rows[1][3:] == (None, None)  # unknown, not "lost everything"
    assert rows[2][3:] == (None, None)  # an edit in a language the tagger does not read: unknown too
    lost = con.execute("select count(*) from practice_changes where site_id = 'delta' and change = 'lost'")
    assert lost.fetchone()[0] == 0
    # the English version's practices are there; the Spanish ones are unknown (null), not empty
    practices = con.execute("select version_no, practices from versions where site_id = 'delta' order by 1").fetchall()
    assert "third_party_sharing" in practices[0][1]
    assert [p for _, p in practices[1:]] == [None, None]


def test_shares_leave_unread_sites_out_and_say_how_many(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "select n_sites_in_force, n_sites_unread, n_sites_covered, n_sites_with_practice, share "
        "from practice_prevalence_by_year where year = 2019 and practice_id = 'third_party_sharing'"
    ).fetchone()
    # alpha, beta, gamma in English and delta in Spanish are in force at the end of 2019 (stale is not)
    in_force, unread, covered, with_practice, share = row
    assert (in_force, unread, covered) == (4, 1, 3)
    # beta shares in 2019 (alpha starts only in 2020, gamma never); delta's Spanish text counts neither way
    assert with_practice == 1 and share == pytest.approx(1 / 3, abs=1e-4)


def test_a_practice_two_labels_name_is_one_practice_counted_once(con: duckdb.DuckDBPyConnection) -> None:
    labels = con.execute(
        "select distinct category from segment_practices where category in ('Do Not Track', 'do_not_track')"
    ).fetchall()
    assert len(labels) == 2  # both the OPP-115 category and the marker fired on delta's DNT section
    rows = con.execute(
        "select practice_id, n_segments from stg_version_practices where version_id = 'delta#001' "
        "and practice_id = 'do_not_track'"
    ).fetchall()
    assert rows == [("do_not_track", 1)]
    known = {r[0] for r in con.execute("select practice_id from practices").fetchall()}
    for mart in ("practice_prevalence_by_year", "practice_changes", "stg_version_practices"):
        ids = {r[0] for r in con.execute(f"select distinct practice_id from {mart}").fetchall()}
        assert ids and ids <= known, mart
    old_label = con.execute("select count(*) from practice_prevalence_by_year where practice_id = 'Do Not Track'")
    assert old_label.fetchone()[0] == 0


def test_prevalence_has_a_row_for_every_year_and_practice(con: duckdb.DuckDBPyConnection) -> None:
    years = con.execute("select min(year), max(year) from practice_prevalence_by_year").fetchone()
    assert years == (2016, 2020)
    n_taggers = con.execute("select count(distinct (tagger, tagger_version)) from tagger_languages").fetchone()[0]
    n = con.execute("select count(*) from practice_prevalence_by_year").fetchone()[0]
    assert n == 5 * len(CATALOG) * n_taggers
    zeros = con.execute(
        "select count(*) from practice_prevalence_by_year where share = 0 and n_sites_with_practice = 0"
    ).fetchone()[0]
    assert zeros > 0  # e.g. Safe Harbor: no site has it, every year has its row
    # a sum over years is a sum over the site-years that have the practice
    total = con.execute(
        "select sum(n_sites_with_practice) from practice_prevalence_by_year where practice_id = 'gdpr'"
    ).fetchone()[0]
    direct = con.execute(
        "select count(*) from stg_versions_in_force f join stg_version_practices p using (version_id) "
        "where f.covered and p.practice_id = 'gdpr'"
    ).fetchone()[0]
    assert total == direct > 0


def test_a_site_not_seen_for_18_months_is_not_in_force(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute("select year, covered from stg_versions_in_force where site_id = 'stale' order by 1").fetchall()
    )
    # last captured 2016-02-01: still counted at the end of 2016, no longer at the end of 2017 (23 months later)
    assert rows == {2016: True, 2017: False, 2018: False, 2019: False, 2020: False}
    n = dict(con.execute("select year, n_sites_covered from length_readability_by_year").fetchall())
    with_stale = dict(con.execute("select year, count(*) from stg_versions_in_force group by year").fetchall())
    assert n[2016] == with_stale[2016] and n[2020] < with_stale[2020]
    months = con.execute("select stale_after_months from stg_settings").fetchone()[0]
    assert months == 18


# Names an earlier release used for an idea another column names (docs/columns.md lists the renames).
OLD_NAMES = {
    "first_captured_at": "valid_from",
    "changed_before": "valid_from",
    "version_in_force": "version_id",
    "category": "practice_id",
    "n_sites": "n_sites_covered",
    "marker_share": "tagged_share",
    "n_sites_marker": "n_sites_tagged",
    "words_from": "word_count_from",
    "words_to": "word_count_to",
    "words_before": "word_count_before",
    "words_after": "word_count_after",
    "similarity_to_previous": "similarity",
    "marker": "practice_id",
}


def test_marts_use_one_name_per_idea(con: duckdb.DuckDBPyConnection) -> None:
    marts = [p.stem for p in models.model_files() if p.parent.name == "marts"]
    for mart in [*marts, "policy_versions", "version_changes"]:
        cols = {r[0] for r in con.execute(f"describe {mart}").fetchall()}
        # sites: first_captured_at is the site's first capture of any kind, not a version's start
        old = OLD_NAMES.keys() - ({"first_captured_at"} if mart == "sites" else set())
        assert not cols & old, (mart, cols & old)
    # every rename is documented
    doc = (Path(__file__).parents[1] / "docs" / "columns.md").read_text()
    for old, new in OLD_NAMES.items():
        assert re.search(rf"`{old}`.*`{new}`", doc), old


def test_a_warehouse_of_an_earlier_release_has_its_columns_renamed(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    old = duckdb.connect(str(db))
    old.execute("CREATE TABLE policy_versions (version_id VARCHAR, site_id VARCHAR, first_captured_at TIMESTAMP)")
    old.execute("INSERT INTO policy_versions VALUES ('a#001', 'a', TIMESTAMP '2019-01-01')")
    old.close()
    with tables.connect(db) as con:
        cols = [r[0] for r in con.execute("describe policy_versions").fetchall()]
        assert "first_captured_at" not in cols and set(TABLES["policy_versions"].column_names) <= set(cols)
        assert con.execute("select valid_from from policy_versions").fetchone()[0] == datetime(2019, 1, 1)


def test_every_tagger_label_means_exactly_one_practice() -> None:
    for label in (*VOCABULARY.practices, *VOCABULARY.markers):
        assert label in PRACTICE_OF, label
    assert PRACTICE_OF["Do Not Track"] == PRACTICE_OF["do_not_track"] == "do_not_track"
    assert len({p.name for p in CATALOG}) == len(CATALOG)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace('id = "gdpr"', 'id = "GDPR"'), "snake_case"),
        (lambda s: s.replace('labels = ["gdpr"]', 'labels = ["cookies"]'), "already means"),
        (lambda s: s.replace('kind = "regulation"', 'kind = "law"', 1), "`kind`"),
        (lambda s: s.replace('labels = ["gdpr"]', "labels = []"), "`labels`"),
    ],
)
def test_a_bad_practices_file_names_the_entry(tmp_path: Path, edit, message: str) -> None:
    from pipelines.practices.catalog import CATALOG_FILE

    bad = tmp_path / "practices.toml"
    bad.write_text(edit(CATALOG_FILE.read_text()))
    with pytest.raises(VocabularyError, match=message):
        load_catalog(bad)
