"""Headless builds: materialize the Dagster asset graph in-process (the CLI's build and demo).

This is the one place in `pipelines/` that reaches into Dagster, and it imports it lazily.
"""

from __future__ import annotations

import contextlib
import logging
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from pipelines.archive.stage import warnings as capture_warnings
from pipelines.archive.warc import expand_paths
from pipelines.warehouse import tables

log = logging.getLogger(__name__)

NO_COMPUTE_LOGS = {"module": "dagster._core.storage.noop_compute_log_manager", "class": "NoOpComputeLogManager"}


def build(
    db: Path,
    warc_paths: Sequence[str | Path] = (),
    sources: str | Path | None = None,
    tagger_model: str | Path | None = None,
    dagster_home: Path | None = None,
) -> dict:
    """Materialize every asset over all shards; return a summary (ok, tables, stages, failed checks, errors,
    and where the published copy and dashboard are: None when this build did not publish).

    With `dagster_home` (a folder holding a dagster.yaml), the run, its materializations and its check results
    are recorded in that Dagster instance, where `dagster dev` lists them; without it the instance is ephemeral.

    Captures come from `warc_paths` (which win over the sources file's archive), or, when none are given, from
    the sources file's CDX server or WARC files. `ok` is false, with `reason` in one line, when nothing usable
    came in or a step or check failed; then nothing is published and the last publication stays. Partial
    trouble (unreadable files, records cut short, failed sites) keeps `ok` and is listed in `warnings`.
    """
    import dagster as dg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)  # backfill_policy is beta; nothing a user can act on
        from assets.definitions import ALL_ASSETS, all_shards_tags
        from assets.resources import PolicyHistory
    from pipelines.archive.sources import load_sources

    files = expand_paths(warc_paths)  # fail early, with one line, on a missing path
    cdx = bool(sources and load_sources(sources).cdx)
    if not files and (warc_paths or not cdx):
        raise FileNotFoundError(f"no WARC/ARC files in {', '.join(map(str, warc_paths)) or 'the arguments'}")
    resource = PolicyHistory(
        db_path=str(db),
        sources_path=str(sources or ""),
        warc_paths=[str(f) for f in files],
        tagger_model=str(tagger_model or ""),
    )
    started = time.monotonic()
    # The warehouse stays open for the whole run: each asset's and check's `tables.connect` then gets a new
    # connection to this open database (DuckDB keeps one per file and process) instead of opening the file,
    # and checkpointing it on close, every time: ~25 ms each, some 20 times a build.
    instance = project_instance(dagster_home) if dagster_home else contextlib.nullcontext(None)
    with instance as recorded_in, _wal_commits_unsynced(), tables.connect(db) as con:
        result = dg.materialize(
            ALL_ASSETS,
            instance=recorded_in,  # None: an ephemeral instance, gone with the run
            resources={"policy_history": resource},
            tags=all_shards_tags(),
            raise_on_error=False,
            # Dagster logs a failed step with its stack trace; the summary gives its cause in one line instead.
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
        counts = tables.table_counts(con)
    failed_checks = (
        [
            f"{e.asset_check_evaluation_data.asset_key.to_user_string()}:{e.asset_check_evaluation_data.check_name}"
            for e in result.get_asset_check_evaluations()
            if not e.passed
        ]
        if hasattr(result, "get_asset_check_evaluations")
        else []
    )
    errors = [f"{ev.step_key}: {_failure(ev.event_specific_data)}" for ev in result.all_events if ev.is_step_failure]
    stages = {
        m.asset_key.to_user_string(): {k: v.value for k, v in m.metadata.items()}
        for m in (e.event_specific_data.materialization for e in result.get_asset_materialization_events())
    }
    published = stages.get("published", {})  # absent when a step upstream failed: the old copy stays
    ok = result.success and not errors and not failed_checks
    return {
        "ok": ok,
        "reason": None if ok else _reason(errors, failed_checks),
        "warnings": capture_warnings(stages.get("captures", {})),
        **_archive_use(stages.get("captures", {})),
        "db": str(db),
        "seconds": round(time.monotonic() - started, 1),
        "tables": counts,
        "stages": stages,
        "failed_checks": failed_checks,
        "errors": errors,
        "published_db": published.get("db"),
        "dashboard": published.get("dashboard"),
    }


def project_instance(home: Path):  # -> dagster.DagsterInstance, not imported at load time
    """The Dagster instance configured by `home`/dagster.yaml, as `dagster dev` run from `home` opens it.

    Dagster reads a relative `base_dir` against the working directory; here it is read against `home`, so a
    build started from any folder writes to the instance that `DAGSTER_HOME=home dagster dev` shows. Its SQLite
    event storage keeps its engines (`assets.instance`).
    """
    import yaml
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    from assets.instance import keep_engines

    config = yaml.safe_load((home / "dagster.yaml").read_text()) or {}
    resolved = {key: _absolute_dirs(value, home) for key, value in config.items()}
    overrides = {key: value for key, value in resolved.items() if value != config[key]}
    # Capturing each step's stdout and stderr to files doubles a small build's time; a CLI build's output is on
    # the terminal, and the pipeline's log lines are in the run's event log anyway (python_logs).
    overrides.setdefault("compute_logs", NO_COMPUTE_LOGS)
    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))
    keep_engines(instance.event_log_storage)
    return instance


@contextlib.contextmanager
def _wal_commits_unsynced() -> Iterator[None]:
    """While in the block, SQLite databases in WAL mode opened through SQLAlchemy (Dagster's run and event
    storage) commit without waiting for the disk: a run's own event log (a file of its own under `runs/`) with
    `synchronous=OFF`, the shared indexes with `synchronous=NORMAL`.

    Dagster opens a connection, commits and closes it once per event, some 300 for a build of 16 shards; each
    commit and each close (the last connection checkpoints the WAL) waited for an fsync: 0.9 s of a 5-second
    no-op build. NORMAL keeps a WAL database consistent through a power loss; OFF may lose or corrupt that one
    run's log then (never a process crash), which the warehouse does not depend on.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def on_connect(dbapi_connection: object, record: object) -> None:
        if not type(dbapi_connection).__module__.startswith("sqlite3"):
            return
        cur = dbapi_connection.cursor()  # type: ignore[attr-defined]
        if cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            path = Path(cur.execute("PRAGMA database_list").fetchone()[2] or "")
            cur.execute(f"PRAGMA synchronous={'OFF' if path.parent.name == 'runs' else 'NORMAL'}")
        cur.close()

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)


def _absolute_dirs(value: object, home: Path) -> object:
    """`value` with every relative `base_dir` in it made absolute against `home`."""
    if isinstance(value, dict):
        return {
            k: str(home / v) if k == "base_dir" and isinstance(v, str) and not Path(v).is_absolute()
            else _absolute_dirs(v, home)
            for k, v in value.items()
        }  # fmt: skip
    return value


def _archive_use(captures: dict) -> dict:
    """What a CDX build asked of the archive, and how each capture's text was had (absent for WARC builds)."""
    if "cdx_requests" not in captures:
        return {}
    return {
        "archive_requests": {"cdx": captures["cdx_requests"], "replay": captures["replay_requests"]},
        "captures_by_fetch_state": {
            state: captures.get(f"captures_{state}", 0) for state in ("fetched", "reused", "inferred")
        },
    }


def demo(out: Path, dagster_home: Path | None = None) -> dict:
    """Generate the sample archive under out/sample and build out/policy.duckdb from it (published, with its
    dashboard, to out/policy.published/), recorded in the Dagster instance at `dagster_home` if given."""
    from pipelines.sample.archive import write_sample

    files = write_sample(out / "sample")
    log.info("sample archive written: %s", files.warc)
    return build(out / "policy.duckdb", [files.warc], sources=files.sources, dagster_home=dagster_home)


def _failure(data: _StepFailure) -> str:
    """A failed step in one line: what the asset said (an expected failure), else the error's root cause."""
    said = data.user_failure_data.description if data.user_failure_data else None
    return said or _root_cause(data.error)


def _reason(errors: Sequence[str], failed_checks: Sequence[str]) -> str:
    """Why a build failed, in one line: the first failed step's root cause, else the failed checks."""
    if errors:
        return errors[0]
    if failed_checks:
        return f"failed checks: {', '.join(failed_checks)}"
    return "the run failed"


class _ErrorInfo(Protocol):  # dagster's SerializableErrorInfo, which this module does not import at load time
    message: str
    cause: _ErrorInfo | None


class _UserFailure(Protocol):
    description: str | None


class _StepFailure(Protocol):  # dagster's StepFailureData
    error: _ErrorInfo
    user_failure_data: _UserFailure | None


def _root_cause(error: _ErrorInfo) -> str:
    """The innermost error of a failed step, in one line: Dagster wraps it in an error of its own that names only
    the step."""
    while error.cause is not None:
        error = error.cause
    return " ".join(error.message.split())
