"""The captures asset: every archived capture of the configured sites, payloads stored once."""

import time

import dagster as dg

from assets import checks
from assets.common import result, specs
from assets.partitions import COMMON, shard_numbers
from assets.resources import PolicyHistory
from pipelines.archive.http import ArchiveUnreachable
from pipelines.archive.stage import NothingUsable, load_captures
from pipelines.history.probe import VersionJudge
from pipelines.warehouse import tables


@dg.asset(
    **COMMON,
    group_name="documents",
    check_specs=specs("captures", checks.CAPTURES_RESOLVED, checks.CAPTURES_KEY_UNIQUE),
    description="One row per archived capture (url, captured_at, digest) of a configured site, "
    "with its payload stored once per sha256 in the raw store.",
)
def captures(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started, shards = time.monotonic(), shard_numbers(context)
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        try:
            stats = load_captures(
                con,
                policy_history.store,
                policy_history.archives(),
                policy_history.sources(),
                shards,
                pool,
                judge=VersionJudge(),
            )
        except (NothingUsable, ArchiveUnreachable) as exc:
            # a failed asset fails the run (schedules alert) and nothing downstream, publication included, runs
            raise dg.Failure(description=str(exc), allow_retries=False) from exc
        return result(con, stats, [checks.CAPTURES_RESOLVED, checks.CAPTURES_KEY_UNIQUE], started)
