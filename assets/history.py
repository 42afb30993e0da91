"""The policy_versions and version_changes assets: each site's versions, and what changed between them."""

import time

import dagster as dg

from assets import checks
from assets.common import result, specs
from assets.partitions import COMMON, shard_numbers
from assets.practices import segment_practices
from assets.resources import PolicyHistory
from pipelines.history.stage import build_changes, build_versions
from pipelines.warehouse import tables


@dg.asset(
    deps=[segment_practices],
    **COMMON,
    group_name="history",
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
    **COMMON,
    group_name="history",
    description="One row per pair of consecutive versions: similarity, segments added/removed/modified, "
    "practices gained/lost, stated-date change.",
)
def version_changes(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = build_changes(con, policy_history.tagger(), shard_numbers(context), pool)
        return result(con, stats, started=started)
