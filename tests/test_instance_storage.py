"""The Dagster instance a CLI build records its run in keeps its SQLite engines (`assets.instance`); that the
run it records reads back in a plain instance, as `dagster dev` opens it, is
`test_cli_chain.test_cli_build_is_recorded_in_the_project_instance`."""

from __future__ import annotations

from pathlib import Path

from assets.instance import EngineKeepingSqliteEventLogStorage
from pipelines.build import project_instance


def test_a_cli_builds_event_storage_uses_one_engine_per_database(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text("storage:\n  sqlite:\n    base_dir: storage\n")
    instance = project_instance(tmp_path)
    storage = instance.event_log_storage
    assert isinstance(storage, EngineKeepingSqliteEventLogStorage)
    engines = []
    for shard in ("index", "index", "some-run", "some-run"):
        with storage._connect(shard) as conn:  # noqa: SLF001 - the method every event store goes through
            engines.append(conn.engine)
    assert engines[0] is engines[1] and engines[2] is engines[3] and engines[0] is not engines[2]
    assert (tmp_path / "storage" / "history" / "runs" / "some-run.db").is_file()
    assert storage.has_table("event_logs")
    instance.dispose()
