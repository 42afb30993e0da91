"""The pipeline's stages as plain functions over the warehouse: what each Dagster asset calls.

Each stage reads its inputs from DuckDB, computes only what is missing (work is keyed by content:
payload digest, extractor version, segment text, tagger version) and loads its output idempotently.
Per-document work runs in a process pool; this process is the one writer of DuckDB.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from operator import itemgetter
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd

from pipelines import changes as changes_module
from pipelines import versions as versions_module
from pipelines import warehouse
from pipelines.cdx import CdxClient
from pipelines.changes import diff_versions
from pipelines.extract import EXTRACTOR_VERSION, extract_many
from pipelines.fetch import ingest_cdx
from pipelines.http import PoliteClient
from pipelines.ingest import stage_warc
from pipelines.schema import TABLES
from pipelines.segment import segment_markdown
from pipelines.sources import Sources, shard_of
from pipelines.store import RawStore
from pipelines.tag import Tagger
from pipelines.versions import group_versions
from pipelines.warc import expand_paths

log = logging.getLogger(__name__)

N_SHARDS = 16
PARALLEL_MIN_DOCS = 64  # below this a process pool costs more than it saves
# Items per staged batch: big enough that a task outweighs its scheduling, small enough to bound memory.
EXTRACT_BATCH = 32
SEGMENT_BATCH = 200
TAG_BATCH = 2000
LOAD_EVERY = 8  # staged batches per load transaction (see _stream_to_table)
PROGRESS_SECONDS = 10.0  # at most one progress line this often per stage
SITE_CHUNK = 100  # sites a versions or changes job covers: its texts are what a job holds in memory


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
    done = warehouse.stage_fingerprints(con, "captures")
    if all(done.get(s) == fingerprint for s in shards):
        return {"captures": 0, "payloads_stored": 0, "skipped_unmatched": 0, "unchanged": 1}
    with _staging(con, "captures") as stage_dir, _pool_or_local(pool, len(files) * PARALLEL_MIN_DOCS // 2) as p:
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
        staged = list(p.run(_call, jobs))
        n = _load_staged_captures(con, [s["path"] for s in staged], shards)
    warehouse.set_stage_fingerprints(con, "captures", dict.fromkeys(shards, fingerprint))
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
        with warehouse.transaction(con):
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
    where, params = _in_shards(shards)
    mine = sources.only({s.id for s in sources.sites if shard_of(s.id, N_SHARDS) in wanted})
    known = dict(
        con.execute(f"SELECT site_id, max(captured_at) FROM captures WHERE {where} GROUP BY 1", params).fetchall()
    )
    result = ingest_cdx(mine, store, _cdx_client(sources), N_SHARDS, known)
    rows = [c.row() for c in result.captures]
    n = warehouse.upsert(con, "captures", rows)
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
    warehouse.upsert(con, "payloads", [p for p in new_payloads if p["payload_sha256"] not in already])
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


def _call(job: tuple) -> object:
    """Run (fn, *args) in a worker: one picklable shape for every kind of staged job."""
    fn, *args = job
    return fn(*args)


def _extract_batch(store_root: str, out: str, tasks: list[tuple[str, str | None, datetime | None]]) -> dict:
    """Extract a batch of payloads from the raw store and stage their `documents` rows as one Parquet file."""
    store = RawStore(store_root)
    docs = extract_many((store.get(sha), ctype, first) for sha, ctype, first in tasks)
    rows = [{"payload_sha256": sha, **doc.row()} for (sha, _, _), doc in zip(tasks, docs, strict=True)]
    warehouse.frame(TABLES["documents"], rows).to_parquet(out, index=False)
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
    warehouse.frame(TABLES["segments"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows)}


def _tag_batch(out: str, tagger: Tagger, todo: list[tuple[str, str]]) -> dict:
    """Tag a batch of distinct segment texts; stage their `segment_practices` rows as one Parquet file."""
    rows = [
        {
            "text_sha256": sha,
            "tagger": tagger.name,
            "tagger_version": tagger.version,
            "category": t.category,
            "score": t.score,
            "cue": t.cue,
        }
        for (sha, _), tags in zip(todo, tagger.tag_batch([t for _, t in todo]), strict=True)
        for t in tags
    ]
    warehouse.frame(TABLES["segment_practices"], rows).to_parquet(out, index=False)
    return {"path": out, "rows": len(rows)}


def extract_documents(
    con: duckdb.DuckDBPyConnection, store: RawStore, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Extract every payload of these shards that has no document at the current extractor version.

    Batches of payloads go to the pool's workers, which read the raw store and stage Parquet; each staged
    batch is loaded here as soon as it is done, so memory holds a few batches, never the whole run.
    """
    where, params = _in_shards(shards)
    n = _todo_table(
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
    with _staging(con, "documents") as stage_dir, _pool_or_local(pool, n) as p:
        jobs = (
            (_extract_batch, str(store.root), str(stage_dir / f"{i:08d}.parquet"), batch)
            for i, batch in enumerate(_todo_batches(con, EXTRACT_BATCH))
        )
        done = _stream_to_table(con, p, jobs, "documents", (n, EXTRACT_BATCH))
    return {"extracted": sum(d["rows"] for d in done), "policies": sum(d["policies"] for d in done)}


def segment_documents(
    con: duckdb.DuckDBPyConnection, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Segment every policy document of these shards that has no segments yet."""
    where, params = _in_shards(shards)
    n = _todo_table(
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
    with _staging(con, "segments") as stage_dir, _pool_or_local(pool, n) as p:
        jobs = (
            (_segment_batch, str(stage_dir / f"{i:08d}.parquet"), batch)
            for i, batch in enumerate(_with_texts(con, "documents", SEGMENT_BATCH))
        )
        done = _stream_to_table(con, p, jobs, "segments", (n, SEGMENT_BATCH))
    return {"documents": n, "segments": sum(d["rows"] for d in done)}


def tag_segments(
    con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Tag each distinct segment text of these shards not yet tagged by this tagger version."""
    where, params = _in_shards(shards)
    n = _todo_table(
        con,
        f"""
        SELECT min(s.rowid) AS r, s.text_sha256
        FROM segments s
        WHERE s.payload_sha256 IN (SELECT payload_sha256 FROM captures c WHERE c.{where})
          AND NOT EXISTS (SELECT 1 FROM tagged_texts t WHERE t.text_sha256 = s.text_sha256
                          AND t.tagger = ? AND t.tagger_version = ?)
        GROUP BY 2 ORDER BY 1
        """,
        [*params, tagger.name, tagger.version],
    )
    if not n:
        return {"texts_tagged": 0, "tags": 0}
    with _staging(con, "segment_practices") as stage_dir, _pool_or_local(pool, n // 8) as p:
        jobs = (
            (_tag_batch, str(stage_dir / f"{i:08d}.parquet"), tagger, batch)
            for i, batch in enumerate(_with_texts(con, "segments", TAG_BATCH))
        )
        done = _stream_to_table(con, p, jobs, "segment_practices", (n, TAG_BATCH))
    # A text with no tag must still count as tagged, or every rerun would tag it again.
    con.execute(
        "INSERT INTO tagged_texts (text_sha256, tagger, tagger_version) SELECT c1, ?, ? FROM _todo",
        [tagger.name, tagger.version],
    )
    return {"texts_tagged": n, "tags": sum(d["rows"] for d in done)}


# --- staging and the worker pool -------------------------------------------------------------------------


@dataclass
class Pool:
    """Where per-document work runs: an Executor (local processes or a Dask cluster) and how many tasks it
    runs at once, which bounds how many staged batches are in flight."""

    executor: Executor
    slots: int

    def run(self, fn: Callable, jobs: Iterable) -> Iterator:
        """fn over jobs, results in completion order, never more than a few jobs ahead of the slots."""
        pending: set[Future] = set()
        for job in jobs:
            pending.add(self.executor.submit(fn, job))
            if len(pending) >= 2 * self.slots:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in finished)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in finished)


class _Inline(Executor):
    """Runs each job at once in this process: a pool costs more than it saves on small runs."""

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:
        f: Future = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            f.set_exception(exc)
        return f


@contextmanager
def compute_pool(scheduler: str | None = None) -> Iterator[Pool]:
    """The pool for per-document work: the Dask cluster at `scheduler` (e.g. tcp://10.0.0.5:8786) when given,
    else a process pool over this machine's cores (kept for the life of this process). Workers only compute
    and stage Parquet; this process stays the one writer of DuckDB."""
    if scheduler:
        from distributed import Client  # noqa: PLC0415 - only cluster runs need Dask

        with Client(scheduler) as client:
            slots = sum(client.nthreads().values()) or 1
            yield Pool(client.get_executor(pure=False), slots)
    else:
        yield _local_pool()


_LOCAL_POOLS: dict[int, Pool] = {}


def _local_pool() -> Pool:
    """This machine's process pool, started once per process and reused by every later stage and build.

    Starting spawn workers and importing trafilatura, lxml and the tagger in each costs seconds per stage,
    more than a small stage's whole work; a kept pool pays it once. A pool broken by a dying worker is
    replaced. Keyed by pid so a forked child never shares its parent's pool.
    """
    pool = _LOCAL_POOLS.get(os.getpid())
    if pool is None or getattr(pool.executor, "_broken", False):
        workers = max(1, os.cpu_count() or 1)
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("spawn"), initializer=_exit_with_parent, initargs=(os.getpid(),)
        )
        pool = _LOCAL_POOLS[os.getpid()] = Pool(executor, workers)
        atexit.register(executor.shutdown, wait=True, cancel_futures=True)
    return pool


def _exit_with_parent(parent: int) -> None:
    """Pool worker initializer: end the worker once the process that started it is gone. Workers of a killed
    build otherwise live on, idle but holding memory and the build's output pipes, for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@contextmanager
def _pool_or_local(pool: Pool | None, n_items: int = PARALLEL_MIN_DOCS) -> Iterator[Pool]:
    if pool is not None:
        yield pool
    elif n_items < PARALLEL_MIN_DOCS:
        yield Pool(_Inline(), 1)
    else:
        with compute_pool() as p:
            yield p


def _stream_to_table(
    con: duckdb.DuckDBPyConnection, pool: Pool, jobs: Iterable[tuple], table: str, size: tuple[int, int]
) -> list[dict]:
    """Run staged jobs on the pool and load finished batches into `table` (this process writes), LOAD_EVERY
    at a time: each load is a transaction that scans the table's keys, so loading every small batch on its
    own costs the writer more than the batches take to compute. `size` is (items in all, items a batch)."""
    done: list[dict] = []
    pending: list[dict] = []
    for d in _with_progress(pool.run(_call, jobs), table, *size):
        done.append(d)
        pending.append(d)
        if len(pending) >= LOAD_EVERY:
            _load_staged(con, table, pending)
    _load_staged(con, table, pending)
    return done


def _with_progress(batches: Iterable[dict], what: str, total: int, size: int) -> Iterator[dict]:
    """Pass finished batches through, logging how far the stage is at most every PROGRESS_SECONDS: a stage over
    a million captures runs for hours."""
    started = last = time.monotonic()
    for i, batch in enumerate(batches, 1):
        yield batch
        now = time.monotonic()
        if now - last >= PROGRESS_SECONDS and total:
            last, items = now, min(i * size, total)
            rate = items / max(now - started, 1e-9)
            log.info(
                "%s: %s of %s (%.0f%%), %.0f a second, about %.0f s left",
                what, f"{items:,}", f"{total:,}", 100 * items / total, rate, (total - items) / rate,
            )  # fmt: skip


def _load_staged(con: duckdb.DuckDBPyConnection, table: str, staged: list[dict]) -> None:
    """Load these staged batches in one transaction, then forget them."""
    if staged:
        warehouse.upsert_parquet(con, table, [d["path"] for d in staged])
        for d in staged:
            Path(d["path"]).unlink(missing_ok=True)
        staged.clear()


def _todo_table(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    """Materialize what a stage has to do as the temp table _todo (columns c0.., plus row number _i)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _todo AS SELECT row_number() OVER () AS _i, * FROM ({sql})", params)
    names = [r[0] for r in con.execute("DESCRIBE _todo").fetchall()][1:]
    for i, name in enumerate(names):
        quoted = name.replace('"', '""')
        con.execute(f'ALTER TABLE _todo RENAME COLUMN "{quoted}" TO c{i}')
    return con.execute("SELECT count(*) FROM _todo").fetchone()[0]


def _todo_batches(con: duckdb.DuckDBPyConnection, size: int) -> Iterator[list[tuple]]:
    """_todo in batches of `size` rows, read a page at a time so memory never holds the whole list."""
    start = 1
    while True:
        rows = con.execute(
            "SELECT * EXCLUDE (_i) FROM _todo WHERE _i >= ? AND _i < ? ORDER BY _i", [start, start + size]
        ).fetchall()
        if not rows:
            return
        yield rows
        start += size


def _with_texts(con: duckdb.DuckDBPyConnection, table: str, size: int) -> Iterator[list[tuple[str, str]]]:
    """_todo's rows (c0 a rowid of `table`, c1 that row's key) as batches of (key, text), the texts read a batch
    at a time, so that a to-do list over a million documents holds their keys and never their texts."""
    for batch in _todo_batches(con, size):
        found = _texts_at(con, table, batch)
        yield [(k, found[k]) for _, k in batch]


_TEXT_KEY = {"documents": "payload_sha256", "segments": "text_sha256"}


def _texts_at(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[tuple[int, str]]) -> dict[str, str]:
    """{key: text} for (rowid, key) pairs of `documents` (current extractor version) or `segments`.

    Read within the pairs' rowid range, which DuckDB reads without scanning the rest of the table. Texts are
    paired by the key read with them, and a key whose rowid no longer holds it (rowids are not promised stable
    across a checkpoint) is looked up by key instead.
    """
    rows = list(rows)
    if not rows:
        return {}
    key = _TEXT_KEY[table]
    version = " AND extractor_version = ?" if table == "documents" else ""
    params = [EXTRACTOR_VERSION] if version else []
    ids = [r for r, _ in rows]
    found = dict(
        con.execute(
            f"SELECT {key}, text FROM {table} WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT unnest(?)){version}",
            [min(ids), max(ids), ids, *params],
        ).fetchall()
    )
    if missing := [k for _, k in rows if k not in found]:
        found.update(
            con.execute(
                f"SELECT {key}, any_value(text) FROM {table} WHERE {key} IN (SELECT unnest(?)){version} GROUP BY 1",
                [missing, *params],
            ).fetchall()
        )
    return found


@contextmanager
def _staging(con: duckdb.DuckDBPyConnection, stage: str) -> Iterator[Path]:
    """A fresh folder for one stage's staged batches, beside the warehouse file (removed afterwards)."""
    db = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    root = Path(db).parent / "staging" if db else Path(tempfile.gettempdir()) / "policy-history-staging"
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{stage}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sites_of(shards: Sequence[int]) -> tuple[str, list[object]]:
    where, params = _in_shards(shards)
    return f"site_id IN (SELECT site_id FROM captures WHERE {where})", params


def _code_identity(*modules: ModuleType) -> str:
    """The source of the modules a stage runs: a stage's output is stale when its code changed."""
    h = hashlib.sha256()
    for m in modules:
        h.update(Path(m.__file__ or "").read_bytes())
    return h.hexdigest()


def _shard_prints(
    con: duckdb.DuckDBPyConnection, queries: Sequence[tuple[str, list[object]]], shards: Sequence[int], code: str
) -> dict[int, str]:
    """Per shard, a fingerprint of a stage's inputs: `code` plus each query's (count, xor of row hashes).

    Each query returns (shard, count, xor) rows; computing them is a scan DuckDB does in milliseconds, far
    cheaper than the stage, so a rerun over unchanged inputs skips the stage. xor is order-free, and the
    count guards against two equal rows cancelling out.
    """
    got: dict[int, list[str]] = {s: [code] for s in shards}
    for sql, params in queries:
        found = {r[0]: f"{r[1]}:{r[2]}" for r in con.execute(sql, params).fetchall()}
        for s in shards:
            got[s].append(found.get(s, "0:0"))
    return {s: hashlib.sha256("\n".join(parts).encode()).hexdigest() for s, parts in got.items()}


def _versions_prints(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> dict[int, str]:
    where, params = _in_shards(shards)
    sql = f"""
        SELECT c.shard, count(*), bit_xor(hash(c.capture_id, c.site_id, c.url, c.captured_at, c.payload_sha256,
                                             d.text_sha256, d.stated_date, d.word_count))
        FROM captures c JOIN documents d USING (payload_sha256)
        WHERE c.{where} AND c.fetch_status = 'ok' AND d.is_policy AND d.extractor_version = ?
        GROUP BY 1
    """
    return _shard_prints(con, [(sql, [*params, EXTRACTOR_VERSION])], shards, _code_identity(versions_module))


def _stale(con: duckdb.DuckDBPyConnection, stage: str, prints: dict[int, str]) -> list[int]:
    """The shards whose inputs differ from those `stage` last ran on."""
    done = warehouse.stage_fingerprints(con, stage)
    return [s for s, p in prints.items() if done.get(s) != p]


def build_versions(con: duckdb.DuckDBPyConnection, shards: Sequence[int], pool: Pool | None = None) -> dict[str, int]:
    """Group the policy captures of every site of these shards into versions (their rows replaced).

    A shard is skipped when its policy captures and documents, and the grouping code, are those of the last
    run. The others are grouped on the pool, SITE_CHUNK sites a job: memory holds the texts of the jobs in
    flight, never a whole shard's, and the jobs of all stale shards share the workers.
    """
    prints = _versions_prints(con, shards)
    stale = _stale(con, "policy_versions", prints)
    if not stale:
        return {"versions": 0, "sites": 0, "unchanged": 1}
    n_versions = n_sites = 0
    for shard, (versions, links), first, last in _by_chunk(con, stale, pool, 2, _version_jobs, "sites grouped"):
        _load_chunk(con, "policy_versions", versions, shard, first)
        _load_chunk(con, "capture_versions", links, shard, first)
        if last:
            # recorded last: a crash before this leaves the shard stale, to be regrouped by the next run
            warehouse.set_stage_fingerprints(con, "policy_versions", {shard: prints[shard]})
        n_versions += len(versions)
        n_sites += versions["site_id"].nunique() if len(versions) else 0
    return {"versions": n_versions, "sites": n_sites, "shards": len(stale)}


def _site_chunks(con: duckdb.DuckDBPyConnection, shards: Sequence[int]) -> tuple[dict[int, list[list[str]]], int]:
    """The sites of each of these shards in chunks of up to SITE_CHUNK site ids, in site order (the chunks of a
    shard that has no site are empty), and the shards' ok captures."""
    where, params = _in_shards(shards)
    n = con.execute(f"SELECT count(*) FROM captures WHERE {where} AND fetch_status = 'ok'", params).fetchone()[0]
    sites = con.execute(f"SELECT DISTINCT shard, site_id FROM captures WHERE {where} ORDER BY 1, 2", params).fetchall()
    chunks: dict[int, list[list[str]]] = {s: [] for s in shards}
    for shard, rows in itertools.groupby(sites, key=itemgetter(0)):
        ids = [site for _, site in rows]
        chunks[shard] = [ids[i : i + SITE_CHUNK] for i in range(0, len(ids), SITE_CHUNK)]
    return chunks, n


def _by_chunk(
    con: duckdb.DuckDBPyConnection,
    shards: Sequence[int],
    pool: Pool | None,
    n_frames: int,
    jobs_of: Callable[[duckdb.DuckDBPyConnection, int, list[list[str]]], Iterator[tuple]],
    what: str,
) -> Iterator[tuple[int, list[pd.DataFrame], bool, bool]]:
    """Run the pool jobs `jobs_of(con, shard, chunks)` makes for each shard's chunks of sites (each job returns
    the shard and `n_frames` frames). Yield each result as it comes, as (shard, frames, first, last): whether it
    is the first and the last of its shard to come (a shard with no sites comes once, with empty frames).

    Jobs are made as the pool takes them and results are loaded as they come, so the writer holds the inputs
    and results of the jobs in flight: nothing that grows with the warehouse.
    """
    chunks, n = _site_chunks(con, shards)
    left = {s: len(c) for s, c in chunks.items()}
    yield from ((s, [pd.DataFrame()] * n_frames, True, True) for s in shards if not left[s])
    jobs = (job for s in shards if left[s] for job in jobs_of(con, s, chunks[s]))
    started: set[int] = set()
    with _pool_or_local(pool, n) as p:
        total = sum(len(c) for cs in chunks.values() for c in cs)
        for shard, *frames in _with_progress(p.run(_call, jobs), what, total, SITE_CHUNK):
            left[shard] -= 1
            yield shard, frames, shard not in started, not left[shard]
            started.add(shard)


def _load_chunk(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame, shard: int, first: bool) -> None:
    """Load one chunk's rows of `table`; the first of a shard's chunks first deletes the shard's old rows."""
    if first:
        warehouse.replace(con, table, rows, *_sites_of([shard]))
    else:
        warehouse.append(con, table, rows)


# The input of a versions or changes job is read from a shard's key table (_shard*: keys only, made with one scan of
# the warehouse tables per shard) and the texts at its rowids. Reading each job's keys from the warehouse tables
# instead would scan them once per job: a cost that grows with the square of the warehouse.


def _chunk_rows(con: duckdb.DuckDBPyConnection, sites: list[str]) -> pd.DataFrame:
    """The rows of _shard for one chunk of sites (chunks are ranges of the shard's sites in order)."""
    return con.execute("SELECT * FROM _shard WHERE site_id BETWEEN ? AND ?", [sites[0], sites[-1]]).df()


def _version_jobs(con: duckdb.DuckDBPyConnection, shard: int, chunks: list[list[str]]) -> Iterator[tuple]:
    """Versions jobs for one shard: each, the policy captures of a chunk of sites (versions.VERSION_INPUT_COLUMNS),
    each text held once however many captures share it (and pickled once to a worker)."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard AS
           SELECT c.capture_id, c.site_id, c.url, c.captured_at, c.payload_sha256, d.stated_date, d.word_count,
                  d.rowid AS _r
           FROM captures c JOIN documents d USING (payload_sha256)
           WHERE c.shard = ? AND c.fetch_status = 'ok' AND d.is_policy AND d.extractor_version = ?
           ORDER BY c.site_id""",
        [shard, EXTRACTOR_VERSION],
    )
    for sites in chunks:
        df = _chunk_rows(con, sites)
        texts = _texts_at(con, "documents", set(zip(df["_r"], df["payload_sha256"], strict=True)))
        yield _group_chunk, shard, df.drop(columns="_r").assign(text=df["payload_sha256"].map(texts))


def _group_chunk(shard: int, df: pd.DataFrame) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """group_versions over one chunk of sites (run on a worker), tagged with the chunk's shard."""
    return (shard, *group_versions(df))


def _changes_prints(con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int]) -> dict[int, str]:
    where, params = _in_shards(shards)
    # the shard of each version's site, then what diff_versions reads: versions, their segments and tags
    versions = f"""
        WITH site_shard AS (SELECT DISTINCT site_id, shard FROM captures WHERE {where})
        SELECT ss.shard, v.* FROM policy_versions v JOIN site_shard ss USING (site_id)
    """
    queries = [
        (
            f"""WITH v AS ({versions}) SELECT shard, count(*), bit_xor(hash(version_id, version_no, payload_sha256,
                text_sha256, first_captured_at, last_captured_at, changed_after, stated_date)) FROM v GROUP BY 1""",
            params,
        ),
        (
            f"""WITH v AS ({versions}) SELECT v.shard, count(*), bit_xor(hash(v.version_id, s.segment_id,
                s.text_sha256)) FROM v JOIN segments s USING (payload_sha256) GROUP BY 1""",
            params,
        ),
        (
            f"""WITH v AS ({versions}) SELECT v.shard, count(*), bit_xor(hash(v.version_id, s.position, p.category))
                FROM v JOIN segments s USING (payload_sha256)
                JOIN segment_practices p ON p.text_sha256 = s.text_sha256 AND p.tagger = ? AND p.tagger_version = ?
                GROUP BY 1""",
            [*params, tagger.name, tagger.version],
        ),
    ]
    code = f"{_code_identity(changes_module)} {tagger.name} {tagger.version} {EXTRACTOR_VERSION}"
    return _shard_prints(con, queries, shards, code)


def build_changes(
    con: duckdb.DuckDBPyConnection, tagger: Tagger, shards: Sequence[int], pool: Pool | None = None
) -> dict[str, int]:
    """Compare every pair of consecutive versions of the sites of these shards (their rows replaced).

    A shard is skipped when its versions, their segments and tags, and the diff code are those of the last run.
    The others are compared on the pool, SITE_CHUNK sites a job, as `build_versions` groups them.
    """
    prints = _changes_prints(con, tagger, shards)
    stale = _stale(con, "version_changes", prints)
    if not stale:
        return {"changes": 0, "unchanged": 1}
    jobs_of = functools.partial(_change_jobs, tagger=tagger)
    total = 0
    for shard, (changes,), first, last in _by_chunk(con, stale, pool, 1, jobs_of, "sites compared"):
        _load_chunk(con, "version_changes", changes, shard, first)
        if last:
            warehouse.set_stage_fingerprints(con, "version_changes", {shard: prints[shard]})
        total += len(changes)
    return {"changes": total, "shards": len(stale)}


def _change_jobs(
    con: duckdb.DuckDBPyConnection, shard: int, chunks: list[list[str]], tagger: Tagger
) -> Iterator[tuple]:
    """Changes jobs for one shard: each, what `diff_versions` reads for a chunk of sites: their versions, and
    each version's text, segments and tags."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard AS
           SELECT v.*, coalesce(d.rowid, -1) AS _r FROM policy_versions v
           LEFT JOIN documents d ON d.payload_sha256 = v.payload_sha256 AND d.extractor_version = ?
           WHERE v.site_id IN (SELECT site_id FROM captures WHERE shard = ?)
           ORDER BY v.site_id""",
        [EXTRACTOR_VERSION, shard],
    )
    # a document's segments are loaded together: one rowid range each
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard_segments AS
           SELECT payload_sha256, min(rowid) AS lo, max(rowid) AS hi, count(*) AS n FROM segments
           WHERE extractor_version = ? AND payload_sha256 IN (SELECT payload_sha256 FROM _shard) GROUP BY 1""",
        [EXTRACTOR_VERSION],
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _shard_practices AS
           SELECT DISTINCT s.payload_sha256, p.category FROM segments s
           JOIN segment_practices p ON p.text_sha256 = s.text_sha256 AND p.tagger = ? AND p.tagger_version = ?
           WHERE s.extractor_version = ? AND s.payload_sha256 IN (SELECT payload_sha256 FROM _shard)""",
        [tagger.name, tagger.version, EXTRACTOR_VERSION],
    )
    for sites in chunks:
        versions = _chunk_rows(con, sites)
        texts = _texts_at(con, "documents", set(zip(versions["_r"], versions["payload_sha256"], strict=True)))
        payloads = versions["payload_sha256"].unique().tolist()
        yield (
            _diff_chunk,
            shard,
            versions.drop(columns="_r"),
            texts,
            _segments_of(con, payloads),
            _practices_of(con, payloads),
        )


def _segments_of(con: duckdb.DuckDBPyConnection, payloads: list[str]) -> dict[str, dict[str, str]]:
    """{payload: {segment id: text}} for these payloads of _shard_segments, read within their rowid range (a
    payload whose rows are no longer all there, as rowids may move at a checkpoint, is read by key)."""
    ranges = con.execute(
        "SELECT payload_sha256, lo, hi, n FROM _shard_segments WHERE payload_sha256 IN (SELECT unnest(?))", [payloads]
    ).fetchall()
    if not ranges:
        return {}
    segs: dict[str, dict[str, str]] = {}
    query = """SELECT payload_sha256, segment_id, text FROM segments
               WHERE extractor_version = ? AND payload_sha256 IN (SELECT unnest(?)) {}"""
    got = con.execute(
        query.format("AND rowid BETWEEN ? AND ?"),
        [EXTRACTOR_VERSION, [r[0] for r in ranges], min(r[1] for r in ranges), max(r[2] for r in ranges)],
    ).fetchall()
    for sha, sid, text in got:
        segs.setdefault(sha, {})[sid] = text
    if short := [sha for sha, _, _, n in ranges if len(segs.get(sha, ())) != n]:
        for sha in short:
            segs.pop(sha, None)
        for sha, sid, text in con.execute(query.format(""), [EXTRACTOR_VERSION, short]).fetchall():
            segs.setdefault(sha, {})[sid] = text
    return segs


def _practices_of(con: duckdb.DuckDBPyConnection, payloads: list[str]) -> dict[str, set[str]]:
    """{payload: the categories tagged in its segments} for these payloads of _shard_practices."""
    practices: dict[str, set[str]] = {}
    for sha, cat in con.execute(
        "SELECT payload_sha256, category FROM _shard_practices WHERE payload_sha256 IN (SELECT unnest(?))", [payloads]
    ).fetchall():
        practices.setdefault(sha, set()).add(cat)
    return practices


def _diff_chunk(
    shard: int,
    versions: pd.DataFrame,
    texts: dict[str, str],
    segs: dict[str, dict[str, str]],
    practices: dict[str, set[str]],
) -> tuple[int, pd.DataFrame]:
    """diff_versions over one chunk of sites (run on a worker), tagged with the chunk's shard."""
    return shard, diff_versions(versions, texts, segs, practices) if len(versions) else pd.DataFrame()
