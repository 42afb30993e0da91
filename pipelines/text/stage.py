"""The documents and segments stages (what the `documents` and `segments` assets call).

Each extracts or segments only what has no row yet at the current extractor version; batches go to the pool's
workers, which stage Parquet, and this process loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from pipelines.archive.store import RawStore
from pipelines.runtime.pool import Pool, pool_or_local
from pipelines.runtime.shards import in_shards
from pipelines.runtime.staging import staging_dir, stream_to_table, todo_batches, todo_table, with_texts
from pipelines.text.extract import EXTRACTOR_VERSION, extract_many
from pipelines.text.segment import segment_markdown
from pipelines.warehouse import tables
from pipelines.warehouse.schema import TABLES

# Items per staged batch: big enough that a task outweighs its scheduling, small enough to bound memory.
EXTRACT_BATCH = 32
SEGMENT_BATCH = 200


def _extract_batch(store_root: str, out: str, tasks: list[tuple[str, str | None, datetime | None]]) -> dict:
    """Extract a batch of payloads from the raw store and stage their `documents` rows as one Parquet file."""
    store = RawStore(store_root)
    docs = extract_many((store.get(sha), ctype, first) for sha, ctype, first in tasks)
    rows = [{"payload_sha256": sha, **doc.row()} for (sha, _, _), doc in zip(tasks, docs, strict=True)]
    tables.frame(TABLES["documents"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows), "policies": sum(bool(r["is_policy"]) for r in rows)}


def _segment_batch(out: str, docs: list[tuple[str, str]]) -> dict:
    """Segment a batch of (payload, text) documents of the current extractor version and stage their `segments`
    rows as one Parquet file."""
    segmented: dict[str, list] = {}  # captures of one version share their text; batches come site by site
    rows = [
        {"payload_sha256": sha, "extractor_version": EXTRACTOR_VERSION, **vars(seg)}
        for sha, text in docs
        for seg in segmented.get(text) or segmented.setdefault(text, segment_markdown(text))
    ]
    tables.frame(TABLES["segments"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows)}


def extract_documents(
    con: duckdb.DuckDBPyConnection, store: RawStore, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Extract every payload of these shards that has no document at the current extractor version.

    Batches of payloads go to the pool's workers, which read the raw store and stage Parquet; each staged
    batch is loaded here as soon as it is done, so memory holds a few batches, never the whole run.
    """
    where, params = in_shards(shards)
    n = todo_table(
        con,
        f"""
        SELECT p.payload_sha256, p.content_type, min(c.captured_at) AS first_captured_at
        FROM captures c JOIN payloads p USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok'
          AND NOT EXISTS (SELECT 1 FROM documents d
                          WHERE d.payload_sha256 = p.payload_sha256 AND d.extractor_version = ?)
        GROUP BY ALL ORDER BY min(c.shard), min(c.site_id), first_captured_at, 1
        """,
        [*params, EXTRACTOR_VERSION],
    )
    if not n:
        return {"extracted": 0, "policies": 0}
    with staging_dir(con, "documents") as stage_dir, pool_or_local(pool, n) as p:
        jobs = (
            (_extract_batch, str(store.root), str(stage_dir / f"{i:08d}.parquet"), batch)
            for i, batch in enumerate(todo_batches(con, EXTRACT_BATCH))
        )
        done = stream_to_table(con, p, jobs, "documents", (n, EXTRACT_BATCH))
    return {"extracted": sum(d["rows"] for d in done), "policies": sum(d["policies"] for d in done)}


def segment_documents(
    con: duckdb.DuckDBPyConnection, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Segment every policy document of these shards that has no segments yet."""
    where, params = in_shards(shards)
    n = todo_table(
        con,
        f"""
        SELECT d.rowid, d.payload_sha256
        FROM documents d
        WHERE d.extractor_version = ? AND d.is_policy
          AND d.payload_sha256 IN (SELECT payload_sha256 FROM captures c WHERE c.{where})
          AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.payload_sha256 = d.payload_sha256
                          AND s.extractor_version = d.extractor_version)
        ORDER BY d.rowid
        """,
        [EXTRACTOR_VERSION, *params],
    )
    if not n:
        return {"documents": 0, "segments": 0}
    with staging_dir(con, "segments") as stage_dir, pool_or_local(pool, n) as p:
        jobs = (
            (_segment_batch, str(stage_dir / f"{i:08d}.parquet"), batch)
            for i, batch in enumerate(with_texts(con, "documents", SEGMENT_BATCH, EXTRACTOR_VERSION))
        )
        done = stream_to_table(con, p, jobs, "segments", (n, SEGMENT_BATCH))
    return {"documents": n, "segments": sum(d["rows"] for d in done)}
