"""Segmenting each text once: documents that share a text get the rows segmenting each of them would give."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
from synthetic import COLLECT, GDPR, SHARING, policy

from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.text.normalize import text_hash
from pipelines.text.segment import segment_markdown
from pipelines.text.stage import segment_documents
from pipelines.warehouse import tables

TEXTS = [policy("Alpha", 2019, COLLECT, GDPR), policy("Alpha", 2020, COLLECT, SHARING, GDPR)]


def _load(con: duckdb.DuckDBPyConnection, payloads: list[tuple[str, str]]) -> None:
    """Captures and policy documents for (payload id, text) pairs."""
    rows, docs = [], []
    for n, (pid, text) in enumerate(payloads):
        sha = hashlib.sha256(pid.encode()).hexdigest()
        when = datetime(2019, 1, 1 + n)
        rows.append(
            {
                "capture_id": f"c-{pid}",
                "site_id": "alpha",
                "url": "https://alpha.example/privacy",
                "captured_at": when,
                "status_code": 200,
                "mime": "text/html",
                "record_type": "response",
                "source": "test",
                "payload_sha256": sha,
                "fetch_status": "ok",
                "shard": 0,
            }
        )
        docs.append(
            {
                "payload_sha256": sha,
                "extractor_version": EXTRACTOR_VERSION,
                "status": "ok",
                "text": text,
                "text_sha256": text_hash(text),
                "is_policy": True,
            }
        )
    tables.append(con, "captures", rows)
    tables.upsert(con, "documents", docs)


def _expected(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Each document's segments as segmenting its own text gives them."""
    docs = con.execute("SELECT payload_sha256, text FROM documents ORDER BY 1").fetchall()
    return sorted(
        (sha, s.segment_id, s.position, tuple(s.heading_path), s.kind, s.text, s.text_sha256)
        for sha, text in docs
        for s in segment_markdown(text)
    )


def _stored(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    rows = con.execute(
        "SELECT payload_sha256, segment_id, position, heading_path, kind, text, text_sha256 FROM segments "
        "WHERE extractor_version = ?",
        [EXTRACTOR_VERSION],
    ).fetchall()
    return sorted((r[0], r[1], r[2], tuple(r[3]), *r[4:]) for r in rows)


def test_documents_sharing_a_text_get_its_segments_segmented_once(tmp_path: Path) -> None:
    with tables.connect(tmp_path / "policy.duckdb") as con:
        _load(con, [("a1", TEXTS[0]), ("a2", TEXTS[0]), ("a3", TEXTS[0]), ("b1", TEXTS[1])])
        first = segment_documents(con, [0])
        assert (first["documents"], first["texts_segmented"]) == (4, 2)
        assert _stored(con) == _expected(con)
        # a later run: new payloads of a known text are copied, a new text is segmented
        _load(con, [("a4", TEXTS[0]), ("b2", TEXTS[1]), ("c1", TEXTS[0] + "\n\nWe keep logs for a year.\n")])
        second = segment_documents(con, [0])
        assert (second["documents"], second["texts_segmented"]) == (3, 1)
        assert _stored(con) == _expected(con)
        assert first["segments"] + second["segments"] == len(_expected(con))
        assert segment_documents(con, [0])["documents"] == 0


def test_texts_equal_once_normalized_are_segmented_apart(tmp_path: Path) -> None:
    """`text_sha256` is over normalized text: a bold heading and a plain one hash alike and segment apart."""
    plain = TEXTS[0]
    bold = plain.replace("We collect", "We **collect**")
    assert text_hash(bold) == text_hash(plain)
    assert segment_markdown(bold) != segment_markdown(plain)
    with tables.connect(tmp_path / "policy.duckdb") as con:
        _load(con, [("p1", plain), ("p2", plain), ("b1", bold), ("b2", bold)])
        assert segment_documents(con, [0])["texts_segmented"] == 2
        assert _stored(con) == _expected(con)
