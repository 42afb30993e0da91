"""Segment granularity against OPP-115: segments per policy, ours vs the annotators' `|||` segments.

Ours: each page of `original_policies/` through the product's own path (`extract` for the main text, then
`segment_markdown`); gold: the non-empty `|||` parts of `sanitized_policies/`. Prints per-policy counts to
--csv if asked, and the summary: total and median segments per policy, the median ratio ours / gold, and the
share of policies within a factor of 1.5 and of 2 of the gold count. Pages our extractor rejects are counted.

    uv run python bench/text/eval_segments.py --opp115 ../shared/data/opp115 [--csv bench/out/segments.csv]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from pipelines.practices.opp115 import _uid, read_policy
from pipelines.text.extract import extract
from pipelines.text.segment import segment_markdown


def _content_type(path: Path) -> str:
    return "application/pdf" if path.suffix.lower() == ".pdf" else "text/html"


def compare(opp115_dir: Path) -> list[dict[str, object]]:
    """One row per policy with an original page and a sanitized text: uid, status, ours, gold, kinds."""
    sanitized = {u: p for p in (opp115_dir / "sanitized_policies").glob("*.htm*") if (u := _uid(p)) is not None}
    rows: list[dict[str, object]] = []
    for page in sorted((opp115_dir / "original_policies").iterdir()):
        uid = _uid(page)
        if uid is None or uid not in sanitized:
            continue
        gold = len(read_policy(sanitized[uid], None).segments)
        doc = extract(page.read_bytes(), _content_type(page))
        segs = segment_markdown(doc.text) if doc.text else []
        kinds = Counter(s.kind for s in segs)
        rows.append({"uid": uid, "status": doc.status, "ours": len(segs), "gold": gold, **kinds})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opp115", required=True, help="OPP-115-format folder with original_policies/")
    ap.add_argument("--csv", help="write the per-policy counts here")
    args = ap.parse_args(argv)
    root = Path(args.opp115)
    if not (root / "original_policies").is_dir():
        print(f"{root}: no original_policies/ folder", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    rows = compare(root)
    took = time.perf_counter() - t0
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        fields = ["uid", "status", "ours", "gold", "paragraph", "list_item", "table"]
        with open(args.csv, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields, restval=0, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)
    got = [r for r in rows if int(r["ours"]) > 0]
    ratios = [int(r["ours"]) / int(r["gold"]) for r in got if int(r["gold"]) > 0]
    kinds = Counter({k: sum(int(r.get(k, 0)) for r in got) for k in ("paragraph", "list_item", "table")})
    print(f"OPP-115 policies compared: {len(rows)} ({len(rows) - len(got)} gave no segments), {took:.1f} s")
    print(f"statuses: {dict(Counter(str(r['status']) for r in rows))}")
    print(
        f"segments, gold (||| parts): total {sum(int(r['gold']) for r in rows):6d}  "
        f"median per policy {statistics.median(int(r['gold']) for r in rows):.0f}"
    )
    print(
        f"segments, ours:             total {sum(int(r['ours']) for r in rows):6d}  "
        f"median per policy {statistics.median(int(r['ours']) for r in rows):.0f}  kinds {dict(kinds)}"
    )
    if ratios:
        within = {f: sum(1 / f <= q <= f for q in ratios) / len(ratios) for f in (1.5, 2.0)}
        print(
            f"ours / gold per policy: median {statistics.median(ratios):.2f}, "
            f"quartiles {statistics.quantiles(ratios, n=4)[0]:.2f}-{statistics.quantiles(ratios, n=4)[2]:.2f}; "
            f"within x1.5: {within[1.5]:.0%}, within x2: {within[2.0]:.0%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
