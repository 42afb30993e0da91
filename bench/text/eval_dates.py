"""Stated "last updated / effective" dates against ground truth, with htmldate as the baseline.

Two sets, each printed with accuracy = exact date matches / pages with a gold date:
- OPP-115: `documentation/policies_opp115.csv` "Policy last updated date" for each original policy page; the
  capture date is the "Policy collection date". Pages without a gold date are counted apart: how often we
  still state a date (a gold blank may mean the page states none, or that the annotators left it out).
- the sample archive (`pipelines.sample`, seed 7): every policy capture's `stated_date` in truth_captures.csv.
Baseline: `htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d")`, capped at the capture date.

Run: `uv run python -m bench.text.eval_dates [--data ../shared/data/opp115]`
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from htmldate import find_date
from warcio.archiveiterator import ArchiveIterator

from pipelines.sample.archive import write_sample
from pipelines.text.extract import extract


def baseline(raw: bytes, captured: date) -> str | None:
    """htmldate's original (publication) date of the page, or None; never after the capture."""
    if raw.startswith(b"%PDF-"):
        return None
    try:
        found = find_date(raw.decode("utf-8", "replace"), original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate on broken markup: no date
        return None
    return found if found and found <= captured.isoformat() else None


def score(name: str, rows: list[tuple[str | None, str | None, str | None]]) -> None:
    """rows: (gold, ours, baseline); prints accuracy where gold is known, and stated-rate where it is not."""
    known = [r for r in rows if r[0]]
    unknown = [r for r in rows if not r[0]]
    for label, col in (("ours", 1), ("htmldate", 2)):
        ok = sum(r[col] == r[0] for r in known)
        wrong = sum(bool(r[col]) and r[col] != r[0] for r in known)
        extra = sum(bool(r[col]) for r in unknown)
        print(
            f"{name:<8} {label:<9} accuracy={ok / max(len(known), 1):.4f} ({ok}/{len(known)}) wrong={wrong} "
            f"none={len(known) - ok - wrong}; dated {extra}/{len(unknown)} pages with no gold date"
        )


def opp115_rows(root: Path) -> list[tuple[str | None, str | None, str | None]]:
    raw_by_uid = {int(p.name.split("_", 1)[0]): p for p in (root / "original_policies").iterdir()}
    rows = []
    with (root / "documentation" / "policies_opp115.csv").open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            uid = int(rec["Policy UID"])
            if uid not in raw_by_uid:
                continue
            captured = datetime.fromisoformat(rec["Policy collection date"])
            raw = raw_by_uid[uid].read_bytes()
            ctype = "application/pdf" if raw.startswith(b"%PDF-") else "text/html"
            ours = extract(raw, ctype, captured_at=captured).stated_date
            rows.append((rec["Policy last updated date"].strip() or None, ours, baseline(raw, captured.date())))
    return rows


def sample_rows() -> list[tuple[str | None, str | None, str | None]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = write_sample(Path(tmp))
        with files.truth_captures.open(newline="", encoding="utf-8") as fh:
            truth = {(r["url"], r["captured_at"]): r for r in csv.DictReader(fh)}
        with gzip.open(files.warc, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type != "response":
                    continue
                url, ts = rec.rec_headers.get_header("WARC-Target-URI"), rec.rec_headers.get_header("WARC-Date")
                t = truth.get((url, ts))
                if t is None or t["is_policy"] != "true" or not t["stated_date"]:
                    continue
                captured = datetime.fromisoformat(ts.replace("Z", "+00:00"))
                raw = rec.content_stream().read()
                doc = extract(raw, rec.http_headers.get_header("Content-Type"), captured_at=captured)
                rows.append((t["stated_date"], doc.stated_date, baseline(raw, captured.date())))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "../shared/data/opp115")
    args = ap.parse_args(argv)
    score("opp115", opp115_rows(args.data))
    score("sample", sample_rows())
    return 0


if __name__ == "__main__":
    sys.exit(main())
