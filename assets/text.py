"""The documents and segments assets: clean text of every payload, and the segments of every policy."""

import time

import dagster as dg

from assets import checks
from assets.archive import captures
from assets.common import result, specs
from assets.partitions import COMMON, shard_numbers
from assets.resources import PolicyHistory
from pipelines.text.stage import extract_documents, segment_documents
from pipelines.warehouse import tables


@dg.asset(
    **COMMON,
    group_name="documents",
    deps=[captures],
    check_specs=specs("documents", checks.DOCUMENTS_HAVE_STATUS),
    description="One row per (payload, extractor version): clean markdown text, title, language, "
    "page type, is_policy and score, stated date, word count, readability and a status.",
)
def documents(context: dg.AssetExecutionContext, policy_history: PolicyHistory) -> dg.MaterializeResult:
    started = time.monotonic()
    with tables.connect(policy_history.db_path) as con, policy_history.pool() as pool:
        stats = extract_documents(con, policy_history.store, shard_numbers(context), pool)
        return result(con, stats, [checks.DOCUMENTS_HAVE_STATUS], started)


@dg.asset(
    **COMMON,
    group_name="documents",
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
