"""The CLI around a build: segment | tag, --version, schema with marts, the README's queries, progress on a
terminal, and CLI builds recorded in the project's Dagster instance."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import duckdb
import pytest
from archive_fixtures import fast_client, pywb  # noqa: F401 (fixture)

from pipelines.archive.fetch import ingest_cdx
from pipelines.archive.sources import Site, Sources
from pipelines.archive.store import RawStore
from pipelines.runtime import progress

ROOT = Path(__file__).resolve().parents[1]
CLI = f"{sys.executable} -m pipelines.cli"
POLICY = """# Privacy Policy

## Sharing

We share your email address and browsing history with advertising partners and other third parties.

## Security

We protect your data with encryption.
"""


def run(*args: str, stdin: str = "", cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_segment_pipes_into_tag(tmp_path: Path) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY)
    out = subprocess.run(
        f"{CLI} segment {policy} | {CLI} tag",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    segments = [json.loads(line) for line in run("segment", str(policy), cwd=ROOT).stdout.splitlines()]
    assert [r["segment_id"] for r in rows] == [s["segment_id"] for s in segments]
    for r, s in zip(rows, segments, strict=True):  # each segment record comes back whole, with its tags added
        assert {k: r[k] for k in s} == s and set(r) - set(s) == {"categories", "scores"}
    sharing = next(r for r in rows if "advertising partners" in r["text"])
    assert "Third Party Sharing/Collection" in sharing["categories"]


def test_tag_names_the_bad_line() -> None:
    good = json.dumps({"segment_id": "s1", "text": "We use cookies."})
    out = run("tag", stdin=f"{good}\n{json.dumps({'text': 'no id'})}\n", cwd=ROOT)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "line 2" in out.stderr and "segment_id" in out.stderr
    out = run("tag", stdin="[1, 2]\n", cwd=ROOT)
    assert out.returncode == 1 and "line 1" in out.stderr


def test_version_is_the_package_version() -> None:
    out = run("--version", cwd=ROOT)
    assert out.returncode == 0 and out.stdout.split() == ["policy-history", version("policy-history")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One CLI demo build (into <tmp>/warehouse, as the README's default paths expect), recorded in a Dagster
    home made from the project's dagster.yaml."""
    root = tmp_path_factory.mktemp("demo")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    out = run("demo", "--out", str(root / "warehouse"), cwd=root, env={"DAGSTER_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    return {"root": root, "home": home, "summary": json.loads(out.stdout)}


def test_schema_prints_every_mart_with_the_columns_a_build_makes(demo: dict) -> None:
    out = run("schema", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    marts = sorted(p.stem for p in (ROOT / "sql" / "marts").glob("*.sql"))
    mart_doc = r"### `(\w+)` \(mart\)\n\n.*?\n\n\| column \| type \|\n\| --- \| --- \|\n(.*?)\n\n"
    printed = dict(re.findall(mart_doc, out.stdout, re.S))
    assert sorted(printed) == marts
    con = duckdb.connect(demo["summary"]["published_db"], read_only=True)
    for mart in marts:
        built = [(r[0], r[1]) for r in con.execute(f'DESCRIBE "{mart}"').fetchall()]
        listed = re.findall(r"^\| `(\w+)` \| (.+?) \|$", printed[mart], re.M)
        assert listed == built, mart
    con.close()
    assert "### `captures`" in out.stdout  # the base tables are still there


def readme_queries() -> list[str]:
    """Every `policy-history query` command line of the README."""
    return [line.strip() for line in (ROOT / "README.md").read_text().splitlines()
            if line.startswith(".venv/bin/policy-history query ")]  # fmt: skip


def test_readme_lists_query_commands() -> None:
    assert len(readme_queries()) >= 3


@pytest.mark.parametrize("command", readme_queries())
def test_readme_query_runs_on_the_demo_warehouse(demo: dict, command: str) -> None:
    line = command.replace(".venv/bin/policy-history query", f"{CLI} query --format json", 1)
    out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=120, cwd=demo["root"],
                         env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert [json.loads(r) for r in out.stdout.splitlines()], f"no rows: {command}"


def test_query_errors_in_one_line(demo: dict) -> None:
    out = run("query", "select nope from sites", cwd=demo["root"])
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(out.stderr.splitlines()) == 1
    out = run("query", "select 1", "--db", str(demo["root"] / "missing.duckdb"))
    assert out.returncode == 1 and "no warehouse" in out.stderr


def test_cli_build_is_recorded_in_the_project_instance(demo: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

    # as `make dev` opens it: DAGSTER_HOME and the working directory are the folder holding dagster.yaml
    monkeypatch.setenv("DAGSTER_HOME", str(demo["home"]))
    monkeypatch.chdir(demo["home"])
    with DagsterInstance.get() as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].status == DagsterRunStatus.SUCCESS
        run_id = runs[0].run_id
        materialized = {
            e.asset_materialization.asset_key.to_user_string()
            for e in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
        }
        assert set(demo["summary"]["stages"]) <= materialized and "published" in materialized
        checks = instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        assert checks and all(e.dagster_event.event_specific_data.passed for e in checks)


SITE = Sources([Site("shop-a", policy_urls=("http://www.shop-a.test/privacy.html",))])


@pytest.mark.parametrize("tty", [True, False])
def test_cdx_progress_only_on_a_terminal(pywb, tmp_path: Path, tty: bool) -> None:  # noqa: F811
    stream = io.StringIO()
    assert progress.enable(stream, isatty=tty) is tty
    try:
        result = ingest_cdx(SITE, RawStore(tmp_path / "raw"), fast_client(pywb.cdx, pywb.replay), 8, {})
    finally:
        progress.disable()
    text = stream.getvalue()
    if not tty:
        assert text == ""
        return
    listed = re.search(r"^shop-a: listed ([\d,]+) captures \(([\d,]+) pages\)$", text, re.M)
    assert listed and int(listed[1].replace(",", "")) > 0 and int(listed[2]) >= 1
    final = text.strip().splitlines()[-1]
    states = [c.fetch_state for c in result.captures]
    n = len(states)
    assert final.startswith(f"shop-a: fetched {n:,}/{n:,} ({states.count('reused'):,} reused, 0 inferred)")
