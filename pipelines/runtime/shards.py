"""Sites are spread over a fixed number of shards: the unit a stage skips, replaces or runs in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

N_SHARDS = 16


def in_shards(shards: Sequence[int]) -> tuple[str, list[int]]:
    return f"shard IN ({', '.join('?' * len(shards))})", list(shards)


def sites_of(shards: Sequence[int]) -> tuple[str, list[object]]:
    where, params = in_shards(shards)
    return f"site_id IN (SELECT site_id FROM captures WHERE {where})", params
