"""Exhaustive versus bisecting fetch, over a local pywb: archive requests, boundaries found, and whether each
boundary has the exhaustive build's bracket.

For each archive (ota-dating, and a generated long history: `long_history.py`) pywb serves the WARC on 127.0.0.1,
a sources file names every URL in it (one site per host), and a CDX build runs with `fetch = "all"` and with
`fetch = "bisect"`, each into a fresh warehouse and raw store. A boundary is a version change:
(site, last capture with the old text, first capture with the new). Rates are unlimited: the figures are
request counts, and wall time on a local server.

    python -m bench.archive.bench_bisect [--ota PATH] [--long-captures 1500] [--long-sites 2]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import duckdb
from warcio.archiveiterator import ArchiveIterator

from bench.archive.long_history import generate
from bench.archive.pywb import PywbServer, pywb_venv
from pipelines.archive.sources import host_slug
from pipelines.build import build

OTA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ota-dating" / "captures.warc.gz"


def _urls(warc: Path) -> dict[str, list[str]]:
    """Every response URL of the WARC, by site (its host)."""
    sites: dict[str, set[str]] = {}
    with warc.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type == "response":
                url = rec.rec_headers.get_header("WARC-Target-URI")
                sites.setdefault(host_slug(url), set()).add(url)
    return {s: sorted(u) for s, u in sorted(sites.items())}


def _sources(path: Path, sites: dict[str, list[str]], pywb: PywbServer, fetch: str) -> Path:
    lines = [
        "[archive]",
        f'cdx = "{pywb.cdx}"',
        f'replay = "{pywb.replay}"',
        "rate = 0",
        "cdx_rate = 0",
        f'fetch = "{fetch}"',
    ]
    for site, urls in sites.items():
        lines += ["", "[[site]]", f'id = "{site}"', "policy_urls = " + json.dumps(urls)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _boundaries(db: Path) -> set[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(
            con.execute(
                "SELECT site_id, changed_after, first_captured_at FROM policy_versions WHERE changed_after IS NOT NULL"
            ).fetchall()
        )


def run(name: str, warc: Path, work: Path) -> list[dict]:
    """Both strategies over one archive: one row of figures each."""
    sites = _urls(warc)
    venv = pywb_venv()
    if venv is None:
        raise SystemExit("pywb not installed: run scripts/pywb.sh")
    (work / "pywb").mkdir(parents=True)
    pywb = PywbServer([warc], work / "pywb", venv)
    rows = []
    try:
        found: dict[str, set[tuple]] = {}
        for fetch in ("all", "bisect"):
            out = work / fetch
            out.mkdir()
            started = time.monotonic()
            summary = build(out / "policy.duckdb", sources=_sources(out / "sources.toml", sites, pywb, fetch))
            seconds = time.monotonic() - started
            if not summary["ok"]:
                raise SystemExit(f"{name} {fetch}: build failed: {summary['reason']}")
            found[fetch] = _boundaries(out / "policy.duckdb")
            req = summary["archive_requests"]
            rows.append(
                {
                    "archive": name,
                    "fetch": fetch,
                    "replay": req["replay"],
                    "cdx": req["cdx"],
                    **summary["captures_by_fetch_state"],
                    "boundaries": len(found[fetch]),
                    "same_bracket": len(found[fetch] & found["all"]),
                    "seconds": round(seconds, 1),
                }
            )
    finally:
        pywb.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ota", type=Path, default=OTA)
    ap.add_argument("--long-sites", type=int, default=2)
    ap.add_argument("--long-captures", type=int, default=1500)
    ap.add_argument("--only", choices=("ota", "long"), help="run one archive only")
    ap.add_argument("--keep", type=Path, help="keep the warehouses in this (new) folder")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-bisect-") as tmp:
        work = args.keep or Path(tmp)
        if args.ota.exists() and args.only != "long":
            rows += run("ota-dating", args.ota, work / "ota")
        if args.only != "ota":
            long_warc = generate(work / "long-archive", args.long_sites, args.long_captures)
            rows += run(f"long history ({args.long_sites}x{args.long_captures})", long_warc, work / "long")
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    for name in dict.fromkeys(r["archive"] for r in rows):
        a, b = (r for r in rows if r["archive"] == name)
        print(
            f"{name}: bisect used {b['replay'] / max(a['replay'], 1):.1%} of the replay requests of all; "
            f"{b['same_bracket']} of {a['boundaries']} boundaries with the same bracket, "
            f"{b['boundaries'] - b['same_bracket']} others"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
