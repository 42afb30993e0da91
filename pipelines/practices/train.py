"""The trained tagger: TF-IDF word and character n-grams (optionally with the rules tagger's category scores as
extra features), one-vs-rest logistic regression, per-category thresholds.

`train` fits it from an OPP-115-format folder: hyper-parameters and thresholds are chosen by 5-fold cross-validation
grouped by policy inside the dev split (uid % 4 != 0), the final model is fitted on all of dev, and the test split
is never read. The model is saved with joblib plus a JSON sidecar naming the tagger and its version (a hash of the
training configuration and a fingerprint of the data). The rules tagger's modern markers are added to its output.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from pipelines.practices.opp115 import Segment, read_corpus, segments_of
from pipelines.practices.rules import RULES_VERSION, score_text, tag_text
from pipelines.practices.tags import Tag
from pipelines.practices.vocabulary import MARKERS, OPP115_CATEGORIES

log = logging.getLogger(__name__)

FORMAT = 1
# Small on purpose: each setting costs five fits. Dev CV when this was written (micro / macro F1): words C=16
# 0.765 / 0.766; words + rule scores C=16 0.766 / 0.774; words + chars + rule scores C=8 0.768 / 0.779.
DEFAULT_GRID: tuple[dict[str, Any], ...] = (
    {"C": 16.0, "char": False},
    {"C": 16.0, "char": False, "rules": True},
    {"C": 8.0, "char": True, "rules": True},
)


def rules_scores(texts: Sequence[str]) -> sparse.csr_matrix:
    """The rules tagger's per-category scores (OPP-115 categories and markers) as a feature block.

    Hand-written cues generalise from few examples where n-grams need many; the model learns how far to trust them.
    """
    return sparse.csr_matrix(np.array([score_text(t)[0] for t in texts], dtype=float))


def _features(char: bool, rules: bool = False) -> FeatureUnion:
    parts: list[tuple[str, Any]] = [
        ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=60000)),
    ]
    if char:
        parts.append(
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=80000
                ),
            )
        )
    if rules:
        parts.append(("rules", FunctionTransformer(rules_scores, feature_names_out=_rules_names)))
    return FeatureUnion(parts)


def _rules_names(_transformer: object, _input: object) -> np.ndarray:
    from pipelines.practices.vocabulary import LEXICON

    return np.array([f"rules score {c}" for c in LEXICON], dtype=object)


def build_model(C: float, char: bool = True, rules: bool = False) -> Pipeline:
    """The unfitted model for one hyper-parameter setting."""
    clf = OneVsRestClassifier(LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=200))
    return Pipeline([("features", _features(char, rules)), ("clf", clf)])


def label_matrix(segments: Sequence[Segment], categories: Sequence[str] = OPP115_CATEGORIES) -> np.ndarray:
    """Binary (segments x categories) matrix of gold labels."""
    return np.array([[c in s.labels for c in categories] for s in segments], dtype=int)


def micro_macro_f1(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """Micro and macro F1 of binary label matrices (a category with no gold and no prediction counts as 1)."""
    tp = (y & pred).sum(axis=0)
    denom = y.sum(axis=0) + pred.sum(axis=0)
    micro = 2 * tp.sum() / max(denom.sum(), 1)
    per = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)
    return float(micro), float(per.mean())


def best_thresholds(y: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Per category, the probability cut-off with the best F1 on out-of-fold predictions."""
    grid = np.arange(0.1, 0.91, 0.025)
    out = np.full(y.shape[1], 0.5)
    for k in range(y.shape[1]):
        f1 = [2 * (y[:, k] & (proba[:, k] >= t)).sum() / max(y[:, k].sum() + (proba[:, k] >= t).sum(), 1) for t in grid]
        out[k] = round(float(grid[int(np.argmax(f1))]), 3)
    return out


def _oof_proba(
    model_args: dict[str, Any], texts: list[str], y: np.ndarray, groups: list[int], folds: int
) -> np.ndarray:
    proba = np.zeros(y.shape, dtype=float)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(texts, y, groups):
        ytr = y[train_idx]
        model = build_model(**model_args)
        # A category absent from a training fold cannot be fitted; its column stays 0 for that fold.
        keep = ytr.sum(axis=0) > 0
        model.fit([texts[i] for i in train_idx], ytr[:, keep])
        proba[np.ix_(test_idx, np.flatnonzero(keep))] = model.predict_proba([texts[i] for i in test_idx])
    return proba


def fingerprint(segments: Sequence[Segment]) -> str:
    """A hash of the training texts and their labels: a new corpus gives a new tagger version."""
    h = hashlib.sha256()
    for s in segments:
        h.update(f"{s.uid}\t{s.index}\t{'|'.join(sorted(s.labels))}\t{s.text}\n".encode())
    return h.hexdigest()[:16]


@dataclass
class TrainedTagger:
    """A fitted model with its thresholds; tags the OPP-115 categories and adds the rules' modern markers."""

    model: Pipeline
    categories: list[str]
    thresholds: list[float]
    version: str
    add_markers: bool = True
    name: str = "trained"
    languages: tuple[str, ...] = ("en",)  # trained on OPP-115, English policies
    _vocab: np.ndarray | None = field(default=None, repr=False)

    def _cue(self, row: sparse.csr_matrix, k: int) -> str:
        """The n-gram present in the segment that pushes category k up the most: the explanation of the tag."""
        clf = self.model.named_steps["clf"].estimators_[k]
        if self._vocab is None:
            self._vocab = np.array(self.model.named_steps["features"].get_feature_names_out())
        contrib = row.multiply(clf.coef_[0][None, :]).tocsr()
        if contrib.nnz == 0:
            return ""
        j = contrib.indices[int(np.argmax(contrib.data))]
        return str(self._vocab[j]).split("__", 1)[-1].strip()

    def tag_batch(self, texts: Sequence[str], languages: Sequence[str | None] | None = None) -> list[list[Tag]]:
        """Tags of each text: categories whose probability reaches their threshold, with score and cue. It reads
        English only (`languages`, the texts' languages, changes nothing)."""
        if not texts:
            return []
        feats = self.model.named_steps["features"].transform(list(texts))
        proba = self.model.named_steps["clf"].predict_proba(feats)
        out: list[list[Tag]] = []
        for i, text in enumerate(texts):
            tags = [
                Tag(c, round(float(proba[i, k]), 3), self._cue(feats[i], k))
                for k, c in enumerate(self.categories)
                if proba[i, k] >= self.thresholds[k]
            ]
            if self.add_markers:
                tags += [t for t in tag_text(text) if t.category in MARKERS]
            out.append(tags)
        return out


def train(
    opp115_dir: Path | str,
    out_path: Path | str,
    grid: Sequence[dict[str, Any]] = DEFAULT_GRID,
    folds: int = 5,
    min_votes: int = 2,
) -> dict[str, Any]:
    """Fit the trained tagger on the dev split of an OPP-115-format folder and save it; returns the sidecar."""
    policies = read_corpus(opp115_dir, min_votes=min_votes)
    dev = segments_of(policies, "dev")
    if len({s.uid for s in dev}) < folds:
        raise ValueError(f"{opp115_dir}: need at least {folds} dev policies for {folds}-fold cross-validation")
    texts, groups = [s.text for s in dev], [s.uid for s in dev]
    y = label_matrix(dev)
    categories = [c for k, c in enumerate(OPP115_CATEGORIES) if y[:, k].any()]
    y = y[:, [OPP115_CATEGORIES.index(c) for c in categories]]

    results = []
    for args in grid:
        proba = _oof_proba(dict(args), texts, y, groups, folds)
        th = best_thresholds(y, proba)
        micro, macro = micro_macro_f1(y, (proba >= th).astype(int))
        log.info("cv %s: micro %.3f macro %.3f", args, micro, macro)
        results.append({"params": dict(args), "cv_micro_f1": micro, "cv_macro_f1": macro, "thresholds": th.tolist()})
    best = max(results, key=lambda r: r["cv_micro_f1"])

    model = build_model(**best["params"])
    model.fit(texts, y)
    config = {"format": FORMAT, "params": best["params"], "folds": folds, "min_votes": min_votes, "grid": list(grid)}
    if best["params"].get("rules"):
        config["rules_version"] = RULES_VERSION  # its features come from the rules: new rules, new model version
    version = hashlib.sha256(json.dumps({"config": config, "data": fingerprint(dev)}, sort_keys=True).encode())
    sidecar = {
        "tagger": "trained",
        "version": version.hexdigest()[:12],
        "categories": categories,
        "thresholds": dict(zip(categories, best["thresholds"], strict=True)),
        "params": best["params"],
        "cv_micro_f1": round(best["cv_micro_f1"], 4),
        "cv_macro_f1": round(best["cv_macro_f1"], 4),
        "cv_results": [{k: v for k, v in r.items() if k != "thresholds"} for r in results],
        "train_segments": len(dev),
        "train_policies": len(set(groups)),
        "data_fingerprint": fingerprint(dev),
        "split": "dev (uid % 4 != 0)",
    }
    tagger = TrainedTagger(model, categories, best["thresholds"], sidecar["version"])
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"format": FORMAT, "tagger": tagger}, out)
    _sidecar_path(out).write_text(json.dumps(sidecar, indent=2) + "\n")
    return sidecar


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def load_model(path: Path | str) -> TrainedTagger:
    """Load a tagger saved by `train` (pickle: only load models you made yourself)."""
    blob = joblib.load(Path(path))
    if not isinstance(blob, dict) or blob.get("format") != FORMAT or not isinstance(blob.get("tagger"), TrainedTagger):
        raise ValueError(f"{path}: not a tagger saved by policy-history train-tagger")
    return blob["tagger"]
