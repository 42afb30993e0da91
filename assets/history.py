"""Whole-warehouse assets: policy versions, version changes, the SQL marts and their publication."""

import time

import dagster as dg

from assets import checks
from assets.common import result, specs
from assets.documents import COMMON, segment_practices
from assets.partitions import shard_numbers
from assets.resources import PolicyHistory
from pipelines.history.stage import build_changes, build_versions
from pipelines.warehouse import models, tables
from pipelines.warehouse.publish import publish, published_dir


@dg.asset(
    deps=[segment_practices],
    **{**COMMON, "group_name": "history"},
    check_specs=specs("policy_versions", checks.ONE_CURRENT_VERSION, checks.VERSION_WINDOWS_ORDERED),
    description="One row per version of a site's policy (consecutive policy captures with the same "
    "normalized text), with its validity window; capture_versions maps captures to versions.",
)
def policy_versions(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = build_versions(con, shard_numbers(context), pool)
        return result(con, stats, [checks.ONE_CURRENT_VERSION, checks.VERSION_WINDOWS_ORDERED], started)


@dg.asset(
    deps=[policy_versions],
    **{**COMMON, "group_name": "history"},
    description="One row per pair of consecutive versions: similarity, segments added/removed/modified, "
    "practices gained/lost, stated-date change.",
)
def version_changes(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = build_changes(con, policy_history.tagger(), shard_numbers(context), pool)
        return result(con, stats, started=started)


@dg.asset(
    deps=[version_changes],
    **{**COMMON, "group_name": "history"},
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
    **{**COMMON, "group_name": "history"},
    description="The published warehouse, in published/ beside the DuckDB file: Parquet exports of the marts "
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
