"""Incremental stages: a rerun with nothing new does no extraction, segmenting, tagging or regrouping, and
new input recomputes only what it touches. (The whole-build rerun is in test_sample_truth.)"""

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from synthetic import COLLECT, GDPR, HISTORY, build_warehouse, policy

from pipelines.archive.store import RawStore
from pipelines.history import stage as history_stage
from pipelines.history.stage import build_changes, build_versions
from pipelines.practices.rules import RulesTagger
from pipelines.practices.stage import tag_segments
from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.text.normalize import text_hash
from pipelines.text.stage import extract_documents, segment_documents
from pipelines.warehouse import models, tables
from pipelines.warehouse.publish import publish, published_dir
from pipelines.warehouse.schema import TABLES

SITE = next(iter(HISTORY))


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {name: sorted(map(repr, con.execute(f"SELECT * FROM {name}").fetchall())) for name in TABLES}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("incremental") / "policy.duckdb")


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built warehouse: the tests change it."""
    return Path(shutil.copy(built, tmp_path / "policy.duckdb"))


def test_rerun_with_nothing_new_does_no_work(db: Path, tmp_path: Path) -> None:
    empty_store = RawStore(tmp_path / "no-payloads-here")  # extraction would fail reading it
    tagger = RulesTagger()
    with tables.connect(db) as con:
        before = table_rows(con)
        assert extract_documents(con, empty_store, [0])["extracted"] == 0
        assert segment_documents(con, [0])["documents"] == 0
        assert tag_segments(con, tagger, [0])["texts_tagged"] == 0
        assert build_versions(con, [0]).get("unchanged") == 1
        assert build_changes(con, tagger, [0]).get("unchanged") == 1
        assert table_rows(con) == before


def test_a_new_capture_recomputes_only_what_it_touches(db: Path) -> None:
    tagger = RulesTagger()
    text = policy(SITE, 2024, COLLECT, GDPR) + "\n\nWe now also keep a record of your consent choices for 24 months."
    sha = text_hash(text + "payload")
    when = datetime(2024, 6, 1)
    with tables.connect(db) as con:
        n_versions = con.execute("SELECT count(*) FROM policy_versions").fetchone()[0]
        n_texts = con.execute("SELECT count(*) FROM tagged_texts").fetchone()[0]
        tables.upsert(
            con,
            "captures",
            [{"capture_id": sha, "site_id": SITE, "url": f"https://{SITE}.example/privacy", "captured_at": when,
              "payload_sha256": sha, "fetch_status": "ok", "record_type": "response", "shard": 0}],
        )  # fmt: skip
        tables.upsert(
            con,
            "documents",
            [{"payload_sha256": sha, "extractor_version": EXTRACTOR_VERSION, "status": "ok", "text": text,
              "text_sha256": text_hash(text), "is_policy": True, "word_count": len(text.split())}],
        )  # fmt: skip
        assert segment_documents(con, [0])["documents"] == 1
        tagged = tag_segments(con, tagger, [0])["texts_tagged"]
        # only texts never seen before: the new paragraph, not the ones the site's earlier versions share
        assert 1 <= tagged < n_texts
        assert "unchanged" not in build_versions(con, [0])
        assert "unchanged" not in build_changes(con, tagger, [0])
        assert con.execute("SELECT count(*) FROM policy_versions").fetchone()[0] == n_versions + 1
        assert con.execute("SELECT is_current FROM policy_versions WHERE payload_sha256 = ?", [sha]).fetchone()[0]
        # and a second pass over the same inputs does nothing again
        assert build_versions(con, [0]).get("unchanged") == 1


def test_a_changed_document_regroups_versions(db: Path) -> None:
    with tables.connect(db) as con:
        assert build_versions(con, [0]).get("unchanged") == 1
        con.execute("UPDATE documents SET stated_date = DATE '2001-01-01' WHERE payload_sha256 = "
                    "(SELECT min(payload_sha256) FROM documents)")  # fmt: skip
        assert "unchanged" not in build_versions(con, [0])


def test_versions_and_changes_loaded_job_by_job_survive_a_crash_mid_shard(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jobs of one site each, loaded as they come, give the rows one job per shard gives; a build killed after
    loading part of a shard leaves the shard stale, and the next run replaces it whole (no row twice)."""
    compared = ("policy_versions", "capture_versions", "version_changes")
    tagger = RulesTagger()
    with tables.connect(db) as con:
        before = {t: rows for t, rows in table_rows(con).items() if t in compared}
        assert all(before.values()) and len(HISTORY) >= 3
        con.execute("DELETE FROM stage_state")
        monkeypatch.setattr(history_stage, "SITE_CHUNK", 1)
        monkeypatch.setattr(history_stage, "LOAD_EVERY", 1)
        load, loaded = history_stage._load_chunk, []

        def killed_at_the_second_load(*args: object) -> None:
            load(*args)
            loaded.append(sorted(table for table, _ in args[2]))
            if len(loaded) == 2:  # the first site's versions and links, then the second site's
                raise KeyboardInterrupt

        monkeypatch.setattr(history_stage, "_load_chunk", killed_at_the_second_load)
        with pytest.raises(KeyboardInterrupt):
            build_versions(con, [0])
        assert loaded == [["capture_versions", "policy_versions"]] * 2
        monkeypatch.setattr(history_stage, "_load_chunk", load)
        assert build_versions(con, [0])["sites"] == len(HISTORY)
        assert build_changes(con, tagger, [0])["changes"] > 0
        assert {t: rows for t, rows in table_rows(con).items() if t in compared} == before


def test_marts_and_publication_are_redone_only_after_a_load(db: Path, tmp_path: Path) -> None:
    out = published_dir(db)
    with tables.connect(db) as con:
        models.build_models(con)  # the fixture's warehouse has its models; this records what they were built from
        assert models.build_models(con) is None
    first = publish(db, out)
    assert not first["unchanged"]
    board = (out / "dashboard.html").stat().st_mtime_ns
    again = publish(db, out)
    assert again["unchanged"] and again["exported"] == first["exported"]
    assert (out / "dashboard.html").stat().st_mtime_ns == board  # nothing rewritten
    with tables.connect(db) as con:
        # a load (here: one more version-less capture) moves the data generation: models and publication follow
        tables.upsert(
            con,
            "captures",
            [{"capture_id": "new", "site_id": SITE, "url": f"https://{SITE}.example/privacy",
              "captured_at": datetime(2025, 1, 1), "fetch_status": "http_error", "record_type": "response",
              "shard": 0}],
        )  # fmt: skip
        assert models.build_models(con) is not None
    copy = out / "policy.duckdb"
    inode = copy.stat().st_ino
    assert not publish(db, out)["unchanged"]
    assert copy.stat().st_ino != inode  # a fresh copy, renamed over the old one
    assert not copy.stat().st_mode & 0o222  # read-only


def test_raw_store_rewrites_an_empty_file(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    digest = store.put(b"payload", sync=False)
    store.path(digest).write_bytes(b"")  # what an unflushed write can leave after a power cut
    assert not store.has(digest)
    store.put(b"payload")
    assert store.has(digest) and store.get(digest) == b"payload"


def test_tags_of_texts_sharing_a_hash_do_not_depend_on_load_order(tmp_path: Path) -> None:
    # Equal but for markdown emphasis, so one hash; the rules read the raw text and tag these two differently.
    plain = "This Privacy Policy applies to all Services published by Acme that you use."
    marked = "This **Privacy Policy applies to all Services published by Acme** that you use."
    assert text_hash(plain) == text_hash(marked)
    tagger = RulesTagger()
    assert tagger.tag_batch([plain]) != tagger.tag_batch([marked])
    results = []
    for order in ((plain, marked), (marked, plain)):
        with tables.connect(tmp_path / f"{len(results)}.duckdb") as con:
            rows = [
                {"payload_sha256": f"p{i}", "extractor_version": EXTRACTOR_VERSION, "segment_id": f"s{i}",
                 "position": 0, "heading_path": [], "kind": "paragraph", "text": text, "text_sha256": text_hash(text)}
                for i, text in enumerate(order)
            ]  # fmt: skip
            tables.append(con, "segments", rows)
            tables.append(
                con, "captures", [{"capture_id": f"c{i}", "payload_sha256": f"p{i}", "shard": 0} for i in range(2)]
            )
            tag_segments(con, tagger, [0])
            results.append(con.execute("SELECT * FROM segment_practices ORDER BY ALL").fetchall())
    assert results[0] and results[0] == results[1]
