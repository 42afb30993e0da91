"""The reviewed sources files load, and the sample's stays in step with the generator."""

from pathlib import Path

import pytest

from pipelines.archive.sources import SourcesError, load_sources, url_key
from pipelines.sample.archive import write_sample

CONFIG = Path(__file__).resolve().parent.parent / "config"


def test_sample_sources_match_the_generator(tmp_path: Path) -> None:
    generated = load_sources(write_sample(tmp_path).sources)
    reviewed = load_sources(CONFIG / "sources.toml")
    assert reviewed.sites == generated.sites
    assert [p.name for p in reviewed.warc_paths] == ["sample.warc.gz"]


def test_url_matching_ignores_scheme_www_and_trailing_slash() -> None:
    assert url_key("https://www.Example.com/privacy/") == url_key("http://example.com/privacy")
    assert url_key("http://example.com/privacy?lang=en") != url_key("http://example.com/privacy")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[site]]\nid = 'Bad Id'\npolicy_urls = ['http://a/']", "needs an id"),
        ("[[site]]\nid = 'a'\n[[site]]\nid = 'a'\npolicy_urls = ['http://a/']", "needs policy_urls"),
        ("[[site]]\nid = 'a'\npolicy_urls = ['http://a/']\n[[site]]\nid = 'a'\npolicy_urls = ['http://b/']", "twice"),
        ("site = [", "not valid TOML"),
        ("", "no [[site]]"),
    ],
)
def test_bad_sources_files_fail_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(SourcesError, match=message.replace("[", r"\[")):
        load_sources(path)


def test_warehouse_memory_limit_is_bounded_and_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.warehouse import tables

    def limit() -> float:
        with tables.connect(tmp_path / "w.duckdb") as con:
            number, unit = con.execute("select current_setting('memory_limit')").fetchone()[0].split()
        return float(number) * 1024 ** ["KiB", "MiB", "GiB", "TiB"].index(unit)

    monkeypatch.delenv("POLICY_HISTORY_DUCKDB_MEMORY", raising=False)
    default = limit()
    assert default <= 4 * 1024**2  # KiB: bounded, not DuckDB's 80% of the machine
    monkeypatch.setenv("POLICY_HISTORY_DUCKDB_MEMORY", "300MB")
    assert limit() < default
    monkeypatch.setenv("POLICY_HISTORY_DUCKDB_MEMORY", "lots")
    with pytest.raises(ValueError, match="512MB"):
        limit()


def test_connect_gives_an_older_warehouse_its_missing_tables_and_columns(tmp_path: Path) -> None:
    import duckdb

    from pipelines.warehouse import tables
    from pipelines.warehouse.schema import TABLES

    db = tmp_path / "w.duckdb"
    with tables.connect(db):
        pass
    old = duckdb.connect(str(db))  # as an earlier release left it: a column and a table fewer
    old.execute("ALTER TABLE documents DROP COLUMN extraction_key")
    old.execute("DROP TABLE version_changes")
    old.close()
    with tables.connect(db) as con:
        columns = {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in TABLES}
        assert con.execute("SELECT count(*) FROM stage_state").fetchone()[0] == 0
    assert columns == {t.name: t.column_names for t in TABLES.values()}
