"""Per-shard assets: captures, documents, segments, segment_practices."""

import time

import dagster as dg

from assets import checks
from assets.common import result, specs
from assets.partitions import BATCHED, SHARDS, shard_numbers
from assets.resources import PolicyHistory
from pipelines.archive.stage import load_captures
from pipelines.practices.stage import tag_segments
from pipelines.text.stage import extract_documents, segment_documents
from pipelines.warehouse import tables

COMMON = {"partitions_def": SHARDS, "backfill_policy": BATCHED, "group_name": "documents"}


@dg.asset(
    **COMMON,
    check_specs=specs("captures", checks.CAPTURES_RESOLVED, checks.CAPTURES_KEY_UNIQUE),
    description="One row per archived capture (url, captured_at, digest) of a configured site, "
    "with its payload stored once per sha256 in the raw store.",
)
def captures(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started, shards = time.monotonic(), shard_numbers(context)
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = load_captures(
            con, policy_history.store, policy_history.archives(), policy_history.sources(), shards, pool
        )
        return result(con, stats, [checks.CAPTURES_RESOLVED, checks.CAPTURES_KEY_UNIQUE], started)


@dg.asset(
    **COMMON,
    deps=[captures],
    check_specs=specs("documents", checks.DOCUMENTS_HAVE_STATUS),
    description="One row per (payload, extractor version): clean markdown text, title, language, "
    "is_policy and score, stated date, word count, readability and a status.",
)
def documents(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = extract_documents(con, policy_history.store, shard_numbers(context), pool)
        return result(con, stats, [checks.DOCUMENTS_HAVE_STATUS], started)


@dg.asset(
    **COMMON,
    deps=[documents],
    check_specs=specs("segments", checks.SEGMENT_IDS_UNIQUE),
    description="One row per segment (paragraph, list item, table) of a policy document, "
    "with its heading path and a stable segment_id.",
)
def segments(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = segment_documents(con, shard_numbers(context), pool)
        return result(con, stats, [checks.SEGMENT_IDS_UNIQUE], started)


@dg.asset(
    **COMMON,
    deps=[segments],
    description="One row per (segment text, tagger, tagger version, category): practice tags with "
    "score and cue. Each distinct text is tagged once per tagger version.",
)
def segment_practices(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = tag_segments(con, policy_history.tagger(), shard_numbers(context), pool)
        return result(con, stats, started=started)
