"""Score the rules tagger and the trained tagger on the OPP-115 test split (uid % 4 == 0).

Gold: categories chosen by at least 2 of the 3 annotators per segment. Prints per-category precision / recall / F1,
micro and macro, for both taggers on test, the trained tagger's dev cross-validation figure, and throughput in
segments/s on one core. Without --model the trained tagger is fitted on dev first (into a temporary folder).

    uv run python bench/eval_tagger.py --opp115 ../shared/data/opp115 [--model warehouse/tagger.joblib]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: set before numpy loads

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from pipelines.opp115 import read_corpus, segments_of  # noqa: E402
from pipelines.tag import OPP115_CATEGORIES, RulesTagger, Tagger  # noqa: E402
from pipelines.train import label_matrix, load_model, train  # noqa: E402


def _predict(tagger: Tagger, texts: list[str]) -> tuple[np.ndarray, float]:
    t0 = time.perf_counter()
    tags = tagger.tag_batch(texts)
    rate = len(texts) / (time.perf_counter() - t0)
    pred = np.array([[any(t.category == c for t in ts) for c in OPP115_CATEGORIES] for ts in tags], dtype=int)
    return pred, rate


def _table(name: str, y: np.ndarray, pred: np.ndarray, rate: float, extra: str = "") -> dict[str, float]:
    print(f"\n== {name} tagger on test ({len(y)} segments) {extra}")
    print(f"{'category':40s} {'prec':>6s} {'rec':>6s} {'F1':>6s} {'gold':>5s}")
    f1s = []
    for k, c in enumerate(OPP115_CATEGORIES):
        tp = int((y[:, k] & pred[:, k]).sum())
        p = tp / max(pred[:, k].sum(), 1)
        r = tp / max(y[:, k].sum(), 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        f1s.append(f)
        print(f"{c:40s} {p:6.3f} {r:6.3f} {f:6.3f} {int(y[:, k].sum()):5d}")
    tp = int((y & pred).sum())
    mp, mr = tp / max(pred.sum(), 1), tp / max(y.sum(), 1)
    micro = 2 * mp * mr / (mp + mr) if mp + mr else 0.0
    macro = float(np.mean(f1s))
    print(f"{'micro':40s} {mp:6.3f} {mr:6.3f} {micro:6.3f}")
    print(f"{'macro':40s} {'':6s} {'':6s} {macro:6.3f}")
    print(f"throughput: {rate:,.0f} segments/s on one core")
    return {"micro_f1": micro, "macro_f1": macro, "segments_per_s": rate}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opp115", required=True, help="OPP-115-format folder")
    ap.add_argument("--model", help="a model saved by train-tagger (default: fit one on dev now)")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    policies = read_corpus(args.opp115)
    test = segments_of(policies, "test")
    texts, y = [s.text for s in test], label_matrix(test)
    print(f"OPP-115 test split: {len({s.uid for s in test})} policies, {len(test)} segments (gold: >= 2 of 3)")

    summary = {"rules": _table("rules", y, *_predict(RulesTagger(), texts))}

    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(args.model) if args.model else Path(tmp) / "tagger.joblib"
        if not args.model:
            print("\nfitting the trained tagger on dev (5-fold CV grouped by policy) ...", flush=True)
            train(args.opp115, model_path)
        sidecar = json.loads(model_path.with_name(model_path.name + ".json").read_text())
        cv = f"[dev CV micro {sidecar['cv_micro_f1']:.3f} / macro {sidecar['cv_macro_f1']:.3f}]"
        print(f"\ntrained tagger {sidecar['version']}: params {sidecar['params']}")
        summary["trained"] = _table("trained", y, *_predict(load_model(model_path), texts), extra=cv)
        summary["trained"]["dev_cv_micro_f1"] = sidecar["cv_micro_f1"]
        summary["trained"]["dev_cv_macro_f1"] = sidecar["cv_macro_f1"]
    print("\n" + json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
