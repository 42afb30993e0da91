"""The DuckDB warehouse: connecting, table creation, idempotent loads and the stages' bookkeeping.

Loads are idempotent: a load names the slice it replaces (a shard, a set of keys, or the whole table),
deletes it and inserts the new rows in one transaction, so a retry or a backfill never double-counts.
Values always travel as parameters or registered DataFrames, never inside SQL text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.warehouse.schema import TABLES, Table

# Bookkeeping, not data: what each stage last read, per shard, so a rerun over unchanged inputs skips the stage.
# (Kept out of schema.TABLES on purpose: it is no part of the published warehouse.)
STAGE_STATE_DDL = (
    "CREATE TABLE IF NOT EXISTS stage_state (stage VARCHAR NOT NULL, shard INTEGER NOT NULL, "
    "fingerprint VARCHAR NOT NULL, PRIMARY KEY (stage, shard))"
)


@dataclass(frozen=True)
class Paths:
    """Where one warehouse lives: the DuckDB file and the raw payload store beside it."""

    db: Path
    store: Path

    @classmethod
    def beside(cls, db: Path | str) -> Paths:
        db = Path(db)
        return cls(db=db, store=db.parent / "raw")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: committed at its end, rolled back if it raises.

    Every load goes through here, and each one gives the warehouse a new data generation in the same
    transaction: what is derived from the whole warehouse (marts, the published copy) is stale exactly when the
    generation moved since it was made. A generation is a random token, not a count, so a warehouse rebuilt
    from scratch never meets the generation of the one it replaced.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute(
            "INSERT INTO stage_state VALUES ('generation', 0, CAST(uuid() AS VARCHAR)) "
            "ON CONFLICT DO UPDATE SET fingerprint = excluded.fingerprint"
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def generation(con: duckdb.DuckDBPyConnection) -> str:
    """The token of the warehouse's last committed load (see `transaction`); empty before the first."""
    return stage_fingerprints(con, "generation").get(0, "")


# DuckDB caches table blocks up to its memory limit, 80% of the machine's memory by default: a warehouse of
# millions of captures would grow a scheduled build to most of the machine. Past this it spills to disk.
DEFAULT_MEMORY_LIMIT = "2GB"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.I)


def memory_limit() -> str:
    """DuckDB's memory limit for the warehouse: POLICY_HISTORY_DUCKDB_MEMORY (e.g. 4GB), else DEFAULT_MEMORY_LIMIT."""
    value = os.environ.get("POLICY_HISTORY_DUCKDB_MEMORY", "").strip() or DEFAULT_MEMORY_LIMIT
    if not _MEMORY.fullmatch(value):
        raise ValueError(f"POLICY_HISTORY_DUCKDB_MEMORY={value!r}: give a size such as 512MB or 4GB")
    return value


@contextmanager
def connect(db_path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (with `memory_limit()`), creating its base tables when writable."""
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only, config={"memory_limit": memory_limit()})
    try:
        if not read_only:
            _create_missing(con)
        yield con
    finally:
        con.close()


def _create_missing(con: duckdb.DuckDBPyConnection) -> None:
    """Create the base tables this warehouse lacks, and the columns added to them since it was made.

    One catalog query decides what is missing: running every CREATE and ALTER ... IF NOT EXISTS instead (some
    90 statements) costs ~20 ms, and a build connects once per asset and check.
    """
    present: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_oid IN (SELECT table_oid FROM duckdb_tables())"
    ).fetchall():
        present.setdefault(table, set()).add(column)
    for table in TABLES.values():
        if table.name not in present:
            con.execute(table.ddl())
        for alter in table.added_columns_ddl(present.get(table.name, table.column_names)):
            con.execute(alter)
    if "stage_state" not in present:
        con.execute(STAGE_STATE_DDL)


def frame(table: Table, rows: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """Rows as a DataFrame in the table's column order; missing columns become null."""
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for name in table.column_names:
        if name not in df.columns:
            df[name] = None
    return df[table.column_names]


def replace(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    rows: Iterable[dict] | pd.DataFrame,
    where: str = "",
    params: Sequence[object] = (),
) -> int:
    """Delete the slice `where` (all rows when empty) and insert `rows`, in one transaction.

    `where` is SQL text with `?` placeholders and never holds values itself.
    """
    table = TABLES[table_name]
    with transaction(con):
        con.execute(f"DELETE FROM {table.name}" + (f" WHERE {where}" if where else ""), list(params))
        return _insert(con, table, rows)


def load_slices(
    con: duckdb.DuckDBPyConnection,
    loads: Sequence[tuple[str, Iterable[dict] | pd.DataFrame]],
    replacing: tuple[str, Sequence[object]] | None = None,
    prints: tuple[str, dict[int, str]] | None = None,
) -> None:
    """Load (table, rows) pairs in one transaction: first delete the slice `replacing` (a `where` and its params,
    as `replace` takes them; nothing when None) of each table named, then insert the rows, then record the
    (stage, fingerprints) `prints` (see `set_stage_fingerprints`). One commit for what would take a commit a
    load and one more for the fingerprints, and a crash leaves the tables and the fingerprints as they were."""
    with transaction(con):
        if replacing is not None:
            for table_name in dict.fromkeys(name for name, _ in loads):
                con.execute(f"DELETE FROM {TABLES[table_name].name} WHERE {replacing[0]}", list(replacing[1]))
        for table_name, rows in loads:
            _insert(con, TABLES[table_name], rows)
        if prints is not None:
            set_stage_fingerprints(con, *prints)


def append(con: duckdb.DuckDBPyConnection, table_name: str, rows: Iterable[dict] | pd.DataFrame) -> int:
    """Insert `rows` (one transaction)."""
    with transaction(con):
        return _insert(con, TABLES[table_name], rows)


def _insert(con: duckdb.DuckDBPyConnection, table: Table, rows: Iterable[dict] | pd.DataFrame) -> int:
    df = frame(table, rows)
    if len(df):
        cols = ", ".join(table.column_names)
        con.register("_incoming", df)
        con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _incoming")
        con.unregister("_incoming")
    return len(df)


def upsert(con: duckdb.DuckDBPyConnection, table_name: str, rows: Iterable[dict] | pd.DataFrame) -> int:
    """Insert rows, replacing any existing row with the same key (one transaction)."""
    table = TABLES[table_name]
    df = frame(table, rows)
    if not len(df):
        return 0
    keys = df[list(table.key)].drop_duplicates()
    with transaction(con):
        con.register("_keys", keys)
        on = " AND ".join(f"t.{k} = k.{k}" for k in table.key)
        con.execute(f"DELETE FROM {table.name} t USING _keys k WHERE {on}")
        con.unregister("_keys")
        con.register("_incoming", df)
        cols = ", ".join(table.column_names)
        con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _incoming")
        con.unregister("_incoming")
    return len(df)


def upsert_parquet(con: duckdb.DuckDBPyConnection, table_name: str, paths: Sequence[Path | str]) -> int:
    """Load staged Parquet batches into a table, replacing rows with the same key (one transaction).

    Staged files may hold any subset of the table's columns; missing ones load as null.
    """
    table = TABLES[table_name]
    if not paths:
        return 0
    files = [str(p) for p in paths]
    present = {r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [files]).fetchall()}
    cols = ", ".join(table.column_names)
    select = ", ".join(c if c in present else f"NULL AS {c}" for c in table.column_names)
    on = " AND ".join(f"t.{k} = s.{k}" for k in table.key)
    with transaction(con):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _staged AS SELECT {select} FROM read_parquet(?, union_by_name = true)",
            [files],
        )
        con.execute(
            f"DELETE FROM {table.name} t USING (SELECT DISTINCT {', '.join(table.key)} FROM _staged) s WHERE {on}"
        )
        n = con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _staged").fetchone()[0]
        con.execute("DROP TABLE _staged")
    return n


def stage_fingerprints(con: duckdb.DuckDBPyConnection, stage: str) -> dict[int, str]:
    """The input fingerprint each shard had when `stage` last ran on it."""
    return dict(con.execute("SELECT shard, fingerprint FROM stage_state WHERE stage = ?", [stage]).fetchall())


def set_stage_fingerprints(con: duckdb.DuckDBPyConnection, stage: str, prints: dict[int, str]) -> None:
    """Record the input fingerprint of each shard `stage` has just processed."""
    if prints:  # lists as parameters: registering a DataFrame costs some 3 ms more, and this runs once a load
        con.execute(
            "INSERT OR REPLACE INTO stage_state SELECT ?, unnest(?), unnest(?)",
            [stage, list(prints), list(prints.values())],
        )


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every base table."""
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}
