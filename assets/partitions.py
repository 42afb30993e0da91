"""Sites are spread over a fixed number of shards; per-document assets are partitioned by shard."""

import dagster as dg

from pipelines.runtime.shards import N_SHARDS

SHARDS = dg.StaticPartitionsDefinition([f"{i:02d}" for i in range(N_SHARDS)])
# Many shards per run: 100,000 sites never mean 100,000 runs.
BATCHED = dg.BackfillPolicy.single_run()


def shard_numbers(context: dg.AssetExecutionContext) -> list[int]:
    """The shards a run covers (one partition, a range, or all when unpartitioned)."""
    if context.has_partition_key_range or context.has_partition_key:
        return [int(k) for k in context.partition_keys]
    return list(range(N_SHARDS))


# What every per-shard asset shares; each module adds its group.
COMMON = {"partitions_def": SHARDS, "backfill_policy": BATCHED}
