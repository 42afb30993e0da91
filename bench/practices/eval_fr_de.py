"""Score the rules tagger at policy level on French and German privacy policies labelled by reading them
(bench/practices/data/fr_de_labels.csv; how they were made: the README beside it).

Each policy goes the product's way: extraction (`pipelines.text.extract`), segments, then the tagger with the
document's detected language; a category is present in a policy when any of its segments has it. Prints
per-category precision / recall / F1 and micro per language, for the dev half, the test half and all (the
halves split by service), and, apart, the markers (their labels come from a text search, see the README).

    uv run python bench/practices/eval_fr_de.py --docs ../shared/data/ota-doctypes
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from pipelines.practices.rules import RulesTagger
from pipelines.text.extract import extract
from pipelines.text.segment import segment_markdown

LABELS = Path(__file__).parent / "data" / "fr_de_labels.csv"
FIXED = ("doc", "service", "language", "half")
MARKERS = ("cookies", "children", "gdpr")


def policy_tags(path: Path) -> tuple[str | None, set[str]]:
    """The detected language of one policy and the categories the rules tagger finds in any of its segments."""
    doc = extract(path.read_bytes(), "text/html" if path.suffix == ".html" else "text/markdown")
    texts = [s.text for s in segment_markdown(doc.text)]
    tags = RulesTagger().tag_batch(texts, [doc.language] * len(texts))
    return doc.language, {t.category for ts in tags for t in ts}


def table(title: str, rows: list[dict], found: dict[str, set[str]], categories: list[str]) -> float:
    """Print per-category and micro P/R/F1 of these policies; return the micro F1."""
    print(f"\n== {title} ({len(rows)} policies)")
    print(f"{'category':40s} {'prec':>6s} {'rec':>6s} {'F1':>6s} {'gold':>5s}")
    all_tp = all_fp = all_fn = 0
    for c in categories:
        tp = sum(r[c] == "1" and c in found[r["doc"]] for r in rows)
        fp = sum(r[c] == "0" and c in found[r["doc"]] for r in rows)
        fn = sum(r[c] == "1" and c not in found[r["doc"]] for r in rows)
        all_tp, all_fp, all_fn = all_tp + tp, all_fp + fp, all_fn + fn
        print(f"{c:40s} {_p(tp, fp):6.3f} {_p(tp, fn):6.3f} {_f(tp, fp, fn):6.3f} {tp + fn:5d}")
    micro = _f(all_tp, all_fp, all_fn)
    print(f"{'micro':40s} {_p(all_tp, all_fp):6.3f} {_p(all_tp, all_fn):6.3f} {micro:6.3f}")
    return micro


def _p(tp: int, other: int) -> float:
    return tp / (tp + other) if tp + other else 1.0


def _f(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True, help="the ota-doctypes folder (paths in the labels are relative to it)")
    ap.add_argument("--errors", action="store_true", help="list each policy's missed and extra categories")
    args = ap.parse_args(argv)
    with LABELS.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    categories = [c for c in rows[0] if c not in FIXED and c not in MARKERS]
    found: dict[str, set[str]] = {}
    for r in rows:
        language, found[r["doc"]] = policy_tags(Path(args.docs) / r["doc"])
        if language != r["language"]:
            print(f"note: {r['doc']} detected as {language}, labelled {r['language']}")
        if args.errors:
            missed = [c for c in categories + list(MARKERS) if r[c] == "1" and c not in found[r["doc"]]]
            extra = [c for c in categories + list(MARKERS) if r[c] == "0" and c in found[r["doc"]]]
            print(f"{r['service']:20s} {r['half']:4s} missed {missed} extra {extra}")
    summary = {}
    for lang in sorted({r["language"] for r in rows}):
        for half in ("dev", "test", None):
            part = [r for r in rows if r["language"] == lang and (half is None or r["half"] == half)]
            if part:
                name = f"{lang} {half or 'all'}"
                summary[name] = table(f"rules tagger, {name}", part, found, categories)
        table(f"markers, {lang} all (labels from a text search)", [r for r in rows if r["language"] == lang], found,
              list(MARKERS))  # fmt: skip
    print("\nmicro F1: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
