"""Builds from a CDX server (a real pywb on 127.0.0.1), killed with SIGKILL at random points and restarted,
end with the same warehouse as an uninterrupted build; a rerun fetches nothing."""

import contextlib
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from pywb_server import PywbServer, pywb_venv

from pipelines.sample.archive import write_sample

# Columns that legitimately differ between two builds (wall-clock times) are left out of the comparison.
COMPARED = {
    "captures": "select * exclude (source) from captures order by capture_id",
    "payloads": "select * exclude (stored_at) from payloads order by payload_sha256",
    "documents": "select * from documents order by payload_sha256",
    "segments": "select * from segments order by payload_sha256, position",
    "segment_practices": "select * from segment_practices order by all",
    "policy_versions": "select * from policy_versions order by version_id",
    "version_changes": "select * from version_changes order by to_version_id",
}


@pytest.fixture(scope="module")
def cdx_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = pywb_venv()
    if venv is None:
        pytest.skip("pywb not installed: run scripts/pywb.sh (scripts/test.sh runs it)")
    root = tmp_path_factory.mktemp("resume")
    files = write_sample(root / "sample")
    workdir = root / "pywb"
    workdir.mkdir()
    server = PywbServer([files.warc.resolve()], workdir, venv)
    sources = root / "sources.toml"
    sources.write_text(
        f'[archive]\ncdx = "{server.cdx}"\nreplay = "{server.replay}"\nrate = 0\n\n' + files.sources.read_text()
    )
    yield sources
    server.stop()


def _build(sources: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--sources", str(sources), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}
    finally:
        con.close()


@pytest.mark.slow
def test_killed_and_restarted_build_equals_an_uninterrupted_one(cdx_sources: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean" / "w.duckdb"
    proc = _build(cdx_sources, clean)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    expected = _snapshot(clean)
    assert len(expected["captures"]) > 100 and expected["policy_versions"]

    killed = tmp_path / "killed" / "w.duckdb"
    rng = random.Random(20261123)
    kills = 0
    orphans: list[psutil.Process] = []
    for _ in range(4):
        proc = _build(cdx_sources, killed)
        time.sleep(rng.uniform(1.0, 10.0))
        if proc.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                orphans += psutil.Process(proc.pid).children(recursive=True)
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)  # would hang while a killed build's workers hold its pipes
    assert kills >= 2, "the build finished before it could be killed: choose later kill points"
    # the pool workers of a killed build end with it
    gone, alive = psutil.wait_procs(orphans, timeout=15)
    assert not alive, f"workers outlived their killed build: {alive}"
    proc = _build(cdx_sources, killed)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert _snapshot(killed) == expected

    # Nothing new: a rerun fetches no payload and extracts nothing.
    proc = _build(cdx_sources, killed)
    out, _ = proc.communicate(timeout=600)
    assert '"fetched": 0' in out and '"extracted": 0' in out
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
