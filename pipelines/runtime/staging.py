"""Staged batches: what a stage has to do as a to-do table, workers' Parquet batches, and loading them.

A stage lists its work in the temp table `_todo`, hands batches of it to the pool, and loads the Parquet each
worker stages as soon as it is done, so the writer holds a few batches, never the whole run.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.runtime.pool import Pool, call
from pipelines.warehouse import tables
from pipelines.warehouse.texts import texts_at

log = logging.getLogger(__name__)

LOAD_EVERY = 8  # staged batches per load transaction (see stream_to_table)
PROGRESS_SECONDS = 10.0  # at most one progress line this often per stage


@contextmanager
def staging_dir(con: duckdb.DuckDBPyConnection, stage: str) -> Iterator[Path]:
    """A fresh folder for one stage's staged batches, beside the warehouse file (removed afterwards)."""
    db = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    root = Path(db).parent / "staging" if db else Path(tempfile.gettempdir()) / "policy-history-staging"
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{stage}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stream_to_table(
    con: duckdb.DuckDBPyConnection, pool: Pool, jobs: Iterable[tuple], table: str, size: tuple[int, int]
) -> list[dict]:
    """Run staged jobs on the pool and load finished batches into `table` (this process writes), LOAD_EVERY
    at a time: each load is a transaction that scans the table's keys, so loading every small batch on its
    own costs the writer more than the batches take to compute. `size` is (items in all, items a batch)."""
    done: list[dict] = []
    pending: list[dict] = []
    for d in with_progress(pool.run(call, jobs), table, *size):
        done.append(d)
        pending.append(d)
        if len(pending) >= LOAD_EVERY:
            load_staged(con, table, pending)
    load_staged(con, table, pending)
    return done


def with_progress(batches: Iterable[dict], what: str, total: int, size: int) -> Iterator[dict]:
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


def load_staged(con: duckdb.DuckDBPyConnection, table: str, staged: list[dict]) -> None:
    """Load these staged batches in one transaction, then forget them."""
    if staged:
        tables.upsert_parquet(con, table, [d["path"] for d in staged])
        for d in staged:
            Path(d["path"]).unlink(missing_ok=True)
        staged.clear()


def todo_table(con: duckdb.DuckDBPyConnection, sql: str, params: list[object]) -> int:
    """Materialize what a stage has to do as the temp table _todo (columns c0.., plus row number _i)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _todo AS SELECT row_number() OVER () AS _i, * FROM ({sql})", params)
    names = [r[0] for r in con.execute("DESCRIBE _todo").fetchall()][1:]
    for i, name in enumerate(names):
        quoted = name.replace('"', '""')
        con.execute(f'ALTER TABLE _todo RENAME COLUMN "{quoted}" TO c{i}')
    return con.execute("SELECT count(*) FROM _todo").fetchone()[0]


def todo_batches(con: duckdb.DuckDBPyConnection, size: int) -> Iterator[list[tuple]]:
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


def with_texts(
    con: duckdb.DuckDBPyConnection, table: str, size: int, extractor_version: str | None = None
) -> Iterator[list[tuple[str, str]]]:
    """_todo's rows (c0 a rowid of `table`, c1 that row's key) as batches of (key, text), the texts read a batch
    at a time, so that a to-do list over a million documents holds their keys and never their texts."""
    for batch in todo_batches(con, size):
        found = texts_at(con, table, batch, extractor_version)
        yield [(k, found[k]) for _, k in batch]
