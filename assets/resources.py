"""The one resource every asset uses: where the warehouse is and where captures come from."""

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import dagster as dg

from pipelines.archive.sources import Sources, load_sources
from pipelines.archive.store import RawStore
from pipelines.practices.taggers import load_tagger
from pipelines.practices.tags import Tagger
from pipelines.runtime.pool import Pool, compute_pool
from pipelines.warehouse.tables import Paths

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO / "warehouse" / "policy.duckdb"
DEFAULT_SOURCES = REPO / "config" / "sources.toml"


class PolicyHistory(dg.ConfigurableResource):
    """Warehouse location, capture sources and tagger. Defaults come from environment variables
    (POLICY_HISTORY_DB, POLICY_HISTORY_SOURCES, POLICY_HISTORY_WARC as os.pathsep-separated paths,
    POLICY_HISTORY_TAGGER_MODEL, POLICY_HISTORY_SCHEDULER) so `dagster dev` and the CLI share one configuration.
    With a Dask scheduler address, per-document work runs on that cluster's workers (docs/scale-out.md)."""

    db_path: str = os.environ.get("POLICY_HISTORY_DB", str(DEFAULT_DB))
    sources_path: str = os.environ.get("POLICY_HISTORY_SOURCES", str(DEFAULT_SOURCES))
    warc_paths: list[str] = [p for p in os.environ.get("POLICY_HISTORY_WARC", "").split(os.pathsep) if p]
    tagger_model: str = os.environ.get("POLICY_HISTORY_TAGGER_MODEL", "")
    scheduler: str = os.environ.get("POLICY_HISTORY_SCHEDULER", "")

    @property
    def paths(self) -> Paths:
        return Paths.beside(self.db_path)

    @property
    def store(self) -> RawStore:
        return RawStore(self.paths.store)

    def sources(self) -> Sources | None:
        """The sources file, or None when WARC files are given directly (every host is a site)."""
        return None if self.warc_paths and not self.sources_path else load_sources(self.sources_path)

    def archives(self) -> list[str]:
        """The WARC/ARC paths to read: those given win over the sources file's archive; without any, the
        sources' own `warc` list unless it names a CDX server (then none, and captures come from the server)."""
        srcs = self.sources()
        if self.warc_paths or srcs is None or srcs.cdx:
            return list(self.warc_paths)
        return [str(p) for p in srcs.warc_paths]

    def tagger(self) -> Tagger:
        return load_tagger(self.tagger_model or None)

    @contextmanager
    def pool(self) -> Iterator[Pool | None]:
        """The Dask cluster's pool when a scheduler is configured; else None (each stage sizes its own)."""
        # read the environment here too: the field default was fixed when this module was first imported
        scheduler = self.scheduler or os.environ.get("POLICY_HISTORY_SCHEDULER", "")
        with compute_pool(scheduler) if scheduler else nullcontext() as pool:
            yield pool
