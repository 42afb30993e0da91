"""Per-shard fingerprints of a stage's inputs and code: a rerun over unchanged inputs skips the stage."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import duckdb

from pipelines.warehouse import tables


def code_identity(*modules: ModuleType) -> str:
    """The source of the modules a stage runs: a stage's output is stale when its code changed."""
    h = hashlib.sha256()
    for m in modules:
        h.update(Path(m.__file__ or "").read_bytes())
    return h.hexdigest()


def shard_prints(
    con: duckdb.DuckDBPyConnection, queries: Sequence[tuple[str, list[object]]], shards: Sequence[int], code: str
) -> dict[int, str]:
    """Per shard, a fingerprint of a stage's inputs: `code` plus each query's (count, xor of row hashes).

    Each query returns (shard, count, xor) rows; computing them is a scan DuckDB does in milliseconds, far
    cheaper than the stage, so a rerun over unchanged inputs skips the stage. xor is order-free, and the
    count guards against two equal rows cancelling out.
    """
    got: dict[int, list[str]] = {s: [code] for s in shards}
    for sql, params in queries:
        found = {r[0]: f"{r[1]}:{r[2]}" for r in con.execute(sql, params).fetchall()}
        for s in shards:
            got[s].append(found.get(s, "0:0"))
    return {s: hashlib.sha256("\n".join(parts).encode()).hexdigest() for s, parts in got.items()}


def stale_shards(con: duckdb.DuckDBPyConnection, stage: str, prints: dict[int, str]) -> list[int]:
    """The shards whose inputs differ from those `stage` last ran on."""
    done = tables.stage_fingerprints(con, stage)
    return [s for s, p in prints.items() if done.get(s) != p]
