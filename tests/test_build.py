"""A real Dagster materialization of the whole graph, from a WARC built in the test."""

import logging
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.build import build

PAGE = """<html><head><title>Privacy Policy</title></head><body><nav>Home | About</nav><main>
<h1>Privacy Policy</h1><p>Last updated: March 3, 2019</p><h2>Information we collect</h2>
<p>We collect personal information such as your name and email address when you register.</p>
<h2>Sharing</h2><p>We share personal information with third parties who provide services to us.</p>
{extra}</main><footer>&copy; {year} Acme</footer></body></html>"""


def write_warc(path: Path, pages: list[tuple[str, str, bytes, int]]) -> None:
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, ts, body, status in pages:
            h = StatusAndHeaders(f"{status} X", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = w.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=h, warc_headers_dict={"WARC-Date": ts}
            )
            w.write_record(rec)


def test_build_materializes_every_table_and_is_idempotent(tmp_path: Path) -> None:
    url = "http://www.acme.example/privacy"
    v1 = PAGE.format(extra="", year=2019).encode()
    v1b = PAGE.format(extra="", year=2020).encode()  # copyright year only: same version
    v2 = PAGE.format(extra="<p>We retain your data for 30 days after you close your account.</p>", year=2020).encode()
    warc = tmp_path / "a.warc.gz"
    write_warc(
        warc,
        [
            (url, "2019-03-05T00:00:00Z", v1, 200),
            (url, "2020-01-05T00:00:00Z", v1b, 200),
            (url, "2020-06-05T00:00:00Z", v2, 200),
            (url, "2021-06-05T00:00:00Z", b"<html><body>Not found</body></html>", 404),
        ],
    )
    db = tmp_path / "w.duckdb"
    first = build(db, [warc])
    assert first["ok"], first
    assert first["failed_checks"] == []
    published = Path(first["published_db"])
    assert published == tmp_path / "w.published" / "policy.duckdb"
    assert Path(first["dashboard"]).stat().st_mode & 0o777 == 0o644  # for the web server and colleagues
    assert Path(first["dashboard"]).read_text().startswith("<!doctype html>")
    first_inode = published.stat().st_ino
    again = build(db, [warc])
    assert again["tables"] == first["tables"]  # a rerun neither duplicates nor loses rows
    # nothing new: the publication is left as it is (test_incremental shows a load makes a fresh copy)
    assert published.stat().st_ino == first_inode
    assert not published.stat().st_mode & 0o222
    with duckdb.connect(str(published), read_only=True) as pub:
        assert pub.execute("select count(*) from policy_versions").fetchone()[0] == 2
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from captures").fetchone()[0] == 4
    assert con.execute("select fetch_status from captures where status_code = 404").fetchone()[0] == "http_error"
    versions = con.execute("select n_captures, is_current from policy_versions order by version_no").fetchall()
    assert versions == [(2, False), (1, True)]
    gained = con.execute("select practices_gained from version_changes").fetchone()[0]
    assert "data_retention" in gained
    assert con.execute("select count(*) from practice_prevalence_by_year").fetchone()[0] > 0


def test_long_stages_log_their_progress(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from pipelines.runtime import staging

    monkeypatch.setattr(staging, "PROGRESS_SECONDS", 0.0)
    batches = [{"rows": 32}, {"rows": 32}, {"rows": 6}]
    with caplog.at_level(logging.INFO, logger="pipelines.runtime.staging"):
        assert list(staging.with_progress(iter(batches), "documents", 70, 32)) == batches
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("documents: 32 of 70 (46%)") and lines[-1].startswith("documents: 70 of 70 (100%)")


def test_to_do_lists_hold_keys_and_texts_are_read_by_batch(tmp_path: Path) -> None:
    """The segments and tags stages list keys only and read texts a batch at a time, by rowid range; a rowid
    that no longer holds its key (rowids may move at a checkpoint) is looked up by key, never paired wrongly."""
    from pipelines.runtime import staging
    from pipelines.warehouse import tables

    with tables.connect(tmp_path / "w.duckdb") as con:
        con.executemany(
            "INSERT INTO segments (text_sha256, text) VALUES (?, ?)", [(f"k{i}", f"text {i}") for i in range(10)]
        )
        rows = con.execute("SELECT rowid, text_sha256 FROM segments ORDER BY rowid").fetchall()
        # k7's rowid is stale: it points at k8's row
        todo = [(r, k) for r, k in rows if k not in ("k7", "k8")] + [(rows[8][0], "k7")]
        todo.sort()
        con.execute("CREATE TEMP TABLE _todo (_i BIGINT, c0 BIGINT, c1 VARCHAR)")
        con.executemany("INSERT INTO _todo VALUES (?, ?, ?)", [(i + 1, r, k) for i, (r, k) in enumerate(todo)])
        batches = list(staging.with_texts(con, "segments", 4))
    assert [len(b) for b in batches] == [4, 4, 1]
    got = [pair for b in batches for pair in b]
    assert sorted(got) == sorted((k, f"text {k[1:]}") for _, k in todo)


def test_a_documents_segments_are_read_by_key_when_its_rowid_range_is_stale(tmp_path: Path) -> None:
    """The changes stage reads a document's segments within the rowid range noted per shard; a document whose
    rows are no longer all in that range (rowids may move at a checkpoint) is read by key, whole."""
    from pipelines.history import stage
    from pipelines.text.extract import EXTRACTOR_VERSION
    from pipelines.warehouse import tables

    with tables.connect(tmp_path / "w.duckdb") as con:
        con.executemany(
            "INSERT INTO segments (payload_sha256, extractor_version, segment_id, position, text)"
            " VALUES (?, ?, ?, ?, ?)",
            [(doc, EXTRACTOR_VERSION, f"{doc}{i}", i, f"{doc} text {i}") for doc in "ab" for i in range(3)],
        )
        con.execute(
            """CREATE TEMP TABLE _shard_segments AS SELECT payload_sha256, min(rowid) AS lo, max(rowid) AS hi,
               count(*) AS n FROM segments GROUP BY 1"""
        )
        con.execute("UPDATE _shard_segments SET hi = lo + 1 WHERE payload_sha256 = 'b'")  # misses b's last row
        got = stage._segments_of(con, ["a", "b"])
    assert got == {doc: {f"{doc}{i}": f"{doc} text {i}" for i in range(3)} for doc in "ab"}


def test_a_failed_step_is_reported_by_its_root_cause() -> None:
    """Dagster wraps a step's error in one that names only the step; the build summary gives the cause."""
    from dagster._utils.error import SerializableErrorInfo

    from pipelines.build import _root_cause

    cause = SerializableErrorInfo("OutOfMemoryException: could not allocate\n  block of size 256KB\n", [], "OOM")
    wrapper = SerializableErrorInfo('Error occurred while executing op "marts":\n', [], "StepError", cause=cause)
    assert _root_cause(wrapper) == "OutOfMemoryException: could not allocate block of size 256KB"
