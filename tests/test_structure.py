"""Meta-tests that keep the structure honest: graph snapshot, SQL headers, CLI help, folder roles."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import cli
from pipelines.warehouse.models import model_files, model_reads
from pipelines.warehouse.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent


def test_definitions_load_with_expected_graph() -> None:
    from assets.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = sorted(k.to_user_string() for k in graph.get_all_asset_keys())
    # A snapshot of the graph: an accidental change to the asset set shows up here in review.
    assert keys == [
        "captures",
        "documents",
        "marts",
        "policy_versions",
        "published",
        "segment_practices",
        "segments",
        "version_changes",
    ]
    assert defs.resolve_schedule_def("nightly_build").cron_schedule == "0 3 * * *"
    for key in graph.get_all_asset_keys():
        assert graph.get(key).description, f"{key} has no description"


def test_every_sql_model_states_its_grain() -> None:
    files = model_files()
    assert files, "no SQL models found"
    for path in files:
        head = "\n".join(path.read_text().splitlines()[:5]).lower()
        assert "grain" in head, f"{path} does not state its grain in its first lines"


def test_pipelines_never_import_dagster_at_module_level() -> None:
    for path in (ROOT / "pipelines").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:  # module level only: build.py imports dagster lazily, inside functions
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "dagster" for n in names), f"{path} imports dagster"


@pytest.mark.parametrize("command", sorted(cli.EXAMPLES))
def test_every_command_has_help_with_an_example(command: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", command, "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "example:" in out and f"policy-history {command}" in out


def test_schema_doc_covers_every_table_and_column() -> None:
    doc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "schema"], capture_output=True, text=True, check=True
    ).stdout
    for table in TABLES.values():
        assert f"### `{table.name}`" in doc
        for col in table.columns:
            assert f"| `{col.name}` |" in doc


def test_every_sql_model_comes_after_the_models_it_reads() -> None:
    files = model_files()
    names = [p.stem for p in files]
    # a model reads the models of its own layer, and all of the layers before it
    reads = {p.stem: model_reads(p, [q.stem for q in files if q.parent == p.parent]) for p in files}
    assert reads["stg_documents_current"] == ["stg_documents"]  # one that name order alone would get wrong
    for i, path in enumerate(files):
        for dep in reads[path.stem]:
            assert names.index(dep) < i, f"{path.stem} reads {dep}, which is created after it"
