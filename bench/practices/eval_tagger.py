"""Score the rules tagger and the trained tagger on the OPP-115 test split (uid % 4 == 0).

Gold: categories chosen by at least 2 of the 3 annotators per segment. Prints per-category precision / recall / F1,
micro and macro, at segment level and at policy level (a category present when any segment has it), for both
taggers on test, the trained tagger's dev cross-validation figure, and throughput in segments/s on one core
(after a warm-up on dev segments, whose cost is printed apart). Without --model the trained tagger is fitted on
dev first (into a temporary folder).

    uv run python bench/practices/eval_tagger.py --opp115 ../shared/data/opp115 [--model warehouse/tagger.joblib]

`--rules-only` skips the trained tagger; `--split dev` (or `--dev`) scores the rules tagger on the dev split
instead (segment and policy level), for choices. Rule development looks at dev only: `--dev-errors CATEGORY`
scores the rules tagger on the dev split and prints sampled false positives and false negatives of that
category with the cue that fired; `--policy-errors CATEGORY` prints, per dev policy the policy-level decision
gets wrong, the segments behind it (a false positive's tagged segments and their cues, a false negative's gold
segments and what they scored). Neither reads test.

    uv run python bench/practices/eval_tagger.py --opp115 ../shared/data/opp115 --dev-errors "Other"
    uv run python bench/practices/eval_tagger.py --opp115 ../shared/data/opp115 --policy-errors "Data Retention"
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: set before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from pipelines.practices.opp115 import Segment, read_corpus, segments_of  # noqa: E402
from pipelines.practices.rules import RulesTagger, score_text  # noqa: E402
from pipelines.practices.tags import Tagger  # noqa: E402
from pipelines.practices.train import label_matrix, load_model, train  # noqa: E402
from pipelines.practices.vocabulary import OPP115_CATEGORIES  # noqa: E402

WARM_UP = 500  # dev segments tagged before timing


def _predict(tagger: Tagger, texts: list[str], warm_up: Sequence[str] = ()) -> tuple[np.ndarray, tuple[float, float]]:
    """Predictions and throughput: (wall-clock, CPU-time) segments/s. On a shared machine the CPU-time rate is the
    one-core figure; the wall-clock one also counts time the process waited for the core.

    The tagger first tags `warm_up` (dev segments, never test ones): a build pays the start-up (compiling the
    cues, filling the vocabulary cache) once per worker over millions of segments, and timing it over the
    thousand test segments would bill most of it to them. Its cost is printed apart.
    """
    if warm_up:
        c0 = time.process_time()
        tagger.tag_batch(warm_up)
        print(f"start-up and {len(warm_up)} dev segments: {time.process_time() - c0:.2f} CPU s (not in the rate below)")
    t0, c0 = time.perf_counter(), time.process_time()
    tags = tagger.tag_batch(texts)
    rate = (len(texts) / (time.perf_counter() - t0), len(texts) / (time.process_time() - c0))
    pred = np.array([[any(t.category == c for t in ts) for c in OPP115_CATEGORIES] for ts in tags], dtype=int)
    return pred, rate


def _table(
    name: str, y: np.ndarray, pred: np.ndarray, rate: tuple[float, float], extra: str = "", split: str = "test"
) -> dict[str, float]:
    print(f"\n== {name} tagger on {split} ({len(y)} segments) {extra}")
    # fp and fn are what each category costs the micro figure; err% is its share of all of them.
    print(f"{'category':40s} {'prec':>6s} {'rec':>6s} {'F1':>6s} {'gold':>5s} {'fp':>5s} {'fn':>5s} {'err%':>5s}")
    f1s = []
    errors = max(int((y != pred).sum()), 1)
    for k, c in enumerate(OPP115_CATEGORIES):
        tp = int((y[:, k] & pred[:, k]).sum())
        fp, fn = int(pred[:, k].sum()) - tp, int(y[:, k].sum()) - tp
        p = tp / max(pred[:, k].sum(), 1)
        r = tp / max(y[:, k].sum(), 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f)
        share = 100 * (fp + fn) / errors
        print(f"{c:40s} {p:6.3f} {r:6.3f} {f:6.3f} {int(y[:, k].sum()):5d} {fp:5d} {fn:5d} {share:5.1f}")
    tp = int((y & pred).sum())
    mp, mr = tp / max(pred.sum(), 1), tp / max(y.sum(), 1)
    micro = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    macro = float(np.mean(f1s))
    print(f"{'micro':40s} {mp:6.3f} {mr:6.3f} {micro:6.3f}")
    print(f"{'macro':40s} {'':6s} {'':6s} {macro:6.3f}")
    print(f"throughput on one core: {rate[0]:,.0f} segments/s wall-clock, {rate[1]:,.0f} per CPU-second")
    return {"micro_f1": micro, "macro_f1": macro, "segments_per_s": rate[0], "segments_per_cpu_s": rate[1]}


def policy_table(name: str, segments: list[Segment], y: np.ndarray, pred: np.ndarray, split: str = "test") -> dict:
    """Policy level: a category is present in a policy when any of its segments has it (gold: any segment whose
    majority label it is). Per category (Other left out) and micro precision / recall / F1 over the policies."""
    uids = sorted({s.uid for s in segments})
    row = {u: i for i, u in enumerate(uids)}
    gold = np.zeros((len(uids), y.shape[1]), dtype=bool)
    found = np.zeros_like(gold)
    for s, yi, pi in zip(segments, y.astype(bool), pred.astype(bool), strict=True):
        gold[row[s.uid]] |= yi
        found[row[s.uid]] |= pi
    keep = [k for k, c in enumerate(OPP115_CATEGORIES) if c != "Other"]
    print(f"\n== {name} tagger on {split}, policy level ({len(uids)} policies; Other left out)")
    print(f"{'category':40s} {'prec':>6s} {'rec':>6s} {'F1':>6s} {'gold':>5s} {'fp':>4s} {'fn':>4s}")
    out: dict[str, float] = {}
    for k in keep:
        tp, fp, fn = int((gold[:, k] & found[:, k]).sum()), int((~gold[:, k] & found[:, k]).sum()), 0
        fn = int((gold[:, k] & ~found[:, k]).sum())
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f = 2 * tp / max(2 * tp + fp + fn, 1)
        out[OPP115_CATEGORIES[k]] = f
        print(f"{OPP115_CATEGORIES[k]:40s} {p:6.3f} {r:6.3f} {f:6.3f} {tp + fn:5d} {fp:4d} {fn:4d}")
    g, f_ = gold[:, keep], found[:, keep]
    tp, fp, fn = int((g & f_).sum()), int((~g & f_).sum()), int((g & ~f_).sum())
    mp, mr = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    print(f"{'micro':40s} {mp:6.3f} {mr:6.3f} {2 * tp / max(2 * tp + fp + fn, 1):6.3f}")
    print(f"{'lowest category F1':40s} {'':6s} {'':6s} {min(out.values()):6.3f}")
    return {"policy_micro_p": mp, "policy_micro_r": mr, "policy_min_f1": min(out.values())}


def dev_errors(segments: list[Segment], y: np.ndarray, category: str, n: int = 15, seed: int = 0) -> None:
    """The rules tagger on dev: its table, then sampled false positives / negatives of one category with cues."""
    texts = [s.text for s in segments]
    pred, rate = _predict(RulesTagger(), texts)
    _table("rules", y, pred, rate, split="dev")
    k = OPP115_CATEGORIES.index(category)
    rng = random.Random(seed)
    for kind, wrong in (("false positive", pred[:, k] & ~y[:, k]), ("false negative", ~pred[:, k] & y[:, k])):
        idx = np.flatnonzero(wrong)
        print(f"\n-- {kind}s of {category}: {len(idx)}; a sample of {min(n, len(idx))}")
        for i in sorted(rng.sample(list(idx), min(n, len(idx)))):
            scores, cues = score_text(texts[i])
            gold = ", ".join(sorted(segments[i].labels)) or "-"
            print(f"[{segments[i].uid}:{segments[i].index}] score {scores[k]:.2f} cue {cues[k]!r} gold {gold}")
            print("    " + texts[i][:300])


def policy_errors(segments: list[Segment], y: np.ndarray, category: str) -> None:
    """The rules tagger on dev, policy level: per policy wrongly said to address `category` (or not to), the
    segments that made the decision, each with its score for the category and the strongest cue."""
    tagger = RulesTagger()
    texts = [s.text for s in segments]
    pred, _ = _predict(tagger, texts)
    policy_table("rules", segments, y, pred, split="dev")
    k = OPP115_CATEGORIES.index(category)
    by_policy: dict[int, list[int]] = {}
    for i, s in enumerate(segments):
        by_policy.setdefault(s.uid, []).append(i)
    for uid, idx in sorted(by_policy.items()):
        gold, found = bool(y[idx, k].any()), bool(pred[idx, k].any())
        if gold == found:
            continue
        kind = "false positive" if found else "false negative"
        shown = [i for i in idx if (pred[i, k] if found else y[i, k])]
        print(f"\n-- {kind}: policy {uid} ({len(idx)} segments)")
        for i in shown:
            scores, cues = score_text(texts[i])
            labels = ", ".join(sorted(segments[i].labels)) or "-"
            print(f"[{uid}:{segments[i].index}] score {scores[k]:.2f} cue {cues[k]!r} gold {labels}")
            print("    " + texts[i][:400])


def dev_half(segments: list[Segment], half: str | None) -> list[Segment]:
    """Dev, or the half of its policies with odd or even uid: a gain on both halves is not noise."""
    if half is None:
        return segments
    return [s for s in segments if s.uid % 2 == (1 if half == "odd" else 0)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opp115", required=True, help="OPP-115-format folder")
    ap.add_argument("--model", help="a model saved by train-tagger (default: fit one on dev now)")
    ap.add_argument("--dev-errors", metavar="CATEGORY", choices=OPP115_CATEGORIES, help="rules error analysis on dev")
    ap.add_argument("--rules-only", action="store_true", help="score the rules tagger only (no trained tagger)")
    ap.add_argument("--policy-errors", metavar="CATEGORY", choices=OPP115_CATEGORIES, help="policy errors on dev")
    ap.add_argument("--dev", action="store_true", help="the same as --split dev")
    ap.add_argument("--split", choices=("dev", "test"), default="test", help="dev: the rules tagger on dev only")
    ap.add_argument("--half", choices=("odd", "even"), help="dev only: the policies of odd or even uid (a noise check)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    policies = read_corpus(args.opp115)
    if args.dev_errors or args.policy_errors or args.dev or args.split == "dev":
        dev = dev_half(segments_of(policies, "dev"), args.half)
        y = label_matrix(dev)
        if args.dev_errors:
            dev_errors(dev, y.astype(bool), args.dev_errors)
            return 0
        if args.policy_errors:
            policy_errors(dev, y.astype(bool), args.policy_errors)
            return 0
        pred, rate = _predict(RulesTagger(), [s.text for s in dev])
        _table("rules", y, pred, rate, split="dev")
        policy_table("rules", dev, y, pred, split="dev")
        return 0
    if args.half:
        ap.error("--half reads dev only (with --split dev, --dev-errors or --policy-errors)")
    warm_up = [s.text for s in segments_of(policies, "dev")[:WARM_UP]]
    test = segments_of(policies, "test")
    texts, y = [s.text for s in test], label_matrix(test)
    print(f"OPP-115 test split: {len({s.uid for s in test})} policies, {len(test)} segments (gold: >= 2 of 3)")

    pred, rate = _predict(RulesTagger(), texts, warm_up)
    summary = {"rules": _table("rules", y, pred, rate)}
    summary["rules"].update(policy_table("rules", test, y, pred))
    if args.rules_only:
        print("\n" + json.dumps(summary))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(args.model) if args.model else Path(tmp) / "tagger.joblib"
        if not args.model:
            print("\nfitting the trained tagger on dev (5-fold CV grouped by policy) ...", flush=True)
            train(args.opp115, model_path)
        sidecar = json.loads(model_path.with_name(model_path.name + ".json").read_text())
        cv = f"[dev CV micro {sidecar['cv_micro_f1']:.3f} / macro {sidecar['cv_macro_f1']:.3f}]"
        print(f"\ntrained tagger {sidecar['version']}: params {sidecar['params']}")
        pred, rate = _predict(load_model(model_path), texts, warm_up)
        summary["trained"] = _table("trained", y, pred, rate, extra=cv)
        summary["trained"].update(policy_table("trained", test, y, pred))
        summary["trained"]["dev_cv_micro_f1"] = sidecar["cv_micro_f1"]
        summary["trained"]["dev_cv_macro_f1"] = sidecar["cv_macro_f1"]
    print("\n" + json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
