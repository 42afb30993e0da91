"""The marts and published assets: the SQL models over the whole warehouse, and their publication."""

import time

import dagster as dg

from assets.common import result
from assets.history import version_changes
from assets.partitions import COMMON
from assets.resources import PolicyHistory
from pipelines.warehouse import models, tables
from pipelines.warehouse.publish import publish, published_dir


@dg.asset(
    deps=[version_changes],
    **COMMON,
    group_name="history",
    description="The SQL models of sql/staging and sql/marts, (re)created over the whole "
    "warehouse (staging as views, marts as tables); one model per file, each stating its grain.",
)
def marts(policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con:
        names = models.build_models(con)  # None: built from this very data and SQL already
        counts = {n: con.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names or []}
        return result(con, counts if names is not None else {"unchanged": 1}, started=started)


@dg.asset(
    deps=[marts],
    **COMMON,
    group_name="history",
    description="The published warehouse, in <db stem>.published/ beside the DuckDB file: Parquet exports of the marts "
    "(one file per mart, same grain), a read-only copy swapped in atomically, and the self-contained dashboard.html.",
)
def published(policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    summary = publish(policy_history.db_path, published_dir(policy_history.db_path))
    metadata: dict[str, dg.MetadataValue] = {
        "dashboard": dg.MetadataValue.path(summary["dashboard"]),
        "db": dg.MetadataValue.path(summary["db"]),
        "parquet_dir": dg.MetadataValue.path(summary["parquet_dir"]),
        "dashboard_bytes": dg.MetadataValue.int(summary["dashboard_bytes"]),
        "exported": dg.MetadataValue.int(len(summary["exported"])),
        "unchanged": dg.MetadataValue.bool(summary["unchanged"]),
        "seconds": dg.MetadataValue.float(round(time.monotonic() - started, 3)),
    }
    return dg.MaterializeResult(metadata=metadata)
