"""Issue 24 scratch experiment: NB-LR / NB-SVM features, binary vs TF-IDF, a second learner averaged with the
LR, and soft (vote-fraction) labels for the trained tagger. Dev CV only: the test split (uid % 4 == 0) is never
read (only the dev policies' files are opened). Not part of the pipeline.

Run from the repository root, one core:

    OMP_NUM_THREADS=1 PYTHONPATH=. python -m bench.practices.nbsvm_experiments cv       # all configs, table
    PYTHONPATH=. python -m bench.practices.nbsvm_experiments report                    # table from the cache
    OMP_NUM_THREADS=1 PYTHONPATH=. python -m bench.practices.nbsvm_experiments cv "C=2" ridge  # only the keys
                                                          # containing one of these; merged into the cache

Protocol: OPP-115 dev split, majority gold (2 of the annotators), the five GroupKFold-by-policy folds `train`
uses; every vectorizer is fitted on the training fold only; all configurations on the same folds. Per config:
micro / macro F1 with per-category cut-offs chosen on all out-of-fold probabilities (in-sample, as `train`
reports) and the nested micro (cut-offs chosen on 4 folds of policies, applied to the 5th). Out-of-fold
probabilities are cached in CACHE/oof.npz (CACHE: $NBSVM_CACHE, default /tmp/i24nb2-cache).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize

from pipelines.practices.opp115 import Segment, _uid, read_policy, read_votes, split_of
from pipelines.practices.train import best_thresholds, micro_macro_f1, rules_scores
from pipelines.practices.vocabulary import OPP115_CATEGORIES

OPP115 = Path(os.environ.get("OPP115", Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "opp115"))
CACHE = Path(os.environ.get("NBSVM_CACHE", "/tmp/i24nb2-cache"))
BASE_C = 8.0  # DEFAULT_GRID's words + chars + rules setting


def load_dev() -> tuple[list[Segment], np.ndarray, list[str]]:
    """Dev segments (majority gold), the vote fraction per segment and category (distinct annotators who chose
    it / annotators of the policy), and the categories with a dev positive. Test files are not opened."""
    ann = {u: p for p in (OPP115 / "annotations").glob("*.csv") if (u := _uid(p)) is not None}
    segs: list[Segment] = []
    frac_rows: list[list[float]] = []
    for path in sorted((OPP115 / "sanitized_policies").glob("*.htm*"), key=lambda p: _uid(p) or -1):
        uid = _uid(path)
        if uid is None or uid not in ann or split_of(uid) != "dev":
            continue
        policy = read_policy(path, ann[uid], min_votes=2)
        votes = read_votes(ann[uid])
        annotators = {a for cats in votes.values() for who in cats.values() for a in who}
        n = max(len(annotators), 1)
        for s in policy.segments:
            chosen = votes.get(s.index, {})
            frac_rows.append([min(len(chosen.get(c, ())) / n, 1.0) for c in OPP115_CATEGORIES])
            segs.append(s)
    y = np.array([[c in s.labels for c in OPP115_CATEGORIES] for s in segs], dtype=int)
    keep = y.any(axis=0)
    cats = [c for c, k in zip(OPP115_CATEGORIES, keep, strict=True) if k]
    return segs, np.array(frac_rows)[:, keep], cats


def _score(y: np.ndarray, proba: np.ndarray, groups: np.ndarray) -> tuple[float, float, float, float]:
    """In-sample micro / macro, nested micro / macro (cut-offs from 4 folds of policies, applied to the 5th)."""
    micro, macro = micro_macro_f1(y, (proba >= best_thresholds(y, proba)).astype(int))
    pred = np.zeros_like(y)
    for tr, te in GroupKFold(n_splits=5).split(proba, y, groups):
        pred[te] = proba[te] >= best_thresholds(y[tr], proba[tr])
    nmicro, nmacro = micro_macro_f1(y, pred)
    return micro, macro, nmicro, nmacro


# ---- features of one fold -------------------------------------------------------------------------------------


class Fold:
    """Count matrices of one training fold (vocabularies fitted on it) and the derived feature blocks."""

    def __init__(self, tr_texts: list[str], te_texts: list[str], rules_tr: np.ndarray, rules_te: np.ndarray):
        # Same vocabularies as train's TfidfVectorizers (built on CountVectorizer: same min_df, max_features).
        wv = CountVectorizer(ngram_range=(1, 2), min_df=2, max_features=60000)
        cv = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, max_features=80000)
        self.counts = {
            "word": (wv.fit_transform(tr_texts).tocsr(), wv.transform(te_texts).tocsr()),
            "char": (cv.fit_transform(tr_texts).tocsr(), cv.transform(te_texts).tocsr()),
        }
        self.rules = (sparse.csr_matrix(rules_tr), sparse.csr_matrix(rules_te))

    def block(self, name: str, kind: str, min_df: int = 0) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """One block: kind "tfidf" (sublinear, idf, l2: as train), "bin_idf" (presence x idf, l2), "bin_l2"
        (presence, l2), "bin" (raw presence). min_df > 0 keeps the columns with document frequency >= min_df."""
        a, b = self.counts[name]
        if min_df:
            df = (a > 0).sum(axis=0).A1
            cols = np.flatnonzero(df >= min_df)
            a, b = a[:, cols], b[:, cols]
        if kind == "tfidf":
            t = TfidfTransformer(sublinear_tf=True).fit(a)
            return t.transform(a), t.transform(b)
        a, b = (a > 0).astype(float), (b > 0).astype(float)
        if kind == "bin_idf":
            t = TfidfTransformer(use_idf=True).fit(a)
            return t.transform(a), t.transform(b)
        if kind == "bin_l2":
            return normalize(a), normalize(b)
        return a, b

    def features(
        self, kind: str = "tfidf", rules: bool = True, min_df: tuple[int, int] = (0, 0)
    ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        w, c = self.block("word", kind, min_df[0]), self.block("char", kind, min_df[1])
        parts = [w, c, self.rules] if rules else [w, c]
        return sparse.hstack([p[0] for p in parts]).tocsr(), sparse.hstack([p[1] for p in parts]).tocsr()


# ---- learners ---------------------------------------------------------------------------------------------------


def _lr(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=500)


def lr_proba(
    xtr: sparse.csr_matrix, ytr: np.ndarray, xte: sparse.csr_matrix, C: float = BASE_C, **_: object
) -> np.ndarray:
    """One LR per category (= train's OneVsRestClassifier)."""
    return np.column_stack([_lr(C).fit(xtr, ytr[:, k]).predict_proba(xte)[:, 1] for k in range(ytr.shape[1])])


def log_count_ratio(x: sparse.csr_matrix, yk: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Wang & Manning's r = log((p / |p|_1) / (q / |q|_1)), p and q the feature sums over positives / negatives."""
    p = alpha + np.asarray(x[yk == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(x[yk == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def _platt(score_tr: np.ndarray, yk: np.ndarray, score_te: np.ndarray) -> np.ndarray:
    """Probability from a 1-d score, the sigmoid fitted on the training fold (balanced, like the LR)."""
    m = LogisticRegression(C=1e4, class_weight="balanced").fit(score_tr[:, None], yk)
    return m.predict_proba(score_te[:, None])[:, 1]


def nb_lr_proba(
    fold: Fold,
    ytr: np.ndarray,
    kind: str = "bin_l2",
    C: float = BASE_C,
    rules: bool = True,
    beta: float | None = None,
    r_on: str = "bin",
    **_: object,
) -> np.ndarray:
    """NB-LR: per category, each word/char column scaled by its log-count ratio r (computed on the training fold's
    presence features, or on the `kind` features when r_on="same"), then LR; the rule scores appended unscaled.
    beta: the interpolated variant, w' = (1 - beta) mean|w| + beta w on the n-gram weights, then a sigmoid fitted
    on the training fold."""
    (wtr, wte), (ctr, cte) = fold.block("word", kind), fold.block("char", kind)
    xtr, xte = sparse.hstack([wtr, ctr]).tocsr(), sparse.hstack([wte, cte]).tocsr()
    if r_on == "bin":
        (bw, _w), (bc, _c) = fold.block("word", "bin"), fold.block("char", "bin")
        rbase = sparse.hstack([bw, bc]).tocsr()
    else:
        rbase = xtr
    out = []
    for k in range(ytr.shape[1]):
        r = log_count_ratio(rbase, ytr[:, k])
        d = sparse.diags(r)
        atr, ate = xtr @ d, xte @ d
        if rules:
            atr, ate = sparse.hstack([atr, fold.rules[0]]).tocsr(), sparse.hstack([ate, fold.rules[1]]).tocsr()
        m = _lr(C).fit(atr, ytr[:, k])
        if beta is None:
            out.append(m.predict_proba(ate)[:, 1])
            continue
        w = m.coef_[0].copy()
        n = xtr.shape[1]
        w[:n] = (1 - beta) * np.abs(w[:n]).mean() + beta * w[:n]
        out.append(_platt(atr @ w + m.intercept_[0], ytr[:, k], ate @ w + m.intercept_[0]))
    return np.column_stack(out)


def other_proba(
    xtr: sparse.csr_matrix, ytr: np.ndarray, xte: sparse.csr_matrix, learner: str, alpha: float
) -> np.ndarray:
    """A second linear learner per category: SGD modified Huber (its own predict_proba) or a ridge classifier
    (decision mapped to a probability by a sigmoid fitted on the training fold)."""
    out = []
    for k in range(ytr.shape[1]):
        if learner == "sgd":
            m = SGDClassifier(
                loss="modified_huber", alpha=alpha, class_weight="balanced", max_iter=50, tol=None, random_state=0
            )
            out.append(m.fit(xtr, ytr[:, k]).predict_proba(xte)[:, 1])
        else:
            m = RidgeClassifier(alpha=alpha, class_weight="balanced", solver="sparse_cg").fit(xtr, ytr[:, k])
            out.append(_platt(m.decision_function(xtr), ytr[:, k], m.decision_function(xte)))
    return np.column_stack(out)


def soft_proba(
    xtr: sparse.csr_matrix, ytr: np.ndarray, ftr: np.ndarray, xte: sparse.csr_matrix, mode: str, C: float = BASE_C
) -> np.ndarray:
    """Vote fractions as sample weights. mode "soft": each segment twice, positive with weight f and negative with
    weight 1 - f (f = annotators who chose the category / annotators of the policy), zero weights dropped;
    "conf": majority label, weight = the share of annotators agreeing with it. Classes then balanced by their
    total weight (as class_weight="balanced" does by count)."""
    out = []
    n = xtr.shape[0]
    for k in range(ytr.shape[1]):
        f = ftr[:, k]
        if mode == "soft":
            x = sparse.vstack([xtr, xtr]).tocsr()
            lab = np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)]
            w = np.r_[f, 1 - f]
            nz = w > 0
            x, lab, w = x[nz], lab[nz], w[nz]
        else:
            x, lab = xtr, ytr[:, k]
            w = np.where(lab == 1, f, 1 - f)
            w = np.maximum(w, 0.1)
        wp, wn = w[lab == 1].sum(), w[lab == 0].sum()
        w = w * np.where(lab == 1, (wp + wn) / (2 * wp), (wp + wn) / (2 * wn))
        m = LogisticRegression(C=C, solver="liblinear", max_iter=500).fit(x, lab, sample_weight=w)
        out.append(m.predict_proba(xte)[:, 1])
    return np.column_stack(out)


# ---- the runs ---------------------------------------------------------------------------------------------------


def configs() -> dict[str, Callable[[Fold, np.ndarray, np.ndarray, dict[str, np.ndarray]], np.ndarray]]:
    """key -> fn(fold, ytr, vote fractions of the training fold, oof probabilities of this fold so far)."""
    c: dict[str, Callable[[Fold, np.ndarray, np.ndarray, dict[str, np.ndarray]], np.ndarray]] = {}

    def lr_on(kind: str, rules: bool = True, min_df: tuple[int, int] = (0, 0), C: float = BASE_C):
        return lambda f, y, _fr, _o: lr_proba(*_xy(f.features(kind, rules, min_df), y), C=C)

    c["0 base: tfidf words+chars+rules, LR C=8"] = lr_on("tfidf")
    c["0 base, C=4"] = lr_on("tfidf", C=4.0)
    # 1. NB-LR
    for C in (1.0, 4.0, 16.0):
        c[f"1 NB-LR presence-l2 x r, +rules, C={C:g}"] = lambda f, y, _fr, _o, C=C: nb_lr_proba(f, y, "bin_l2", C)
    c["1 NB-LR presence-l2 x r, no rules, C=4"] = lambda f, y, _fr, _o: nb_lr_proba(f, y, "bin_l2", 4.0, False)
    for C in (1.0, 2.0, 4.0, 16.0):
        c[f"1 NB-LR tfidf x r, +rules, C={C:g}"] = lambda f, y, _fr, _o, C=C: nb_lr_proba(f, y, "tfidf", C)
    c["1 NB-LR tfidf x r(tfidf), +rules, C=4"] = lambda f, y, _fr, _o: nb_lr_proba(f, y, "tfidf", 4.0, r_on="same")
    for beta in (0.25, 0.5):
        c[f"1 NB-LR presence-l2, interpolated beta={beta}, C=4"] = lambda f, y, _fr, _o, b=beta: nb_lr_proba(
            f, y, "bin_l2", 4.0, beta=b
        )
    c["1 NB-LR tfidf, interpolated beta=0.25, C=4"] = lambda f, y, _fr, _o: nb_lr_proba(f, y, "tfidf", 4.0, beta=0.25)
    # 2. binary vs tfidf, min_df, rules block
    for kind in ("bin_idf", "bin_l2"):
        for C in (4.0, 16.0):
            c[f"2 {kind} words+chars+rules, C={C:g}"] = lr_on(kind, C=C)
    c["2 tfidf words+chars, no rules, C=8"] = lr_on("tfidf", rules=False)
    c["2 bin_idf words+chars, no rules, C=8"] = lr_on("bin_idf", rules=False, C=8.0)
    c["2 tfidf min_df words 5 chars 10, +rules, C=8"] = lr_on("tfidf", min_df=(5, 10))
    c["2 tfidf min_df words 3 chars 5, +rules, C=8"] = lr_on("tfidf", min_df=(3, 5))
    c["2 bin_idf min_df words 5 chars 10, +rules, C=8"] = lr_on("bin_idf", min_df=(5, 10))
    # 3. a second learner, averaged with the base LR
    for learner, alphas in (("sgd", (1e-5, 1e-4)), ("ridge", (1.0, 10.0, 30.0))):
        for a in alphas:
            key = f"3 {learner} alpha={a:g} alone"
            c[key] = lambda f, y, _fr, _o, L=learner, a=a: other_proba(*_xy(f.features("tfidf"), y), L, a)
    # 4. soft labels
    for mode in ("soft", "conf"):
        for C in (2.0, 4.0, 8.0, 16.0):
            c[f"4 {mode} labels, tfidf words+chars+rules, C={C:g}"] = lambda f, y, fr, _o, m=mode, C=C: soft_proba(
                *_xyf(f.features("tfidf"), y, fr), m, C
            )
    return c


def _xy(x: tuple[sparse.csr_matrix, sparse.csr_matrix], y: np.ndarray):
    return x[0], y, x[1]


def _xyf(x: tuple[sparse.csr_matrix, sparse.csr_matrix], y: np.ndarray, fr: np.ndarray):
    return x[0], y, fr, x[1]


def averages(oof: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Probability averages of the base LR with the second learners (3.) and with the best NB-LR."""
    bases = {"C=8": oof["0 base: tfidf words+chars+rules, LR C=8"], "C=4": oof["0 base, C=4"]}
    partners = ("3 ", "1 NB-LR presence-l2 x r, +rules, C=4", "1 NB-LR tfidf x r, +rules, C=4", "4 conf labels")
    out = {}
    for k, p in oof.items():
        if k.startswith(partners):
            for name, base in bases.items():
                for w in (0.5, 0.7):
                    out[f"{k[:2]}avg {w} base {name} + {1 - w:.1f} ({k[2:]})"] = w * base + (1 - w) * p
    return out


def cv(only: list[str] | None = None) -> None:
    segs, frac, cats = load_dev()
    y = np.array([[c in s.labels for c in cats] for s in segs], dtype=int)
    texts, groups = [s.text for s in segs], np.array([s.uid for s in segs])
    print(f"{len(segs)} dev segments, {len(set(groups))} policies, {len(cats)} categories", flush=True)
    t0 = time.perf_counter()
    rules = rules_scores(texts).toarray()
    print(f"rule scores: {time.perf_counter() - t0:.0f} s", flush=True)
    todo = {k: v for k, v in configs().items() if not only or any(o in k for o in only)}
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "oof.npz"
    oof: dict[str, np.ndarray] = {}
    if path.exists():
        blob = np.load(path)
        oof = {k: blob[k] for k in blob.files if k not in ("y", "groups")}
    new = {k: np.zeros(y.shape) for k in todo}
    for fold_no, (tr, te) in enumerate(GroupKFold(n_splits=5).split(texts, y, groups)):
        t0 = time.perf_counter()
        fold = Fold([texts[i] for i in tr], [texts[i] for i in te], rules[tr], rules[te])
        print(f"fold {fold_no}: features {time.perf_counter() - t0:.0f} s", flush=True)
        done: dict[str, np.ndarray] = {}
        for k, fn in todo.items():
            t1 = time.perf_counter()
            new[k][te] = done[k] = fn(fold, y[tr], frac[tr], done)
            print(f"  {k}: {time.perf_counter() - t1:.1f} s", flush=True)
    oof.update(new)
    np.savez(path, y=y, groups=groups, **oof)
    report()


def report() -> None:
    blob = np.load(CACHE / "oof.npz")
    y, groups = blob["y"], blob["groups"]
    oof = {k: blob[k] for k in blob.files if k not in ("y", "groups")}
    oof.update(averages(oof))
    print("| configuration | dev CV micro / macro (in-sample cut-offs) | nested micro / macro |")
    print("|---|---|---|")
    for k in sorted(oof):
        mi, ma, nmi, nma = _score(y, oof[k], groups)
        print(f"| {k} | {mi:.3f} / {ma:.3f} | {nmi:.3f} / {nma:.3f} |")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "cv":
        cv(args or None)
    elif cmd == "report":
        report()
    else:
        raise SystemExit(__doc__)
