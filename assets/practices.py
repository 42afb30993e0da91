"""The segment_practices asset: the practices each distinct segment text describes."""

import time

import dagster as dg

from assets.common import result
from assets.partitions import COMMON, shard_numbers
from assets.resources import PolicyHistory
from assets.text import segments
from pipelines.practices.stage import tag_segments
from pipelines.warehouse import tables


@dg.asset(
    **COMMON,
    group_name="documents",
    deps=[segments],
    description="One row per (segment text, tagger, tagger version, category): practice tags with "
    "score and cue. Each distinct text is tagged once per tagger version.",
)
def segment_practices(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = tag_segments(con, policy_history.tagger(), shard_numbers(context), pool)
        return result(con, stats, started=started)
