"""Score the rules tagger at policy level on French and German privacy policies labelled by reading them
(bench/practices/data/fr_de_labels.csv; how they were made: the README beside it).

Each policy goes the product's way: extraction (`pipelines.text.extract`), segments, then the tagger with the
document's detected language; a category is present in a policy when any of its segments has it. Prints
per-category precision / recall / F1 and micro per language, for the dev half, the test half and all (the
halves split by service), and, apart, the markers (their labels come from a text search, see the README).

`--heldout` scores, the same way, the 32 French and German policies written for the benchmark
(bench/practices/data/fr_de_heldout/, labels in fr_de_heldout_labels.csv; its README says how they were made).
`--half dev` prints the dev half only (the test half is for checkpoints). `--informal` first rewrites each policy
from the formal address to the informal one many apps use ("Sie" to "du", "vous" to "tu";
`bench/practices/informal.py`; labels unchanged): the cues must not depend on the form of address. `--regional`
rewrites the German policies in Swiss wording ("ss" for "ß", "Personendaten", "bearbeiten", "DSG") and the
French ones in Quebec's ("renseignements personnels", "témoins", "courriel", "Loi 25"; `bench/practices/regional.py`)
and scores the categories only (the GDPR marker rightly goes with the law's name).
`--as-english` tags each policy as though its document had been detected as English, as a bilingual page whose
English half comes first is: each long passage must then be read in its own language (`passage_language`).

    uv run python -m bench.practices.eval_fr_de --docs ../shared/data/ota-doctypes
    uv run python -m bench.practices.eval_fr_de --heldout --half dev --errors
    uv run python -m bench.practices.eval_fr_de --heldout --docs ../shared/data/ota-doctypes --informal
    uv run python -m bench.practices.eval_fr_de --heldout --docs ../shared/data/ota-doctypes --as-english
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path

from bench.practices.informal import informal
from bench.practices.regional import regional
from pipelines.practices.rules import RulesTagger
from pipelines.text.extract import extract
from pipelines.text.segment import segment_markdown

LABELS = Path(__file__).parent / "data" / "fr_de_labels.csv"
HELDOUT_LABELS = Path(__file__).parent / "data" / "fr_de_heldout_labels.csv"
HELDOUT_DOCS = Path(__file__).parent / "data" / "fr_de_heldout"
FIXED = ("doc", "service", "language", "half")
MARKERS = ("cookies", "children", "gdpr")


def policy_tags(
    path: Path, rewrite: Callable[[str], str] | None = None, as_english: bool = False
) -> tuple[str | None, dict[str, tuple[str, str]]]:
    """The detected language of one policy and the categories the rules tagger finds in any of its segments,
    each with the cue and the segment of its first tag; `rewrite` first rewrites the policy's text; with
    `as_english`, the document's language is taken to be English."""
    payload = path.read_bytes()
    if rewrite:
        payload = rewrite(payload.decode("utf-8")).encode("utf-8")
    doc = extract(payload, "text/html" if path.suffix == ".html" else "text/markdown")
    texts = [s.text for s in segment_markdown(doc.text)]
    tags = RulesTagger().tag_batch(texts, ["en" if as_english else doc.language] * len(texts))
    found: dict[str, tuple[str, str]] = {}
    for text, ts in zip(texts, tags, strict=True):
        for t in ts:
            found.setdefault(t.category, (t.cue, text))
    return doc.language, found


def table(title: str, rows: list[dict], found: dict[str, dict], categories: list[str]) -> float:
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


def _rewrite(how: str | None, language: str) -> Callable[[str], str] | None:
    """The rewrite a policy in this language goes through first: its informal address, or its regional wording."""
    if how == "informal":
        return lambda text: informal(text, language)
    return (lambda text: regional(text, language)) if how == "regional" else None


def score(
    labels: Path,
    docs: Path,
    errors: bool,
    halves: tuple[str | None, ...],
    what: str,
    rewrite: str | None = None,
    as_english: bool = False,
) -> dict[str, float]:
    """Tag the policies of one labels file (paths relative to `docs`), print their tables; the micro F1s. With
    `rewrite` "informal", each policy is rewritten in its language's informal address first; with "regional", in
    Swiss or Quebec wording, and the markers are not scored (such a policy names the DSG or Loi 25, not the
    GDPR); with `as_english`, each is tagged as though detected as English."""
    with labels.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["half"] in halves or None in halves]
    markers = [m for m in MARKERS if m in rows[0] and rewrite != "regional"]
    categories = [c for c in rows[0] if c not in FIXED and c not in MARKERS]
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows:
        language, found[r["doc"]] = policy_tags(docs / r["doc"], _rewrite(rewrite, r["language"]), as_english)
        if language != r["language"]:
            print(f"note: {r['doc']} detected as {language}, labelled {r['language']}")
        if errors:
            missed = [c for c in categories + markers if r[c] == "1" and c not in found[r["doc"]]]
            extra = [c for c in categories + markers if r[c] == "0" and c in found[r["doc"]]]
            print(f"{r['service']:20s} {r['half']:4s} missed {missed} extra {extra}")
            for c in extra:
                cue, text = found[r["doc"]][c]
                print(f"    {c}: cue {cue!r} in {text[:300]!r}")
    summary = {}
    for lang in sorted({r["language"] for r in rows}):
        for half in halves:
            part = [r for r in rows if r["language"] == lang and (half is None or r["half"] == half)]
            if part:
                name = f"{lang} {half or 'all'}"
                summary[name] = table(f"rules tagger, {what}, {name}", part, found, categories)
        if markers:
            ours = [r for r in rows if r["language"] == lang]
            table(f"markers, {what}, {lang} (labels from a text search)", ours, found, markers)
    print(f"\nmicro F1, {what}: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items()))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", help="the ota-doctypes folder (paths in the labels are relative to it)")
    ap.add_argument("--heldout", action="store_true", help="score the held-out policies written for the benchmark")
    ap.add_argument("--half", choices=("dev", "test", "all"), default="all", help="which half to print (default all)")
    ap.add_argument("--errors", action="store_true", help="list each policy's missed and extra categories")
    ap.add_argument("--informal", action="store_true", help="rewrite each policy in the informal address first")
    ap.add_argument("--regional", action="store_true", help="rewrite each policy in Swiss or Quebec wording first")
    ap.add_argument("--as-english", action="store_true", help="tag as though each document were detected as English")
    args = ap.parse_args(argv)
    if not args.docs and not args.heldout:
        ap.error("give --docs, --heldout or both")
    halves = ("dev", "test", None) if args.half == "all" else (args.half,)
    if args.informal and args.regional:
        ap.error("give --informal or --regional, not both")
    rewrite = "informal" if args.informal else "regional" if args.regional else None
    how = f" ({rewrite})" * bool(rewrite) + " (as English)" * args.as_english
    if args.docs:
        score(LABELS, Path(args.docs), args.errors, halves, "ota" + how, rewrite, args.as_english)
    if args.heldout:
        score(HELDOUT_LABELS, HELDOUT_DOCS, args.errors, halves, "held-out" + how, rewrite, args.as_english)
    return 0


if __name__ == "__main__":
    sys.exit(main())
