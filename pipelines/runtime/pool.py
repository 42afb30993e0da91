"""Where per-document work runs: a process pool over this machine's cores, a Dask cluster, or inline.

Workers only compute and stage Parquet; the build's own process stays the one writer of DuckDB.
"""

from __future__ import annotations

import atexit
import importlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context

PARALLEL_MIN_DOCS = 64  # below this a process pool costs more than it saves
TASKS_PER_SLOT = 8  # a stage's tasks per worker, at least: its last task then leaves the others idle briefly


@dataclass
class Pool:
    """Where per-document work runs: an Executor (local processes or a Dask cluster) and how many tasks it
    runs at once, which bounds how many staged batches are in flight."""

    executor: Executor
    slots: int

    def run(self, fn: Callable, jobs: Iterable) -> Iterator:
        """fn over jobs, results in completion order, never more than a few jobs ahead of the slots."""
        pending: set[Future] = set()
        for job in jobs:
            pending.add(self.executor.submit(fn, job))
            if len(pending) >= 2 * self.slots:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in finished)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in finished)


class _Inline(Executor):
    """Runs each job at once in this process: a pool costs more than it saves on small runs."""

    def submit(self, fn: Callable, /, *args: object, **kwargs: object) -> Future:
        f: Future = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            f.set_exception(exc)
        return f


@contextmanager
def compute_pool(scheduler: str | None = None) -> Iterator[Pool]:
    """The pool for per-document work: the Dask cluster at `scheduler` (e.g. tcp://10.0.0.5:8786) when given,
    else a process pool over this machine's cores (kept for the life of this process). Workers only compute
    and stage Parquet; this process stays the one writer of DuckDB."""
    if scheduler:
        from distributed import Client  # noqa: PLC0415 - only cluster runs need Dask

        with Client(scheduler) as client:
            slots = sum(client.nthreads().values()) or 1
            yield Pool(client.get_executor(pure=False), slots)
    else:
        yield _local_pool()


_LOCAL_POOLS: dict[int, Pool] = {}


def _local_pool() -> Pool:
    """This machine's process pool, started once per process and reused by every later stage and build.

    Starting spawn workers and importing trafilatura, lxml and the tagger in each costs seconds per stage,
    more than a small stage's whole work; a kept pool pays it once. A pool broken by a dying worker is
    replaced. Keyed by pid so a forked child never shares its parent's pool.
    """
    pool = _LOCAL_POOLS.get(os.getpid())
    if pool is None or getattr(pool.executor, "_broken", False):
        workers = max(1, os.cpu_count() or 1)
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("spawn"), initializer=_exit_with_parent, initargs=(os.getpid(),)
        )
        pool = _LOCAL_POOLS[os.getpid()] = Pool(executor, workers)
        atexit.register(executor.shutdown, wait=True, cancel_futures=True)
    return pool


def warm(modules: Iterable[str]) -> None:
    """Start this machine's pool now, without waiting: each worker imports `modules` and calls their
    `warm_up()`. A stage that is about to keep the build's process busy a while (reading WARC files) calls
    this, so that spawning the workers and loading their libraries and models (~1 s each) happen meanwhile
    instead of in front of the first per-document stage."""
    pool = _local_pool()
    for _ in range(pool.slots):
        pool.executor.submit(_warm_up, tuple(modules))


def _warm_up(modules: tuple[str, ...]) -> None:
    for name in modules:
        getattr(importlib.import_module(name), "warm_up", lambda: None)()


def _exit_with_parent(parent: int) -> None:
    """Pool worker initializer: end the worker once the process that started it is gone. Workers of a killed
    build otherwise live on, idle but holding memory and the build's output pipes, for ever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


@contextmanager
def pool_or_local(pool: Pool | None, n_items: int = PARALLEL_MIN_DOCS) -> Iterator[Pool]:
    if pool is not None:
        yield pool
    elif n_items < PARALLEL_MIN_DOCS:
        yield Pool(_Inline(), 1)
    else:
        with compute_pool() as p:
            yield p


def task_size(n: int, slots: int, most: int, least: int = 1) -> int:
    """Items per task for a stage of `n` items on `slots` workers: `most` on a big stage, smaller on a small one,
    so that each worker gets TASKS_PER_SLOT tasks (never below `least`, where scheduling would outweigh them).
    Eight tasks of 32 pages, two workers: the one still reading the last task's pages holds the stage for
    seconds."""
    return max(least, min(most, -(-n // (slots * TASKS_PER_SLOT))))


def call(job: tuple) -> object:
    """Run (fn, *args) in a worker: one picklable shape for every kind of staged job."""
    fn, *args = job
    return fn(*args)
