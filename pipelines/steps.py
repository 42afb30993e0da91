"""The pipeline's stages as plain functions over the warehouse: what each Dagster asset calls.

Each stage reads its inputs from DuckDB, computes only what is missing (work is keyed by content:
payload digest, extractor version, segment text, tagger version) and loads its output idempotently.
Per-document work runs in a process pool; this process is the one writer of DuckDB.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import warehouse
from pipelines.cdx import CdxClient
from pipelines.changes import diff_versions
from pipelines.extract import EXTRACTOR_VERSION, extract
from pipelines.fetch import ingest_cdx
from pipelines.http import PoliteClient
from pipelines.ingest import ingest_warcs
from pipelines.segment import segment_markdown
from pipelines.sources import Sources, shard_of
from pipelines.store import RawStore
from pipelines.tag import Tagger
from pipelines.versions import group_versions

log = logging.getLogger(__name__)

N_SHARDS = 16
PARALLEL_MIN_DOCS = 64  # below this a process pool costs more than it saves


@dataclass(frozen=True)
class Paths:
    """Where one warehouse lives: the DuckDB file and the raw payload store beside it."""

    db: Path
    store: Path

    @classmethod
    def beside(cls, db: Path | str) -> Paths:
        db = Path(db)
        return cls(db=db, store=db.parent / "raw")


def _in_shards(shards: Sequence[int]) -> tuple[str, list[int]]:
    return f"shard IN ({', '.join('?' * len(shards))})", list(shards)


def load_captures(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    warc_paths: Iterable[Path | str],
    sources: Sources | None,
    shards: Sequence[int],
) -> dict[str, int]:
    """Load the captures of these shards into `captures` and `payloads`.

    From WARC files the shards' rows are replaced (the files are the whole truth). From a CDX server
    only captures newer than the newest known per site are asked for, and rows are upserted, so the
    history already loaded is kept and a scheduled run costs one listing per site.
    """
    wanted = set(shards)
    where, params = _in_shards(shards)
    extra: dict[str, int] = {}
    if sources is not None and sources.cdx:
        mine = sources.only({s.id for s in sources.sites if shard_of(s.id, N_SHARDS) in wanted})
        known = dict(
            con.execute(f"SELECT site_id, max(captured_at) FROM captures WHERE {where} GROUP BY 1", params).fetchall()
        )
        result = ingest_cdx(mine, store, _cdx_client(sources), N_SHARDS, known)
        rows = [c.row() for c in result.captures]
        n = warehouse.upsert(con, "captures", rows)
        extra = {"fetched": result.fetched, "failed_sites": len(result.failed_sites)}
        for site in result.failed_sites:
            log.warning("CDX listing failed for site %s; it keeps its previous captures", site)
    else:
        result = ingest_warcs(warc_paths, store, sources, N_SHARDS)
        rows = [c.row() for c in result.captures if c.shard in wanted]
        n = warehouse.replace(con, "captures", rows, where, params)
    used = {r["payload_sha256"] for r in rows if r["payload_sha256"]}
    new_payloads = [p for sha, p in result.payloads.items() if sha in used]
    already: set[str] = set()
    if new_payloads:
        con.register("_p", pd.DataFrame({"s": [p["payload_sha256"] for p in new_payloads]}))
        already = {
            r[0] for r in con.execute("SELECT payload_sha256 FROM payloads JOIN _p ON s = payload_sha256").fetchall()
        }
        con.unregister("_p")
    warehouse.upsert(con, "payloads", [p for p in new_payloads if p["payload_sha256"] not in already])
    return {"captures": n, "payloads_stored": result.stored, "skipped_unmatched": result.skipped_unmatched, **extra}


def _cdx_client(sources: Sources) -> CdxClient:
    http = PoliteClient() if sources.rate is None else PoliteClient(rate=sources.rate)
    return CdxClient(sources.cdx, sources.replay, http)


def _extract_task(args: tuple[str, str, str | None, datetime | None]) -> dict:
    store_root, sha, content_type, captured_at = args
    doc = extract(RawStore(store_root).get(sha), content_type, captured_at=captured_at)
    return {"payload_sha256": sha, **doc.row()}


def extract_documents(con: duckdb.DuckDBPyConnection, store: RawStore, shards: Sequence[int]) -> dict[str, int]:
    """Extract every payload of these shards that has no document at the current extractor version."""
    where, params = _in_shards(shards)
    todo = con.execute(
        f"""
        SELECT p.payload_sha256, p.content_type, min(c.captured_at) AS first_captured_at
        FROM captures c JOIN payloads p USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok'
          AND NOT EXISTS (SELECT 1 FROM documents d
                          WHERE d.payload_sha256 = p.payload_sha256 AND d.extractor_version = ?)
        GROUP BY ALL ORDER BY 1
        """,
        [*params, EXTRACTOR_VERSION],
    ).fetchall()
    tasks = [(str(store.root), sha, ctype, first) for sha, ctype, first in todo]
    rows = _map(_extract_task, tasks)
    warehouse.upsert(con, "documents", rows)
    return {"extracted": len(rows), "policies": sum(r["is_policy"] for r in rows)}


def _map(fn, tasks: list) -> list:
    """fn over tasks, in a process pool when there are enough of them."""
    if len(tasks) < PARALLEL_MIN_DOCS:
        return [fn(t) for t in tasks]
    workers = max(1, (os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, tasks, chunksize=16))


def segment_documents(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> dict[str, int]:
    """Segment every policy document of these shards that has no segments yet."""
    where, params = _in_shards(shards)
    docs = con.execute(
        f"""
        SELECT DISTINCT d.payload_sha256, d.extractor_version, d.text
        FROM documents d JOIN captures c USING (payload_sha256)
        WHERE c.{where} AND d.extractor_version = ? AND d.is_policy
          AND NOT EXISTS (SELECT 1 FROM segments s WHERE s.payload_sha256 = d.payload_sha256
                          AND s.extractor_version = d.extractor_version)
        """,
        [*params, EXTRACTOR_VERSION],
    ).fetchall()
    rows = [
        {"payload_sha256": sha, "extractor_version": ver, **vars(seg)}
        for sha, ver, text in docs
        for seg in segment_markdown(text)
    ]
    warehouse.upsert(con, "segments", rows)
    return {"documents": len(docs), "segments": len(rows)}


def tag_segments(con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int]) -> dict[str, int]:
    """Tag each distinct segment text of these shards not yet tagged by this tagger version."""
    where, params = _in_shards(shards)
    todo = con.execute(
        f"""
        SELECT s.text_sha256, any_value(s.text)
        FROM segments s JOIN captures c USING (payload_sha256)
        WHERE c.{where}
          AND NOT EXISTS (SELECT 1 FROM tagged_texts t WHERE t.text_sha256 = s.text_sha256
                          AND t.tagger = ? AND t.tagger_version = ?)
        GROUP BY 1 ORDER BY 1
        """,
        [*params, tagger.name, tagger.version],
    ).fetchall()
    rows = []
    for (sha, _), tags in zip(todo, tagger.tag_batch([t for _, t in todo]), strict=True):
        rows.extend(
            {
                "text_sha256": sha,
                "tagger": tagger.name,
                "tagger_version": tagger.version,
                "category": t.category,
                "score": t.score,
                "cue": t.cue,
            }
            for t in tags
        )
    warehouse.upsert(con, "segment_practices", rows)
    # A text with no tag must still count as tagged, or every rerun would tag it again.
    warehouse.upsert(
        con,
        "tagged_texts",
        [{"text_sha256": sha, "tagger": tagger.name, "tagger_version": tagger.version} for sha, _ in todo],
    )
    return {"texts_tagged": len(todo), "tags": len(rows)}


def _sites_of(shards: Sequence[int]) -> tuple[str, list[object]]:
    where, params = _in_shards(shards)
    return f"site_id IN (SELECT site_id FROM captures WHERE {where})", params


def build_versions(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> dict[str, int]:
    """Group the policy captures of every site of these shards into versions (their rows replaced)."""
    where, params = _in_shards(shards)
    df = con.execute(
        f"""
        SELECT c.capture_id, c.site_id, c.url, c.captured_at, c.payload_sha256, d.text,
               d.stated_date, d.word_count
        FROM captures c JOIN documents d USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok' AND d.is_policy AND d.extractor_version = ?
        """,
        [*params, EXTRACTOR_VERSION],
    ).df()
    versions, links = group_versions(df)
    warehouse.replace(con, "policy_versions", versions, *_sites_of(shards))
    warehouse.replace(con, "capture_versions", links, *_sites_of(shards))
    return {"versions": len(versions), "sites": versions["site_id"].nunique() if len(versions) else 0}


def build_changes(con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int]) -> dict[str, int]:
    """Compare every pair of consecutive versions of the sites of these shards (their rows replaced)."""
    where, params = _sites_of(shards)
    versions = con.execute(f"SELECT * FROM policy_versions WHERE {where}", params).df()
    payloads = list(versions["payload_sha256"]) if len(versions) else []
    con.register("_v", pd.DataFrame({"payload_sha256": payloads}))
    texts = dict(
        con.execute(
            "SELECT payload_sha256, text FROM documents JOIN _v USING (payload_sha256) WHERE extractor_version = ?",
            [EXTRACTOR_VERSION],
        ).fetchall()
    )
    segs: dict[str, dict[str, str]] = {}
    for sha, sid, text in con.execute(
        "SELECT payload_sha256, segment_id, text FROM segments JOIN _v USING (payload_sha256)"
    ).fetchall():
        segs.setdefault(sha, {})[sid] = text
    practices: dict[str, set[str]] = {}
    for sha, cat in con.execute(
        """SELECT DISTINCT s.payload_sha256, p.category FROM segments s JOIN _v USING (payload_sha256)
           JOIN segment_practices p ON p.text_sha256 = s.text_sha256 AND p.tagger = ? AND p.tagger_version = ?""",
        [tagger.name, tagger.version],
    ).fetchall():
        practices.setdefault(sha, set()).add(cat)
    con.unregister("_v")
    changes = diff_versions(versions, texts, segs, practices) if len(versions) else pd.DataFrame()
    warehouse.replace(con, "version_changes", changes, where, params)
    return {"changes": len(changes)}
