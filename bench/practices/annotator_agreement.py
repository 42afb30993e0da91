"""How well one OPP-115 annotator agrees with the majority gold at policy level: the ceiling a tagger scored
against that gold can be expected to reach.

Per policy and category, an annotator says the policy addresses the category when they chose it for any
segment; the gold says so when some segment has it from at least 2 of the 3 annotators (eval_tagger.py's
gold). Each annotator of each policy is scored against that gold, which they helped make, so the figure is
an upper bound of human agreement. All policies (dev and test), Other left out.

    uv run python bench/practices/annotator_agreement.py --opp115 ../shared/data/opp115
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.practices.opp115 import read_votes
from pipelines.practices.vocabulary import OPP115_CATEGORIES


def agreement(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Per category (Other left out): (tp, fp, fn) of every annotator's policy-level reading against the gold."""
    counts = {c: [0, 0, 0] for c in OPP115_CATEGORIES if c != "Other"}
    for path in sorted((folder / "annotations").glob("*.csv")):
        votes = read_votes(path)
        gold = {c for seg in votes.values() for c, who in seg.items() if len(who) >= 2}
        for annotator in {a for seg in votes.values() for who in seg.values() for a in who}:
            mine = {c for seg in votes.values() for c, who in seg.items() if annotator in who}
            for c, n in counts.items():
                n[0] += c in gold and c in mine
                n[1] += c in mine and c not in gold
                n[2] += c in gold and c not in mine
    return {c: (tp, fp, fn) for c, (tp, fp, fn) in counts.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opp115", required=True, type=Path, help="OPP-115-format folder")
    args = ap.parse_args(argv)
    print(f"{'category':40s} {'prec':>6s} {'rec':>6s} {'F1':>6s}   one annotator vs majority, policy level")
    for c, (tp, fp, fn) in agreement(args.opp115).items():
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print(f"{c:40s} {p:6.3f} {r:6.3f} {2 * tp / max(2 * tp + fp + fn, 1):6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
