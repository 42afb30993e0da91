"""The Dagster instance storage a CLI build records its run in (see `pipelines.build.project_instance`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool


class EngineKeepingSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log storage, keeping one SQLAlchemy engine per database file where Dagster's
    creates and disposes of one for every event it stores.

    Connections are still opened and closed at each use (NullPool), as Dagster's own are; what is kept is the
    engine, with its dialect and its cache of compiled statements. A build stores some 300 events, and making
    the engine and compiling the same INSERTs again for each cost about 1.5 s of a small build.
    """

    def _engine(self, shard: str) -> Engine:
        engines: dict[str, Engine] = self.__dict__.setdefault("_kept_engines", {})
        if shard not in engines:
            engines[shard] = create_engine(
                self.conn_string_for_shard(shard),
                poolclass=NullPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
        return engines[shard]

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        with self._engine(INDEX_SHARD_NAME).connect() as conn:
            return bool(conn.dialect.has_table(conn, table_name))


def keep_engines(storage: object) -> None:
    """Make Dagster's own SQLite event log storage keep its engines (any other storage is left as it is)."""
    if type(storage) is SqliteEventLogStorage:
        storage.__class__ = EngineKeepingSqliteEventLogStorage
