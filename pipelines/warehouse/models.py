"""The SQL models of `sql/staging` and `sql/marts`: their order, and building them over the warehouse.

Staging models are views, marts are tables; a model is rebuilt only when the data generation or the SQL moved
since it was last built.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipelines.warehouse.tables import generation, set_stage_fingerprints, stage_fingerprints

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
MODEL_LAYERS = ("staging", "marts")


def models_key(con: duckdb.DuckDBPyConnection) -> str:
    """What the SQL models are computed from: the data generation and the text of every model file."""
    h = hashlib.sha256()
    for path in model_files():
        h.update(path.read_bytes())
    return f"{generation(con)}:{h.hexdigest()[:16]}"


def build_models(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """Run the SQL models (`run_models`) unless they were built from this very data and SQL; their names, or
    None when they were up to date (a rerun with nothing new rebuilds nothing)."""
    key = models_key(con)
    if stage_fingerprints(con, "models").get(0) == key and _models_exist(con):
        return None
    names = run_models(con)
    set_stage_fingerprints(con, "models", {0: key})
    return names


def _models_exist(con: duckdb.DuckDBPyConnection) -> bool:
    names = [p.stem for p in model_files()]
    found = con.execute(
        "SELECT count(*) FROM (SELECT view_name AS n FROM duckdb_views() UNION ALL "
        "SELECT table_name FROM duckdb_tables()) WHERE n IN (SELECT unnest(?))",
        [names],
    ).fetchone()[0]
    return found == len(names)


def model_files() -> list[Path]:
    """SQL model files in dependency order: staging first, then marts; within a layer by name, except that a
    model comes after the models of its layer that its SQL reads (`model_reads`)."""
    ordered: list[Path] = []

    def visit(path: Path, layer: dict[str, Path], seen: frozenset[str]) -> None:
        if path in ordered or path.stem in seen:  # done, or a cycle (DuckDB will name it)
            return
        for name in model_reads(path, layer):
            visit(layer[name], layer, seen | {path.stem})
        ordered.append(path)

    for folder in MODEL_LAYERS:
        layer = {p.stem: p for p in sorted((SQL_DIR / folder).glob("*.sql"))}
        for path in layer.values():
            visit(path, layer, frozenset())
    return ordered


def model_reads(path: Path, models: Iterable[str]) -> list[str]:
    """The other models that a model's SQL names (comments aside)."""
    sql = _SQL_COMMENT.sub("", path.read_text())
    return [m for m in models if m != path.stem and re.search(rf"\b{m}\b", sql)]


_SQL_COMMENT = re.compile(r"--[^\n]*")


def run_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every SQL model under its file's name; return the model names.

    Staging models are views (cheap renames over base tables); marts are tables, computed once per build,
    because dashboards and analysts query them over and over and a view would redo the work on every read
    (seconds per query at a million versions, against milliseconds for a table). A model whose header says
    `-- materialized: table, batched by <table>.<column>` is a table built a batch of `<column>` values at a
    time (`_create_batched`): one whose joins, in one statement, would need memory in proportion to the
    archive.
    """
    names = []
    for path in model_files():
        name, sql = path.stem, path.read_text()
        batched = _BATCHED.search(sql)
        kind = "TABLE" if batched or path.parent.name == "marts" else "VIEW"
        existing = con.execute(
            "SELECT 'VIEW' FROM duckdb_views() WHERE view_name = ? AND NOT internal "
            "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = ?",
            [name, name],
        ).fetchone()
        if existing and existing[0] != kind:
            con.execute(f"DROP {existing[0]} {name}")  # a model that changed kind since the last build
        if batched:
            _create_batched(con, name, sql, *batched.groups())
        else:
            con.execute(f"CREATE OR REPLACE {kind} {name} AS\n{sql}")
        names.append(name)
    return names


_BATCHED = re.compile(r"^-- materialized: table, batched by (\w+)\.(\w+)\s*$", re.M)
# Rows of the batching table per batch. What a batch holds in memory scales with it, not with the warehouse;
# each batch rescans the tables it joins, so fewer, bigger batches are faster while they fit.
MODEL_BATCH_ROWS = 20_000


def _create_batched(con: duckdb.DuckDBPyConnection, name: str, sql: str, table: str, column: str) -> None:
    """Create table `name` from `sql` a batch of `column` values at a time: each batch holds the values whose
    rows in `table` add up to about MODEL_BATCH_ROWS, and the query is filtered on its own `column` output
    (DuckDB pushes that filter down to `table`'s scan, through joins and group keys). A value's rows are never
    split across batches, so a model grouped by `column` comes out the same as in one statement."""
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM (\n{sql}\n) LIMIT 0")
    batches = con.execute(
        f"SELECT min({column}), max({column}) FROM ("
        f"  SELECT {column}, sum(n) OVER (ORDER BY {column}) // ? AS batch"
        f"  FROM (SELECT {column}, count(*) AS n FROM {table} GROUP BY {column})"
        ") GROUP BY batch ORDER BY batch",
        [MODEL_BATCH_ROWS],
    ).fetchall()
    for lo, hi in batches:
        con.execute(f"INSERT INTO {name} SELECT * FROM (\n{sql}\n) WHERE {column} BETWEEN ? AND ?", [lo, hi])
