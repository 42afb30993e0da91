"""Extraction quality against the OPP-115 gold text, with two baselines computed in the same run.

Input: `original_policies/<uid>_*.html` (one is a PDF) -> gold `sanitized_policies/<uid>_*.html`, whose `|||`
segments are the text the annotators saw. Files are matched by the uid before the first underscore.

Tokens: the text is NFKC-normalized and lowercased, markdown markup is stripped (heading/emphasis/list marks,
table pipes, link targets), and the tokens are the runs of letters and digits (`[^\\W_]+`). Scores compare bags
of tokens: overlap = sum over tokens of min(count in ours, count in gold); precision = overlap / our tokens,
recall = overlap / gold tokens. Macro = mean of per-policy P/R/F1; micro = from overlaps summed over policies.

Methods:
- ours: `pipelines.extract.extract()` (the product path: decoding, trafilatura tuned + safeguard, PDF).
- trafilatura-default: `trafilatura.extract(raw_bytes)` with default settings.
- readability: `readability.Document(raw_bytes).summary()` then HTML-to-text (lxml text of the summary).
For the one PDF, both baselines (HTML extractors) are given the same pypdf text as ours; `--html-only` drops it.

Run: `uv run python -m bench.eval_extract [--data ../shared/data/opp115] [--html-only] [--worst 5]`
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html
import trafilatura
from readability import Document as Readability

from pipelines.extract import extract
from pipelines.opp115 import clean_segment
from pipelines.pdf import pdf_to_text

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> Counter[str]:
    """Bag of lowercased word tokens of a (markdown) text, markup stripped."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _LINK.sub(r"\1", t)  # keep a link's words, drop its target
    return Counter(_TOKEN.findall(t))


def prf(ours: Counter[str], gold: Counter[str]) -> tuple[int, int, int]:
    """(overlap, our token count, gold token count)."""
    return sum((ours & gold).values()), sum(ours.values()), sum(gold.values())


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def gold_text(path: Path) -> str:
    return "\n".join(clean_segment(s) for s in path.read_text(encoding="utf-8", errors="replace").split("|||"))


def ours(raw: bytes, is_pdf: bool) -> str:
    return extract(raw, "application/pdf" if is_pdf else "text/html").text


def trafilatura_default(raw: bytes, is_pdf: bool) -> str:
    return pdf_to_text(raw) if is_pdf else (trafilatura.extract(raw) or "")


def readability_text(raw: bytes, is_pdf: bool) -> str:
    if is_pdf:
        return pdf_to_text(raw)
    summary = Readability(raw).summary(html_partial=True)
    return "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""


METHODS: dict[str, Callable[[bytes, bool], str]] = {
    "ours": ours,
    "trafilatura-default": trafilatura_default,
    "readability": readability_text,
}


def pairs(root: Path) -> list[tuple[int, Path, Path]]:
    """(uid, raw file, gold file) for every uid present in both folders."""

    def by_uid(folder: Path) -> dict[int, Path]:
        return {int(p.name.split("_", 1)[0]): p for p in folder.iterdir() if p.name.split("_", 1)[0].isdigit()}

    raw, gold = by_uid(root / "original_policies"), by_uid(root / "sanitized_policies")
    return [(u, raw[u], gold[u]) for u in sorted(raw.keys() & gold.keys())]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1] / "../shared/data/opp115")
    ap.add_argument("--html-only", action="store_true", help="leave out the PDF policy")
    ap.add_argument("--worst", type=int, default=5, help="print our N lowest-F1 policies")
    args = ap.parse_args(argv)
    items = pairs(args.data)
    per: dict[str, list[tuple[int, int, int, int]]] = {m: [] for m in METHODS}
    secs: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    for uid, raw_path, gold_path in items:
        raw = raw_path.read_bytes()
        is_pdf = raw.startswith(b"%PDF-")
        if is_pdf and args.html_only:
            continue
        gold = tokens(gold_text(gold_path))
        for name, fn in METHODS.items():
            t0 = time.perf_counter()
            text = fn(raw, is_pdf)
            secs[name] += time.perf_counter() - t0
            per[name].append((uid, *prf(tokens(text), gold)))
    n = len(per["ours"])
    print(f"OPP-115 extraction, {n} policies ({'HTML only' if args.html_only else 'incl. 1 PDF'}); bag-of-tokens")
    print(f"{'method':<22}{'macroP':>8}{'macroR':>8}{'macroF1':>9}{'microP':>8}{'microR':>8}{'microF1':>9}{'s/doc':>8}")
    for name, rows in per.items():
        ps = [o / a if a else 0.0 for _, o, a, _g in rows]
        rs = [o / g if g else 0.0 for _, o, _a, g in rows]
        mp, mr = sum(ps) / n, sum(rs) / n
        mf = sum(f1(p, r) for p, r in zip(ps, rs, strict=True)) / n
        o, a, g = (sum(r[i] for r in rows) for i in (1, 2, 3))
        up, ur = o / a, o / g
        print(f"{name:<22}{mp:8.4f}{mr:8.4f}{mf:9.4f}{up:8.4f}{ur:8.4f}{f1(up, ur):9.4f}{secs[name] / n:8.3f}")
    if args.worst:
        scored = sorted(
            (f1(o / a if a else 0, o / g if g else 0), o / a if a else 0, o / g if g else 0, uid)
            for uid, o, a, g in per["ours"]
        )
        print(
            "ours, lowest F1:",
            ", ".join(f"uid {u} F1={f:.3f} (P={p:.3f} R={r:.3f})" for f, p, r, u in scored[: args.worst]),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
