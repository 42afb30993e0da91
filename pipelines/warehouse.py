"""The DuckDB warehouse: table creation, idempotent loads and the SQL models.

Loads are idempotent: a load names the slice it replaces (a shard, a set of keys, or the whole table),
deletes it and inserts the new rows in one transaction, so a retry or a backfill never double-counts.
Values always travel as parameters or registered DataFrames, never inside SQL text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.schema import TABLES, Table

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MODEL_LAYERS = ("staging", "marts")


@contextmanager
def connect(db_path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, creating its base tables when writable."""
    if not read_only:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only)
    try:
        if not read_only:
            for table in TABLES.values():
                con.execute(table.ddl())
        yield con
    finally:
        con.close()


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
    df = frame(table, rows)
    cols = ", ".join(table.column_names)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM {table.name}" + (f" WHERE {where}" if where else ""), list(params))
        if len(df):
            con.register("_incoming", df)
            con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _incoming")
            con.unregister("_incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(df)


def upsert(con: duckdb.DuckDBPyConnection, table_name: str, rows: Iterable[dict] | pd.DataFrame) -> int:
    """Insert rows, replacing any existing row with the same key (one transaction)."""
    table = TABLES[table_name]
    df = frame(table, rows)
    if not len(df):
        return 0
    keys = df[list(table.key)].drop_duplicates()
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_keys", keys)
        on = " AND ".join(f"t.{k} = k.{k}" for k in table.key)
        con.execute(f"DELETE FROM {table.name} t USING _keys k WHERE {on}")
        con.unregister("_keys")
        con.register("_incoming", df)
        cols = ", ".join(table.column_names)
        con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM _incoming")
        con.unregister("_incoming")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(df)


def model_files() -> list[Path]:
    """SQL model files in dependency order: staging first, then marts, each sorted by name."""
    return [p for layer in MODEL_LAYERS for p in sorted((SQL_DIR / layer).glob("*.sql"))]


def run_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every SQL model as a view named after its file; return the model names."""
    names = []
    for path in model_files():
        name = path.stem
        con.execute(f"CREATE OR REPLACE VIEW {name} AS\n{path.read_text()}")
        names.append(name)
    return names


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every base table."""
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES}
