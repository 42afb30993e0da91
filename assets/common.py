"""Helpers shared by the asset modules: open the warehouse, turn stats and checks into Dagster results."""

import time

import dagster as dg
import duckdb

from assets.checks import VIOLATIONS


def check_results(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[dg.AssetCheckResult]:
    """Run the named checks; each passes when its violation count is zero."""
    results = []
    for name in names:
        bad = con.execute(VIOLATIONS[name]).fetchone()[0]
        results.append(dg.AssetCheckResult(check_name=name, passed=bad == 0, metadata={"violations": bad}))
    return results


def specs(asset: str, *names: str) -> list[dg.AssetCheckSpec]:
    """Check specs of an asset; blocking, so a failed check stops everything downstream (the publication too)."""
    return [dg.AssetCheckSpec(name=n, asset=asset, blocking=True) for n in names]


def result(
    con: duckdb.DuckDBPyConnection, stats: dict, checks: list[str] = (), started: float | None = None
) -> dg.MaterializeResult:
    """A materialization with the stage's figures as metadata (and its wall time since `started`) and its checks."""
    metadata = {
        k: dg.MetadataValue.text(v) if isinstance(v, str) else dg.MetadataValue.int(int(v)) for k, v in stats.items()
    }
    if started is not None:
        metadata["seconds"] = dg.MetadataValue.float(round(time.monotonic() - started, 3))
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=check_results(con, list(checks)),
    )
