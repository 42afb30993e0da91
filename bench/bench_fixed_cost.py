"""Fixed cost of a small build: the wall time of `policy-history build` over 10 captures, and where it goes.

Copies the first N response records of a WARC (default: ../shared/data/ota-dating, 10 records) into a temporary
WARC and builds it with `python -m pipelines.cli build`, each run in a fresh process and into a fresh warehouse;
prints the median wall time of `--runs` runs. Then as many breakdown runs, each a child process that calls
`pipelines.build.build` as the CLI does, print the median of: the interpreter's start and exit, the imports
(the CLI's, then Dagster's and the assets'), each stage's own seconds (its asset's body, as the build's summary
reports it) and Dagster's share (the rest of the build: instance, run, plan, events).

    uv run python -m bench.bench_fixed_cost
    uv run python -m bench.bench_fixed_cost --captures 10 --runs 5
"""

from __future__ import annotations

# Only the standard library at the top: the child's import figures start from here.
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WARC = REPO.parent / "shared" / "data" / "ota-dating" / "captures.warc.gz"


def first_responses(source: Path, n: int, out: Path) -> int:
    """Copy the first `n` response records of `source` into the WARC `out`; how many there were."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    copied = 0
    with source.open("rb") as f, out.open("wb") as dst:
        writer = WARCWriter(dst, gzip=True)
        for record in ArchiveIterator(f):
            if record.rec_type == "response":
                writer.write_record(record)
                copied += 1
                if copied == n:
                    break
    return copied


def cli_wall(warc: Path, db: Path) -> float:
    """Seconds of one `policy-history build` over `warc`, in a fresh process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--warc", str(warc), "--db", str(db)],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def breakdown(warc: Path, db: Path) -> dict[str, float]:
    """Where one build's time goes (see the module docstring), from a child process that builds as the CLI does."""
    spawned = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_fixed_cost", "--child", str(warc), str(db)],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    ended = time.time()
    t = json.loads(done.stdout.strip().splitlines()[-1])
    stages = t["stages"]
    return {
        "wall": ended - spawned,
        "python start, and exit": (t["started"] - spawned) + (ended - t["ended"]),
        "imports: pipelines.build (as the CLI)": t["imports_cli"],
        "imports: dagster, its instance storage, assets": t["imports_dagster"],
        **{f"stage {name}": seconds for name, seconds in stages.items()},
        "stages, all": sum(stages.values()),
        "Dagster: build() less the stages": t["build"] - sum(stages.values()),
    }


def child(warc: Path, db: Path) -> None:
    """The breakdown run: what `policy-history build --warc WARC --db DB` does, with the times of its phases as
    JSON. Dagster, the asset modules and the in-memory instance storage that `build` imports lazily are imported
    first here, so that their imports count as imports, not as Dagster's run."""
    started = time.time()
    t0 = time.perf_counter()
    from pipelines.build import build  # what the CLI's build command imports

    t1 = time.perf_counter()
    import dagster._core.storage.event_log  # noqa: F401 - the ephemeral instance's storage (SQLAlchemy, alembic)
    import dagster._core.storage.runs  # noqa: F401

    import assets.definitions  # noqa: F401

    t2 = time.perf_counter()
    summary = build(db, [warc])
    t3 = time.perf_counter()
    assert summary["ok"], summary["reason"]
    stages = {name: float(meta.get("seconds", 0.0)) for name, meta in summary["stages"].items()}
    times = {"imports_cli": t1 - t0, "imports_dagster": t2 - t1, "build": t3 - t2, "stages": stages}
    print(json.dumps({**times, "started": started, "ended": time.time()}), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warc", type=Path, default=DEFAULT_WARC, help="where the captures come from")
    parser.add_argument("--captures", type=int, default=10, help="response records copied into the build's WARC")
    parser.add_argument("--runs", type=int, default=3, help="builds timed, and as many broken down")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("WARC", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="fixed-cost-") as tmp:
        warc = Path(tmp) / "small.warc.gz"
        n = first_responses(args.warc, args.captures, warc)
        walls = [cli_wall(warc, Path(tmp) / f"wall{i}" / "policy.duckdb") for i in range(args.runs)]
        runs = [breakdown(warc, Path(tmp) / f"parts{i}" / "policy.duckdb") for i in range(args.runs)]
    print(f"{n} captures, {args.runs} runs; `policy-history build` wall: median {statistics.median(walls):.2f} s "
          f"({', '.join(f'{w:.2f}' for w in walls)})")  # fmt: skip
    for name in runs[0]:
        print(f"  {name:48s} {statistics.median(r.get(name, 0.0) for r in runs):6.2f} s")


if __name__ == "__main__":
    main()
