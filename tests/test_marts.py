"""The marts on a small warehouse built from synthetic captures, and the queries documented in docs/queries.md."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from synthetic import build_warehouse

from pipelines.warehouse import models, tables

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "docs" / "queries.md"


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    db = build_warehouse(tmp_path_factory.mktemp("marts") / "w.duckdb")
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def documented_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", QUERIES.read_text(), re.S)


def test_readme_shows_the_documented_queries() -> None:
    """The README's "Querying the warehouse" commands run the SQL tested here, so the two cannot drift apart."""

    def squash(sql: str) -> str:
        return " ".join(line.split("--")[0].strip() for line in sql.splitlines() if line.strip()).strip().rstrip(";")

    commands = re.findall(r'policy-history query "((?:[^"\\]|\\.)*)"', (ROOT / "README.md").read_text())
    readme = {squash(c.replace("\\$", "$")) for c in commands}
    queries = documented_queries()
    assert len(queries) == 2
    for sql in queries:
        assert squash(sql) in readme, sql


def test_every_sql_model_states_its_grain() -> None:
    for path in models.model_files():
        head = "\n".join(path.read_text().splitlines()[:3]).lower()
        assert head.startswith("--") and "grain" in head, path


def test_share_of_sites_mentioning_gdpr_by_year(con: duckdb.DuckDBPyConnection) -> None:
    gdpr_query = documented_queries()[0]
    rows = con.execute(gdpr_query).fetchall()
    # alpha adds GDPR rights in 2018-07, beta in 2019-01, gamma never; sites count once their first policy is seen,
    # and not in a year whose end is more than 18 months after their version in force was last seen: beta's first
    # version was last captured 2017-05-01 and its next first seen 2019-01-15, so 2018 does not count beta.
    assert [(r[0], r[1], r[2]) for r in rows] == [(2016, 1, 0), (2017, 2, 0), (2018, 2, 1), (2019, 3, 2), (2020, 3, 2)]
    assert rows[3][3] == pytest.approx(2 / 3, abs=1e-4)


@pytest.mark.parametrize(
    ("site", "after", "by"),
    [("alpha", datetime(2019, 3, 1), datetime(2020, 2, 1)), ("beta", None, datetime(2017, 5, 1))],
)
def test_when_site_started_sharing_with_third_parties(
    con: duckdb.DuckDBPyConnection, site: str, after: datetime | None, by: datetime
) -> None:
    sharing_query = documented_queries()[1]
    rows = con.execute(sharing_query, {"site_id": site}).fetchall()
    assert len(rows) == 1
    _, _, change, changed_after, valid_from = rows[0]
    assert (changed_after, valid_from) == (after, by)
    assert change == ("gained" if after else "first_seen")
    assert con.execute(sharing_query, {"site_id": "gamma"}).fetchall() == []


def test_version_keys_unique_and_windows_consistent(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("select count(*) - count(distinct version_id) from versions").fetchone()[0] == 0
    assert con.execute("select count(*) - count(distinct to_version_id) from changes").fetchone()[0] == 0
    # every change's interval ends where the later version starts
    bad = con.execute(
        "select count(*) from changes c join versions v on v.version_id = c.to_version_id "
        "where c.valid_from <> v.valid_from or c.changed_after >= c.valid_from"
    ).fetchone()[0]
    assert bad == 0


def test_coverage_marks_years_without_captures_as_gaps(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select year, status, version_id from coverage_by_site_year where site_id = 'beta'").fetchall()
    assert rows == [
        (2017, "policy", "beta#001"),
        (2018, "gap", "beta#001"),
        (2019, "policy", "beta#002"),
        (2020, "policy", "beta#002"),
    ]


def test_gdpr_window_is_a_balanced_panel(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select site_id, version_before, version_after, practice_before, practice_after from regulatory_windows "
        "where event = 'GDPR' order by site_id"
    ).fetchall()
    # gamma's first capture is after the window opens, so it is not in the panel
    assert rows == [("alpha", "alpha#001", "alpha#002", False, True), ("beta", "beta#001", "beta#002", False, True)]
    assert con.execute("select count(*) from regulatory_windows where event = 'CCPA'").fetchone()[0] == 0


def test_prevalence_and_lengths_count_policies_in_force(con: duckdb.DuckDBPyConnection) -> None:
    share = con.execute(
        "select share from practice_prevalence_by_year where year = 2020 and practice_id = 'third_party_sharing'"
    ).fetchone()[0]
    assert share == pytest.approx(2 / 3, abs=1e-4)
    n = dict(con.execute("select year, n_sites_covered from length_readability_by_year").fetchall())
    assert n == {2016: 1, 2017: 2, 2018: 2, 2019: 3, 2020: 3}  # beta not seen in 18 months by 2018's end
    runs = con.execute("select site_id, longest_run_start, longest_run_end from survivor_panels order by 1").fetchall()
    assert runs == [("alpha", 2016, 2020), ("beta", 2019, 2020), ("gamma", 2018, 2018)]


def test_current_document_is_the_newest_extractor_version_compared_as_numbers(tmp_path: Path) -> None:
    """After a re-extraction the marts read the new documents: 0.10.0 is newer than 0.9.0, though not as text."""
    with tables.connect(tmp_path / "w.duckdb") as con:
        con.executemany(
            "INSERT INTO documents (payload_sha256, extractor_version, text) VALUES (?, ?, ?)",
            [("p1", "0.9.0", "old"), ("p1", "0.10.0", "new"), ("p2", "0.2.0", "only")],
        )
        models.run_models(con)
        got = con.execute("SELECT payload_sha256, text FROM stg_documents_current ORDER BY 1").fetchall()
    assert got == [("p1", "new"), ("p2", "only")]


def test_a_model_built_site_batch_by_site_batch_equals_one_built_in_one_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some models are built a batch of sites at a time, to fit a fixed memory limit: one site per batch must give
    every model exactly the rows that one batch for all sites gives (no site lost or counted twice)."""
    db = build_warehouse(tmp_path / "w.duckdb")
    names = [p.stem for p in models.model_files()]
    with tables.connect(db) as c:
        n_sites = c.execute("SELECT count(DISTINCT site_id) FROM policy_versions").fetchone()[0]
        assert n_sites >= 3
        monkeypatch.setattr(models, "MODEL_BATCH_ROWS", 10**9)
        models.run_models(c)
        for t in names:
            c.execute(f"CREATE TABLE one_{t} AS SELECT * FROM {t}")
        monkeypatch.setattr(models, "MODEL_BATCH_ROWS", 1)
        models.run_models(c)
        assert c.execute("SELECT count(*) FROM stg_version_practices").fetchone()[0] > n_sites
        for t in names:
            extra, missing = (
                c.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0]
                for a, b in ((t, f"one_{t}"), (f"one_{t}", t))
            )
            assert (extra, missing) == (0, 0), t
