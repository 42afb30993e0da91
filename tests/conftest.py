"""Session setup: CLI builds run by tests are recorded in a throwaway Dagster instance, not the developer's."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: object) -> None:
    # A CLI build records its run in $DAGSTER_HOME (else the project's .dagster_home/): give the session its own,
    # configured by the project's dagster.yaml, so that code path is what tests run.
    home = Path(tempfile.mkdtemp(prefix="policy-history-dagster-"))
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)


def pytest_unconfigure(config: object) -> None:
    home = os.environ.pop("DAGSTER_HOME", "")
    if home and Path(home).name.startswith("policy-history-dagster-"):
        shutil.rmtree(home, ignore_errors=True)
