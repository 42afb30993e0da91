"""Scale benchmark: generate a large synthetic archive, build it through Dagster, print where the time goes.

Prints captures/s end to end, seconds per stage, peak memory (this process and its children, sampled),
fetches vs distinct digests, the time trafilatura alone takes over the same distinct payloads with our
settings and the same parallelism (and total / trafilatura), the seconds of a no-op rerun, and peak memory
at a second, smaller size (each size is built in its own child process so the peaks are comparable).

    uv run python -m bench.bench_scale                       # 1,000 sites x 12 captures, plus a 250-site build
    uv run python -m bench.bench_scale --sites 300 --captures 8 --no-small
    uv run python -m bench.bench_scale --noop-sites 10000    # no-op rerun over 10,000 sites
    uv run python -m bench.bench_scale --profile 300         # cProfile of extract() over 300 distinct payloads
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import psutil

from bench.archive.make_archive import make_archive
from pipelines.archive.store import RawStore
from pipelines.build import build
from pipelines.runtime.pool import call, compute_pool
from pipelines.text.decode import decode
from pipelines.text.extract import extract
from pipelines.text.markdown import tuned
from pipelines.text.stage import EXTRACT_BATCH
from pipelines.warehouse.tables import memory_limit

# The distinct payloads a build extracts: those of ok captures (what extract_documents reads).
PAYLOADS_SQL = """
    SELECT p.payload_sha256, p.content_type FROM payloads p
    WHERE p.payload_sha256 IN (SELECT payload_sha256 FROM captures WHERE fetch_status = 'ok') ORDER BY 1
"""


@contextmanager
def peak_rss() -> Iterator[dict]:
    """Sample the summed RSS of this process and all its descendants; yields a dict whose 'mb' is the peak."""
    me, out, stop = psutil.Process(), {"mb": 0.0}, threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                with suppress(psutil.Error):  # a worker that has just exited
                    total += p.memory_info().rss
            out["mb"] = max(out["mb"], total / 1e6)
            stop.wait(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield out
    finally:
        stop.set()
        thread.join()


def _trafilatura_batch(store_root: str, tasks: list[tuple[str, str | None]]) -> int:
    """trafilatura alone, with our settings (extract.tuned), over a batch of payloads from the raw store."""
    store = RawStore(store_root)
    return sum(bool(tuned(decode(store.get(sha), ctype))) for sha, ctype in tasks)


def trafilatura_alone(db: Path, store: Path) -> tuple[float, int]:
    """Seconds for trafilatura over every distinct payload of the build, in the build's pool and batch size."""
    with duckdb.connect(str(db), read_only=True) as con:
        todo = con.execute(PAYLOADS_SQL).fetchall()
    batches = [todo[i : i + EXTRACT_BATCH] for i in range(0, len(todo), EXTRACT_BATCH)]
    started = time.monotonic()
    with compute_pool() as pool:  # the same pool extract_documents uses (pool start-up included, as there)
        list(pool.run(call, ((_trafilatura_batch, str(store), b) for b in batches)))
    return time.monotonic() - started, len(todo)


def archive_figures(db: Path) -> dict:
    """Rows and digests of a built warehouse."""
    with duckdb.connect(str(db), read_only=True) as con:
        q = con.execute(
            """SELECT count(*), count(DISTINCT digest) FILTER (WHERE digest IS NOT NULL),
                      count(DISTINCT payload_sha256), count(DISTINCT site_id) FROM captures"""
        ).fetchone()
        versions = con.execute("SELECT count(*) FROM policy_versions").fetchone()[0]
    return {"captures": q[0], "distinct_digests": q[1], "distinct_payloads": q[2], "sites": q[3], "versions": versions}


def run_size(work: Path, sites: int, captures: int, full: bool) -> dict:
    """Generate, build, and (when full) time trafilatura alone and a no-op rerun. Runs in a child process."""
    t0 = time.monotonic()
    files = make_archive(work / "archive", sites, captures)
    gen_s = time.monotonic() - t0
    db = work / "wh" / "policy.duckdb"
    with peak_rss() as peak:
        first = build(db, [files.warc_dir], sources=files.sources)
    out = {
        "sites": sites,
        "records": files.records,
        "archive_mb": round(files.bytes / 1e6, 1),
        "generate_s": round(gen_s, 1),
        "build_ok": first["ok"],
        "errors": first["errors"][:3],
        "build_s": first["seconds"],
        "stage_s": {k: v.get("seconds") for k, v in first["stages"].items()},
        "payloads_stored": first["stages"].get("captures", {}).get("payloads_stored"),
        "extracted": first["stages"].get("documents", {}).get("extracted"),
        "peak_mb_tree": round(peak["mb"]),
        # maxrss: this process, and the largest single (reaped) child; kB on Linux
        "maxrss_self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3),
        "maxrss_child_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3),
        **archive_figures(db),
    }
    if not full:
        return out
    out["trafilatura_s"], out["trafilatura_payloads"] = trafilatura_alone(db, db.parent / "raw")
    rerun = timed_rerun(db, files.warc_dir, files.sources)
    out.update({k: v for k, v in rerun.items() if k != "tables"})
    out["noop_same_tables"] = rerun["tables"] == first["tables"]
    return out


def timed_rerun(db: Path, warc_dir: Path, sources: Path) -> dict:
    """Build again over the same inputs; its seconds, per-stage seconds and the work each stage did."""
    started = time.monotonic()
    rerun = build(db, [warc_dir], sources=sources)
    st = rerun["stages"]
    return {
        "noop_s": round(time.monotonic() - started, 1),
        "noop_stage_s": {k: v.get("seconds") for k, v in st.items()},
        "noop_work": {
            "payloads_stored": st.get("captures", {}).get("payloads_stored"),
            "extracted": st.get("documents", {}).get("extracted"),
            "segmented": st.get("segments", {}).get("documents"),
            "texts_tagged": st.get("segment_practices", {}).get("texts_tagged"),
        },
        "tables": rerun["tables"],
    }


def profile_extract(work: Path, n: int) -> str:
    """cProfile of extract() over n distinct payloads of a small generated archive, top functions by own time."""
    files = make_archive(work / "archive", max(20, n // 5), 10)
    db = work / "wh" / "policy.duckdb"
    build(db, [files.warc_dir], sources=files.sources)
    store = RawStore(db.parent / "raw")
    with duckdb.connect(str(db), read_only=True) as con:
        todo = con.execute(PAYLOADS_SQL).fetchall()[:n]
    prof = cProfile.Profile()
    prof.enable()
    for sha, ctype in todo:
        extract(store.get(sha), ctype)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return f"extract() over {len(todo)} payloads\n" + buf.getvalue()


def _child(args: argparse.Namespace, sites: int, captures: int, full: bool) -> dict:
    """Run one size in a fresh interpreter, so its peak memory is its own."""
    cmd = [sys.executable, "-m", "bench.bench_scale", "--child", str(args.work), str(sites), str(captures)]
    cmd += ["--full"] if full else []
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        sys.exit(f"child run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def report(r: dict) -> None:
    """Print one full-size run."""
    tr = r["trafilatura_s"]
    print(f"archive: {r['sites']} sites, {r['records']} records, {r['archive_mb']} MB gzipped")
    print(f"build (Dagster materialization): {r['build_s']:.1f} s, ok={r['build_ok']} {r['errors'] or ''}")
    print(f"  captures/s end to end: {r['captures'] / r['build_s']:.1f}   ({r['captures']} captures)")
    for stage, s in r["stage_s"].items():
        share = f"{100 * s / r['build_s']:5.1f}%" if s is not None else ""
        print(f"  {stage:<18} {s if s is not None else '-':>8} s  {share}")
    print(
        f"  fetches (payloads stored): {r['payloads_stored']}; distinct archive digests: {r['distinct_digests']};"
        f" distinct payload sha256: {r['distinct_payloads']}"
    )
    print(f"  documents extracted: {r['extracted']}; policy versions: {r['versions']}")
    print(f"trafilatura alone over the same {r['trafilatura_payloads']} payloads, same pool: {tr:.1f} s")
    print(
        f"  ratio total / trafilatura: {r['build_s'] / tr:.2f}   documents stage / trafilatura:"
        f" {r['stage_s']['documents'] / tr:.2f}"
    )
    print(f"no-op rerun: {r['noop_s']} s; work done: {r['noop_work']}; tables unchanged: {r['noop_same_tables']}")
    print(f"  per stage: {r['noop_stage_s']}")


def main(argv: list[str] | None = None) -> int:
    """CLI: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--captures", type=int, default=12, help="records per site")
    ap.add_argument("--no-small", action="store_true", help="skip the second, smaller build (memory comparison)")
    ap.add_argument("--noop-sites", type=int, default=0, help="instead: build N sites, then time a no-op rerun")
    ap.add_argument("--noop-captures", type=int, default=2)
    ap.add_argument("--profile", type=int, default=0, help="instead: cProfile extract() over N payloads")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        work, sites, captures = Path(args.child[0]), int(args.child[1]), int(args.child[2])
        print(json.dumps(run_size(work / f"s{sites}x{captures}", sites, captures, args.full)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        args.work = args.work or Path(tmp)
        if args.profile:
            print(profile_extract(args.work / "profile", args.profile))
            return 0
        if args.noop_sites:
            started = time.monotonic()
            r = _child(args, args.noop_sites, args.noop_captures, full=False)
            print(
                f"first build: {r['sites']} sites, {r['captures']} captures in {r['build_s']} s "
                f"({time.monotonic() - started:.0f} s with generation)"
            )
            r = _noop_only(args, args.noop_sites, args.noop_captures)
            print(f"no-op rerun over {args.noop_sites} sites: {r['noop_s']} s; work done: {r['noop_work']}")
            print(f"  per stage: {r['noop_stage_s']}")
            return 0
        big = _child(args, args.sites, args.captures, full=True)
        report(big)
        print(
            f"peak memory (RSS of the process tree, sampled): {big['peak_mb_tree']} MB at {big['captures']} "
            f"captures; maxrss self {big['maxrss_self_mb']} MB, largest child {big['maxrss_child_mb']} MB"
        )
        # The writer's growth with the data is DuckDB's working memory, which this limit bounds.
        print(f"  DuckDB memory limit: {memory_limit()} (POLICY_HISTORY_DUCKDB_MEMORY)")
        if not args.no_small:
            small = _child(args, max(1, args.sites // 4), args.captures, full=False)
            print(
                f"peak memory at {small['captures']} captures: {small['peak_mb_tree']} MB "
                f"(maxrss self {small['maxrss_self_mb']} MB, largest child {small['maxrss_child_mb']} MB); "
                f"build {small['build_s']} s = {small['captures'] / small['build_s']:.1f} captures/s"
            )
    return 0


def _noop_only(args: argparse.Namespace, sites: int, captures: int) -> dict:
    """Time a rerun over the archive and warehouse that _child built for this size (nothing new to do)."""
    work = args.work / f"s{sites}x{captures}"
    return timed_rerun(work / "wh" / "policy.duckdb", work / "archive" / "warc", work / "archive" / "sources.toml")


if __name__ == "__main__":
    raise SystemExit(main())
