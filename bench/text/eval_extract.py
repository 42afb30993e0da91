"""Extraction quality against the OPP-115 gold text, with two baselines computed in the same run.

Input: `original_policies/<uid>_*.html` (one is a PDF) -> gold `sanitized_policies/<uid>_*.html`, whose `|||`
segments are the text the annotators saw. Files are matched by the uid before the first underscore.

Tokens: the text is NFKC-normalized and lowercased, markdown markup is stripped (heading/emphasis/list marks,
table pipes, link targets), and the tokens are the runs of letters and digits (`[^\\W_]+`). Scores compare bags
of tokens: overlap = sum over tokens of min(count in ours, count in gold); precision = overlap / our tokens,
recall = overlap / gold tokens. Macro = mean of per-policy P/R/F1; micro = from overlaps summed over policies.

Methods:
- ours: `pipelines.text.extract.extract()` (the product path: decoding, trafilatura tuned + safeguard, PDF, and the
  description of the document: is_policy score, stated date, language, readability, hash).
- trafilatura-tuned: one `trafilatura.extract(decoded_html)` call with our settings (`pipelines.text.markdown.tuned`),
  nothing else: the yardstick of issue 7 (the whole extract step should cost at most ~1.2x this).
- trafilatura-default: `trafilatura.extract(raw_bytes)` with default settings.
- readability: `readability.Document(raw_bytes).summary()` then HTML-to-text (lxml text of the summary).
For the one PDF, both baselines (HTML extractors) are given the same pypdf text as ours; `--html-only` drops it.

Timing: every method runs on the same document one after the other (so load from other processes on the machine
falls on all alike), after one warm-up document (model and dictionary loading is a once-per-process cost), each
with trafilatura's line cache emptied (see `timed`).
Printed per document: wall seconds and CPU seconds of this process; then ours / trafilatura-tuned and
ours / trafilatura-default as CPU-time ratios. `--warc DIR` times the same methods on the HTML responses of the
WARC files in DIR (a generated archive from `bench.archive.make_archive`), where there is no gold text.

Run: `uv run python -m bench.text.eval_extract [--data ../shared/data/opp115] [--html-only] [--worst 5] [--warc DIR]`
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
import trafilatura.utils
from readability import Document as Readability
from warcio.archiveiterator import ArchiveIterator

from pipelines.practices.opp115 import clean_segment
from pipelines.text.decode import decode
from pipelines.text.extract import extract
from pipelines.text.markdown import tuned
from pipelines.text.pdf import pdf_to_text

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


def trafilatura_tuned(raw: bytes, is_pdf: bool) -> str:
    return pdf_to_text(raw) if is_pdf else tuned(decode(raw, "text/html"))


def trafilatura_default(raw: bytes, is_pdf: bool) -> str:
    return pdf_to_text(raw) if is_pdf else (trafilatura.extract(raw) or "")


def readability_text(raw: bytes, is_pdf: bool) -> str:
    if is_pdf:
        return pdf_to_text(raw)
    summary = Readability(raw).summary(html_partial=True)
    return "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""


METHODS: dict[str, Callable[[bytes, bool], str]] = {
    "ours": ours,
    "trafilatura-tuned": trafilatura_tuned,
    "trafilatura-default": trafilatura_default,
    "readability": readability_text,
}


def pairs(root: Path) -> list[tuple[int, Path, Path]]:
    """(uid, raw file, gold file) for every uid present in both folders."""

    def by_uid(folder: Path) -> dict[int, Path]:
        return {int(p.name.split("_", 1)[0]): p for p in folder.iterdir() if p.name.split("_", 1)[0].isdigit()}

    raw, gold = by_uid(root / "original_policies"), by_uid(root / "sanitized_policies")
    return [(u, raw[u], gold[u]) for u in sorted(raw.keys() & gold.keys())]


def timed(fn: Callable[[bytes, bool], str], raw: bytes, is_pdf: bool) -> tuple[str, float, float]:
    """(text, wall seconds, CPU seconds) of one call.

    trafilatura memoizes its line cleaning (1,024 lines): the second method to run on a page would find the page's
    lines cleaned already. Emptied before each call, so that every method reads the page cold.
    """
    trafilatura.utils.line_processing.cache_clear()
    trafilatura.utils.trim.cache_clear()
    w0, c0 = time.perf_counter(), time.process_time()
    text = fn(raw, is_pdf)
    return text, time.perf_counter() - w0, time.process_time() - c0


def warc_html(folder: Path) -> list[bytes]:
    """Bodies of the HTML response records of the WARC files in a folder."""
    out = []
    for path in sorted(folder.glob("*.warc*")):
        with path.open("rb") as fh:
            for rec in ArchiveIterator(fh):
                ctype = rec.http_headers.get_header("Content-Type", "") if rec.http_headers else ""
                if rec.rec_type == "response" and "html" in ctype and (body := rec.content_stream().read()):
                    out.append(body)
    return out


def print_ratios(wall: dict[str, float], cpu: dict[str, float], n: int) -> None:
    print(f"{'method':<22}{'wall s/doc':>11}{'cpu s/doc':>11}")
    for name in wall:
        print(f"{name:<22}{wall[name] / n:11.4f}{cpu[name] / n:11.4f}")
    for base in ("trafilatura-tuned", "trafilatura-default"):
        print(f"ours / {base}: {cpu['ours'] / cpu[base]:.3f} (CPU), {wall['ours'] / wall[base]:.3f} (wall)")


def time_warc(folder: Path) -> int:
    bodies = warc_html(folder)
    wall: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    cpu: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    for fn in METHODS.values():
        fn(bodies[0], False)  # warm-up
    for raw in bodies:
        for name, fn in METHODS.items():
            _, w, c = timed(fn, raw, False)
            wall[name] += w
            cpu[name] += c
    print(f"{len(bodies)} HTML responses from {folder}")
    print_ratios(wall, cpu, len(bodies))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "../shared/data/opp115")
    ap.add_argument("--html-only", action="store_true", help="leave out the PDF policy")
    ap.add_argument("--worst", type=int, default=5, help="print our N lowest-F1 policies")
    ap.add_argument("--warc", type=Path, help="only time the methods on the HTML responses of these WARC files")
    args = ap.parse_args(argv)
    if args.warc:
        return time_warc(args.warc)
    items = pairs(args.data)
    per: dict[str, list[tuple[int, int, int, int]]] = {m: [] for m in METHODS}
    wall: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    cpu: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    warm = items[0][1].read_bytes()
    for fn in METHODS.values():
        fn(warm, warm.startswith(b"%PDF-"))
    for uid, raw_path, gold_path in items:
        raw = raw_path.read_bytes()
        is_pdf = raw.startswith(b"%PDF-")
        if is_pdf and args.html_only:
            continue
        gold = tokens(gold_text(gold_path))
        for name, fn in METHODS.items():
            text, w, c = timed(fn, raw, is_pdf)
            wall[name] += w
            cpu[name] += c
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
        print(f"{name:<22}{mp:8.4f}{mr:8.4f}{mf:9.4f}{up:8.4f}{ur:8.4f}{f1(up, ur):9.4f}{wall[name] / n:8.3f}")
    print_ratios(wall, cpu, n)
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
