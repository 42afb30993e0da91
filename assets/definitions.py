"""The Dagster code location: wires assets, checks, resources, the job and its schedule. No logic here."""

import dagster as dg

from assets import archive, history, practices, text, warehouse
from assets.partitions import SHARDS
from assets.resources import PolicyHistory

ALL_ASSETS = dg.load_assets_from_modules([archive, text, practices, history, warehouse])

build_job = dg.define_asset_job("build", selection=dg.AssetSelection.all())


def all_shards_tags() -> dict[str, str]:
    """Run tags that make one run cover every shard (the backfill policy allows it)."""
    keys = SHARDS.get_partition_keys()
    return {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}


@dg.schedule(cron_schedule="0 3 * * *", job=build_job, execution_timezone="UTC")
def nightly_build() -> dg.RunRequest:
    """Every night, one run over all shards: incremental, so only new captures cost work."""
    return dg.RunRequest(tags=all_shards_tags())


defs = dg.Definitions(
    assets=ALL_ASSETS,
    jobs=[build_job],
    schedules=[nightly_build],
    resources={"policy_history": PolicyHistory()},
    # One writer loads DuckDB: steps run in this process; per-document work uses a process pool inside.
    executor=dg.in_process_executor,
)
