"""Publish a built warehouse for readers: Parquet exports of the marts, a read-only DuckDB copy swapped in
atomically, and the HTML dashboard. Readers never open the build's own file, so they never block a build
or see a half-built state.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.warehouse import dashboard, models, tables
from pipelines.warehouse.files import write_atomic

PUBLISHED_SUFFIX = ".published"  # `<db stem>.published/` beside the build's DuckDB file: one per warehouse
PUBLISHED_DB = "policy.duckdb"
DASHBOARD = "dashboard.html"
PARQUET_DIR = "parquet"
STAMP = ".published.json"  # what the publication was made from (see `_publish_key`)
# Base tables exported beside the marts, for analysts who start from versions and changes.
EXPORTED_TABLES = ("policy_versions", "version_changes", "capture_versions")


def published_dir(db_path: Path | str) -> Path:
    """Where a build's published copy, Parquet exports and dashboard go: `<db stem>.published/` beside its DuckDB
    file, so two warehouses in one folder never publish over each other."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + PUBLISHED_SUFFIX)


def _swap_in(tmp: Path, final: Path) -> None:
    """Replace `final` by `tmp` in one rename (atomic on POSIX: a reader sees the old or the new file)."""
    os.replace(tmp, final)


def _tmp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp-{os.getpid()}")


def _publish_key(con: duckdb.DuckDBPyConnection) -> str:
    """What a publication is made from: the data and SQL of the marts, and the code that writes it."""
    code = hashlib.sha256(Path(__file__).read_bytes() + Path(dashboard.__file__ or "").read_bytes())
    return f"{models.models_key(con)}:{code.hexdigest()[:16]}"


def publish(db_path: Path | str, out_dir: Path | str) -> dict:
    """Export marts to Parquet, swap in a read-only copy of the warehouse, write the dashboard.

    Returns a summary: paths written, marts exported (with row counts), dashboard size, and `unchanged`: true
    when the last publication was made from this very data and code, which is then left as it is (so a rerun
    with nothing new copies nothing).
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    parquet_dir = out_dir / PARQUET_DIR
    stamp = out_dir / STAMP
    with tables.connect(db_path) as con:
        models.build_models(con)  # a no-op after the marts asset; publishing never reads stale marts
        key = _publish_key(con)
        last = json.loads(stamp.read_text()) if stamp.exists() else {}
        copy, board = out_dir / PUBLISHED_DB, out_dir / DASHBOARD
        if last.get("key") == key and copy.exists() and board.exists():
            return {**last["summary"], "unchanged": True}
        parquet_dir.mkdir(parents=True, exist_ok=True)
        exported: dict[str, int] = {}
        marts = [p.stem for p in models.model_files() if p.parent.name == "marts"]
        for name in [*marts, *EXPORTED_TABLES]:
            final = parquet_dir / f"{name}.parquet"
            tmp = _tmp_name(final)
            # Names come from our own model files and schema, never from data; the path is a parameter.
            con.execute(f"COPY (SELECT * FROM {name}) TO ? (FORMAT parquet)", [str(tmp)])
            _swap_in(tmp, final)
            exported[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        page = dashboard.render(con, datetime.now(UTC).replace(tzinfo=None))
        con.execute("CHECKPOINT")  # everything in the main file before it is copied
    tmp_copy = _tmp_name(copy)
    shutil.copyfile(db_path, tmp_copy)
    tmp_copy.chmod(0o444)  # a published copy is for reading, by anyone: that is what it is for
    _swap_in(tmp_copy, copy)
    write_atomic(board, page.encode("utf-8"))
    summary = {
        "db": str(copy),
        "dashboard": str(board),
        "dashboard_bytes": len(page.encode()),
        "parquet_dir": str(parquet_dir),
        "exported": exported,
    }
    write_atomic(stamp, json.dumps({"key": key, "summary": summary}).encode())
    return {**summary, "unchanged": False}
