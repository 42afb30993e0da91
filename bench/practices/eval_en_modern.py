"""Score the rules tagger at policy level on 24 modern (GDPR/CCPA-era) English privacy policies labelled by
reading them (bench/practices/data/en_modern_labels.csv; how they were made: en_modern_README.md beside it).

Each policy goes the product's way, as in `eval_fr_de.py` (extraction, segments, the tagger with the document's
detected language); a category is present in a policy when any of its segments has it. Prints per-category
precision / recall / F1 and micro for the dev half, the test half and all (the halves split by service).
`--split dev` scores the dev half only; `--errors` (dev half only) prints, per wrong (policy, category), the
segments behind the decision: a false alarm's tagged segments, a miss's best-scoring segments, each with its
score for the category and the strongest cue.

    uv run python -m bench.practices.eval_en_modern --docs ../shared/data/ota-doctypes [--split dev] [--errors]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from bench.practices.eval_fr_de import policy_tags, table
from pipelines.practices.rules import RulesTagger, cue_language, score_text
from pipelines.practices.vocabulary import OPP115_CATEGORIES
from pipelines.text.extract import extract
from pipelines.text.segment import segment_markdown

LABELS = Path(__file__).parent / "data" / "en_modern_labels.csv"
FIXED = ("doc", "service", "half")
SHOWN_MISSES = 3  # best-scoring segments shown for a missed category


def errors(path: Path, row: dict, found: set[str], categories: list[str]) -> None:
    """The segments behind each wrong category of one policy, with their score and strongest cue."""
    wrong = [c for c in categories if (row[c] == "1") != (c in found)]
    if not wrong:
        return
    doc = extract(path.read_bytes(), "text/html" if path.suffix == ".html" else "text/markdown")
    texts = [s.text for s in segment_markdown(doc.text)]
    scored = [score_text(t, lang=cue_language(doc.language)) for t in texts]
    tags = [{t.category for t in ts} for ts in RulesTagger().tag_batch(texts, [doc.language] * len(texts))]
    for c in wrong:
        k = OPP115_CATEGORIES.index(c)
        kind = "false alarm" if c in found else "miss"
        idx = [i for i in range(len(texts)) if c in tags[i]] if c in found else []
        if not idx:
            idx = sorted(range(len(texts)), key=lambda i: -scored[i][0][k])[:SHOWN_MISSES]
        print(f"\n-- {kind}: {row['service']} / {c}")
        for i in idx:
            scores, cues = scored[i]
            print(f"[{i}] score {scores[k]:.2f} cue {cues[k]!r} tags {sorted(tags[i])}")
            print("    " + texts[i][:400].replace("\n", " "))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True, help="the ota-doctypes folder (paths in the labels are relative to it)")
    ap.add_argument("--split", choices=("dev", "all"), default="all", help="dev: the dev half only")
    ap.add_argument("--errors", action="store_true", help="dev half: the segments behind each wrong category")
    args = ap.parse_args(argv)
    with LABELS.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    categories = [c for c in rows[0] if c not in FIXED]
    if args.split == "dev" or args.errors:
        rows = [r for r in rows if r["half"] == "dev"]
    found: dict[str, set[str]] = {}
    for r in rows:
        language, found[r["doc"]] = policy_tags(Path(args.docs) / r["doc"])
        if language != "en":
            print(f"note: {r['doc']} detected as {language}")
        if args.errors:
            errors(Path(args.docs) / r["doc"], r, found[r["doc"]], categories)
    summary = {}
    for half in ("dev",) if args.split == "dev" or args.errors else ("dev", "test", "all"):
        part = [r for r in rows if half in ("all", r["half"])]
        summary[half] = table(f"rules tagger, modern English {half}", part, found, categories)
    print("\nmicro F1: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
