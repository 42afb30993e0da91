"""Extraction keys: what a build costs next to trafilatura alone, on the same payloads, in one run.

For each corpus it prints: trafilatura alone (our settings, `markdown.tuned`) over every distinct payload on one
core; `policy-history build` cold and rerun (no-op), as a user runs them (a fresh process each); the payloads,
distinct extraction keys and extractions done (pages read); and build / trafilatura.

Corpora: `../shared/data/ota-dating` (863 real captures); the same archive recut as the Wayback Machine holds a
page, each capture taken `--recut` times with fresh nonces, form tokens and cache busters (`bench.archive.recut`);
and a generated history where most captures differ only in chrome (`bench.archive.make_archive`: cache tokens,
copyright years, revisits).

    uv run python -m bench.text.bench_extraction_keys
    uv run python -m bench.text.bench_extraction_keys --warc other.warc.gz --recut 0 --sites 0
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.archive.make_archive import make_archive
from bench.archive.recut import recut
from pipelines.archive.store import RawStore
from pipelines.text.decode import decode
from pipelines.text.markdown import tuned

ROOT = Path(__file__).resolve().parents[2]
OTA = ROOT.parent / "shared" / "data" / "ota-dating" / "captures.warc.gz"
PAYLOADS_SQL = """
    SELECT p.payload_sha256, p.content_type FROM payloads p
    WHERE p.payload_sha256 IN (SELECT payload_sha256 FROM captures WHERE fetch_status = 'ok') ORDER BY 1
"""


def _build(db: Path, inputs: list[Path], sources: Path | None) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "pipelines.cli", "build", "--db", str(db), "--warc", *map(str, inputs)]
    if sources is not None:
        cmd += ["--sources", str(sources)]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout)


def _trafilatura_one_core(db: Path) -> tuple[float, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        todo = con.execute(PAYLOADS_SQL).fetchall()
    store = RawStore(db.parent / "raw")
    payloads = [(store.get(sha), ctype) for sha, ctype in todo]  # read before timing: the build reads them too
    started = time.monotonic()
    for payload, ctype in payloads:
        tuned(decode(payload, ctype))
    return time.monotonic() - started, len(payloads)


def measure(name: str, work: Path, inputs: list[Path], sources: Path | None = None) -> dict:
    """Cold build, no-op rerun and trafilatura alone over one corpus."""
    db = work / name.replace("/", "-") / "policy.duckdb"
    cold_s, cold = _build(db, inputs, sources)
    rerun_s, rerun = _build(db, inputs, sources)
    trafilatura_s, payloads = _trafilatura_one_core(db)
    with duckdb.connect(str(db), read_only=True) as con:
        keys = con.execute("SELECT count(DISTINCT extraction_key) FROM documents").fetchone()[0]
    docs = cold["stages"]["documents"]
    return {
        "corpus": name,
        "captures": cold["tables"]["captures"],
        "payloads": payloads,
        "keys": keys,
        "extractions": docs.get("extractions"),
        "trafilatura_1core_s": round(trafilatura_s, 1),
        "build_cold_s": round(cold_s, 1),
        "build_cold_documents_s": docs.get("seconds"),
        "build_rerun_s": round(rerun_s, 1),
        "rerun_extractions": rerun["stages"]["documents"].get("extractions", 0),
        "build_over_trafilatura": round(cold_s / trafilatura_s, 2),
    }


def _table(rows: list[dict]) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warc", type=Path, default=OTA, help="a real archive (default: ota-dating)")
    ap.add_argument("--recut", type=int, default=5, help="captures of each capture in the recut archive (0: none)")
    ap.add_argument("--sites", type=int, default=40, help="sites of the generated history (0: none)")
    ap.add_argument("--captures", type=int, default=40, help="captures per generated site")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as tmp:
        work = Path(tmp)
        if args.warc.exists():
            # the folder names the corpus: shared archives are all called captures.warc.gz
            name = f"{args.warc.resolve().parent.name}/{args.warc.name.split('.')[0]}"
            rows.append(measure(name, work, [args.warc]))
            if args.recut:
                cut = work / "recut" / args.warc.name
                cut.parent.mkdir()
                recut(args.warc, cut, args.recut)
                rows.append(measure(f"{name} recut x{args.recut}", work, [cut]))
        if args.sites:
            files = make_archive(work / "archive", args.sites, args.captures)
            rows.append(measure(f"generated-{args.sites}x{args.captures}", work, [files.warc_dir], files.sources))
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
