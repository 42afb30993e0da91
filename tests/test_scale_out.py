"""Scale-out: a build whose per-document work runs on a Dask cluster of two worker processes (127.0.0.1).

The cluster's workers compute and stage Parquet; the build's process stays the one DuckDB writer. The
warehouse must equal that of a local build of the same archive, and both workers must have done work.
"""

import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from pipelines.build import build
from pipelines.sample.archive import write_sample
from pipelines.warehouse.schema import TABLES

# Columns that legitimately differ between two builds of the same archive: when a payload was stored.
VOLATILE = {"payloads": ["stored_at"]}


def snapshot(db: Path) -> dict[str, pd.DataFrame]:
    """Every base table, volatile columns dropped, rows in a canonical order."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for name, table in TABLES.items():
            cols = [c for c in table.column_names if c not in VOLATILE.get(name, [])]
            df = con.execute(f"SELECT {', '.join(cols)} FROM {name}").df()
            out[name] = df.sort_values(cols, key=lambda s: s.astype(str)).reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    # The sample archive: revisits, redirects, errors, and enough payloads for several extraction batches.
    return write_sample(tmp_path_factory.mktemp("scale-out"))


@pytest.mark.slow
def test_build_on_a_two_worker_dask_cluster_equals_a_local_build(
    archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = build(tmp_path / "local" / "policy.duckdb", [archive.warc], sources=archive.sources)
    assert local["ok"], local["errors"]

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cl,
        Client(cl) as client,
    ):
        monkeypatch.setenv("POLICY_HISTORY_SCHEDULER", cl.scheduler_address)
        client.get_task_stream()  # installs the scheduler's task-stream plugin, which records from then on
        started = time.time()
        remote = build(tmp_path / "dask" / "policy.duckdb", [archive.warc], sources=archive.sources)
        tasks = client.get_task_stream(start=started)
        workers = set(client.scheduler_info()["workers"])

    assert remote["ok"], remote["errors"]
    assert remote["failed_checks"] == []
    # Both workers ran staged jobs (runtime.pool.call is the one shape every staged job takes).
    ran_on = {t["worker"] for t in tasks if t["key"].startswith("call")}
    assert ran_on == workers and len(workers) == 2, f"jobs ran on {ran_on} of {workers}"
    assert remote["stages"]["documents"]["extracted"] == local["stages"]["documents"]["extracted"] > 0

    ours, theirs = snapshot(tmp_path / "dask" / "policy.duckdb"), snapshot(tmp_path / "local" / "policy.duckdb")
    for name in TABLES:
        assert len(ours[name]) == len(theirs[name]), name
        pd.testing.assert_frame_equal(ours[name], theirs[name], obj=name)
