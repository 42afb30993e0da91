"""The captures stage (what the `captures` asset calls): load a shard's captures and payloads, from WARC/ARC files
or a CDX server, into `captures` and `payloads`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.archive.cdx import CdxClient
from pipelines.archive.fetch import ingest_cdx
from pipelines.archive.http import PoliteClient
from pipelines.archive.ingest import stage_warc
from pipelines.archive.sources import Sources, shard_of
from pipelines.archive.store import RawStore
from pipelines.archive.warc import expand_paths
from pipelines.runtime.pool import PARALLEL_MIN_DOCS, Pool, call, pool_or_local
from pipelines.runtime.shards import N_SHARDS, in_shards
from pipelines.runtime.staging import staging_dir
from pipelines.warehouse import tables
from pipelines.warehouse.schema import TABLES

log = logging.getLogger(__name__)


def load_captures(
    con: duckdb.DuckDBPyConnection,
    store: RawStore,
    warc_paths: Iterable[Path | str],
    sources: Sources | None,
    shards: Sequence[int],
    pool: Pool | None = None,
) -> dict[str, int]:
    """Load the captures of these shards into `captures` and `payloads`.

    From WARC files the shards' rows are replaced (the files are the whole truth), unless the files, the
    sources and the shards are exactly those of the last load, in which case nothing is read at all. Files
    are read as streams by the pool's workers (one staged Parquet file each); revisits are resolved and
    duplicates dropped here, in SQL, by the one writer. From a CDX server only captures newer than the
    newest known per site are asked for, and rows are upserted, so the history already loaded is kept and a
    scheduled run costs one listing per site.
    """
    if sources is not None and sources.cdx:
        return _load_cdx_captures(con, store, sources, shards)
    files = expand_paths(warc_paths)
    fingerprint = _warc_fingerprint(files, sources)
    done = tables.stage_fingerprints(con, "captures")
    if all(done.get(s) == fingerprint for s in shards):
        return {"captures": 0, "payloads_stored": 0, "skipped_unmatched": 0, "unchanged": 1}
    with staging_dir(con, "captures") as stage_dir, pool_or_local(pool, len(files) * PARALLEL_MIN_DOCS // 2) as p:
        jobs = [
            (
                stage_warc,
                str(f),
                str(store.root),
                sources,
                N_SHARDS,
                list(shards),
                str(stage_dir / f"{i:06d}.parquet"),
                i,
            )
            for i, f in enumerate(files)
        ]
        staged = list(p.run(call, jobs))
        n = _load_staged_captures(con, [s["path"] for s in staged], shards)
    tables.set_stage_fingerprints(con, "captures", dict.fromkeys(shards, fingerprint))
    return {
        "captures": n,
        "payloads_stored": sum(s["stored"] for s in staged),
        "skipped_unmatched": sum(s["skipped_unmatched"] for s in staged),
    }


def _warc_fingerprint(files: Sequence[Path], sources: Sources | None) -> str:
    """Identity of a WARC load's inputs: each file's path, size and mtime, and the site mapping."""
    h = hashlib.sha256(f"{N_SHARDS}\n".encode())
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    for site in sources.sites if sources else ():
        h.update(repr(site).encode())
    return h.hexdigest()


def _load_staged_captures(con: duckdb.DuckDBPyConnection, files: list[str], shards: Sequence[int]) -> int:
    """Replace the shards' captures with the staged rows and add payloads not yet known, one transaction a shard.

    Shard by shard, the window that picks one record per capture, the payloads' aggregate and the transaction's
    own rows hold one shard's rows, not the archive's (loaded whole, they ran out of memory at 384,000 captures
    under a 100 MB cap). A crash between shards leaves the stage's fingerprint unrecorded: the next run loads
    every shard again.
    """
    cols = ", ".join(TABLES["captures"].column_names)
    # a view, not a table: each shard's statements stream the staged files rather than hold every row in memory.
    # The paths (our own staging files, quoted) are the one value written into SQL text: a view takes no parameters.
    paths = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con.execute(f"CREATE OR REPLACE TEMP VIEW _staged AS SELECT * FROM read_parquet([{paths}])")
    # A revisit takes the payload of a response with the same archive digest (of any shard); of two records of
    # one capture (url, time, digest) the first read wins, responses before revisits.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _responses AS
           SELECT digest, arg_min(payload_sha256, (file_no, ord)) AS sha FROM _staged
           WHERE record_type <> 'revisit' AND payload_sha256 IS NOT NULL AND digest IS NOT NULL GROUP BY 1"""
    )
    n = 0
    for shard in shards:
        with tables.transaction(con):
            con.execute("DELETE FROM captures WHERE shard = ?", [shard])
            n += con.execute(
                f"""
                INSERT INTO captures ({cols})
                SELECT {cols} FROM (
                    SELECT s.* REPLACE (
                        CASE WHEN s.record_type = 'revisit' THEN r.sha ELSE s.payload_sha256 END AS payload_sha256,
                        CASE WHEN s.record_type <> 'revisit' THEN s.fetch_status
                             WHEN s.status_code BETWEEN 300 AND 399 THEN 'redirect'
                             WHEN s.status_code >= 400 THEN 'http_error'
                             WHEN r.sha IS NOT NULL THEN 'ok' ELSE 'unavailable' END AS fetch_status)
                    FROM _staged s LEFT JOIN _responses r ON s.record_type = 'revisit' AND r.digest = s.digest
                    WHERE s.shard = ?
                    QUALIFY row_number() OVER (PARTITION BY capture_id
                                               ORDER BY s.record_type = 'revisit', file_no, ord) = 1
                )
                """,
                [shard],
            ).fetchone()[0]
            # the shard's new payloads, described from all their records (a payload may recur in other shards)
            con.execute(
                """
                INSERT INTO payloads (payload_sha256, n_bytes, content_type, first_captured_at, stored_at)
                SELECT payload_sha256, any_value(n_bytes), arg_min(content_type, (file_no, ord)), min(captured_at),
                       CAST(current_timestamp AT TIME ZONE 'UTC' AS TIMESTAMP)
                FROM _staged s
                WHERE record_type <> 'revisit' AND payload_sha256 IS NOT NULL
                  AND payload_sha256 IN (SELECT payload_sha256 FROM captures WHERE shard = ?)
                  AND NOT EXISTS (SELECT 1 FROM payloads p WHERE p.payload_sha256 = s.payload_sha256)
                GROUP BY 1
                """,
                [shard],
            )
    con.execute("DROP VIEW _staged")
    con.execute("DROP TABLE _responses")
    return n


def _load_cdx_captures(
    con: duckdb.DuckDBPyConnection, store: RawStore, sources: Sources, shards: Sequence[int]
) -> dict[str, int]:
    wanted = set(shards)
    where, params = in_shards(shards)
    mine = sources.only({s.id for s in sources.sites if shard_of(s.id, N_SHARDS) in wanted})
    known = dict(
        con.execute(f"SELECT site_id, max(captured_at) FROM captures WHERE {where} GROUP BY 1", params).fetchall()
    )
    result = ingest_cdx(mine, store, _cdx_client(sources), N_SHARDS, known)
    rows = [c.row() for c in result.captures]
    n = tables.upsert(con, "captures", rows)
    for site in result.failed_sites:
        log.warning("CDX listing failed for site %s; it keeps its previous captures", site)
    used = {r["payload_sha256"] for r in rows if r["payload_sha256"]}
    new_payloads = [p for sha, p in result.payloads.items() if sha in used]
    already: set[str] = set()
    if new_payloads:
        con.register("_p", pd.DataFrame({"s": [p["payload_sha256"] for p in new_payloads]}))
        already = {
            r[0] for r in con.execute("SELECT payload_sha256 FROM payloads JOIN _p ON s = payload_sha256").fetchall()
        }
        con.unregister("_p")
    tables.upsert(con, "payloads", [p for p in new_payloads if p["payload_sha256"] not in already])
    return {
        "captures": n,
        "payloads_stored": result.stored,
        "skipped_unmatched": result.skipped_unmatched,
        "fetched": result.fetched,
        "failed_sites": len(result.failed_sites),
    }


def _cdx_client(sources: Sources) -> CdxClient:
    http = PoliteClient() if sources.rate is None else PoliteClient(rate=sources.rate)
    return CdxClient(sources.cdx, sources.replay, http)
