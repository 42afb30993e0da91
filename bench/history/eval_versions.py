"""Version boundaries against Open Terms Archive: does a new version start at this capture?

Reads ../shared/data/ota-dating (a WARC of real captures of 24 dating services' privacy policies and
OTA's labels, see its README), runs our extraction and version grouping per window in capture order, and
prints precision / recall / F1 of "a new version starts here" (headline: without the markup_only positives,
which a plain-text pipeline cannot see; and over all scored rows), the false-positive rate on negatives and
recall by change_scope. No per-site rules: the same `group_versions` the pipeline runs.

    uv run python bench/history/eval_versions.py [--data ../shared/data/ota-dating] [--workers 2] [--errors]

Extraction results are cached in bench/out/ (git-ignored), keyed by payload digest, extractor version and a
hash of the text-extraction code (extract, pdf), so an edit that does not bump the version cannot leave stale
text behind. `is_policy` is recomputed from the cached text and title with the current classifier, exactly as
`extract` decides it, so classifier edits are measured without re-extracting.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import pandas as pd
from warcio.archiveiterator import ArchiveIterator

from pipelines.history.versions import group_versions
from pipelines.text.classify import POLICY_THRESHOLD, policy_score
from pipelines.text.extract import EXTRACTOR_VERSION, extract

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ota-dating"
CACHE_DIR = ROOT / "bench" / "out"
# The code whose output is cached: a change to any text module but segmentation recomputes the extraction.
EXTRACTION_CODE = sorted(
    p for p in (ROOT / "pipelines" / "text").glob("*.py") if p.name not in ("segment.py", "stage.py")
)


def code_stamp() -> str:
    """Extractor version plus a short hash of the text-extraction code, to key the cache."""
    h = hashlib.sha256()
    for path in EXTRACTION_CODE:
        h.update(path.read_bytes())
    return f"{EXTRACTOR_VERSION}-{h.hexdigest()[:12]}"


def _when(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00")).replace(tzinfo=None)


def _extract_one(args: tuple[str, bytes, str, str]) -> dict:
    digest, payload, url, captured = args
    doc = extract(payload, "text/html; charset=utf-8", url=url, captured_at=_when(captured))
    return {"digest": digest, **doc.row()}


def read_records(data: Path) -> dict[str, tuple[bytes, str, str, str]]:
    """{warc_record_id: (payload, payload digest, url, WARC-Date)} for every response record."""
    out = {}
    with (data / "captures.warc.gz").open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            h = rec.rec_headers
            out[h.get_header("WARC-Record-ID")] = (
                rec.content_stream().read(),
                h.get_header("WARC-Payload-Digest"),
                h.get_header("WARC-Target-URI"),
                h.get_header("WARC-Date"),
            )
    return out


def extracted(records: dict[str, tuple[bytes, str, str, str]], workers: int, stamp: str) -> dict[str, dict]:
    """Extraction result per payload digest, from the cache or computed (and cached); is_policy recomputed."""
    cache = CACHE_DIR / f"ota_extract_{stamp}.jsonl"
    done: dict[str, dict] = {}
    if cache.exists():
        for line in cache.read_text().splitlines():
            row = json.loads(line)
            done[row["digest"]] = row
    todo = {}
    for payload, digest, url, captured in records.values():
        if digest not in done and digest not in todo:
            todo[digest] = (digest, payload, url, captured)
    if todo:
        print(f"extracting {len(todo)} payloads ({workers} workers) ...", file=sys.stderr)
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with cache.open("a") as out, ProcessPoolExecutor(max_workers=workers) as pool:
            for row in pool.map(_extract_one, todo.values(), chunksize=4):
                out.write(json.dumps(row) + "\n")
                done[row["digest"]] = row
    for row in done.values():  # the current classifier's verdict, as `extract` computes it
        row["is_policy"] = bool(row["text"]) and policy_score(row["text"], row["title"] or "") >= POLICY_THRESHOLD
    return done


def predict(truth: list[dict], docs: dict[str, dict], records: dict, policy_only: bool) -> dict[str, bool]:
    """{warc_record_id: predicted 'a new version starts here'} by grouping each window's captures.

    With `policy_only`, as the pipeline does, only captures classified as policies are grouped; otherwise
    every capture with extracted text is, which measures the grouping apart from the classifier.
    """
    rows = []
    for r in truth:
        payload, digest, url, captured = records[r["warc_record_id"]]
        d = docs[digest]
        if not d["text"] or (policy_only and not d["is_policy"]):
            continue
        rows.append(
            {
                "capture_id": r["warc_record_id"],
                "site_id": r["window_id"],
                "url": url,
                "captured_at": _when(captured),
                "payload_sha256": digest,
                "text": d["text"],
                "stated_date": d["stated_date"],
                "word_count": d["word_count"],
            }
        )
    _, links = group_versions(pd.DataFrame(rows))
    first_of_version = set(links.groupby("version_id")["capture_id"].first()) if len(links) else set()
    # group_versions sorts by time; the links come out in that order, so "first" is the version's start.
    return {r["warc_record_id"]: r["warc_record_id"] in first_of_version for r in truth}


def prf(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(t and p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": len(pairs), "tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec, "f1": f1}


def report(truth: list[dict], scored: list[dict], pred: dict[str, bool], errors: bool) -> None:
    """Print the figures for one set of predictions."""
    is_pos = {r["warc_record_id"]: r["starts_new_version"] == "true" for r in truth}
    headline = [r for r in scored if not (is_pos[r["warc_record_id"]] and r["change_scope"] == "markup_only")]

    def pairs(rows: list[dict]) -> list[tuple[bool, bool]]:
        return [(is_pos[r["warc_record_id"]], pred[r["warc_record_id"]]) for r in rows]

    for name, rows in (("headline (no markup_only positives)", headline), ("all scored rows", scored)):
        m = prf(pairs(rows))
        print(
            f"{name:38s} n={m['n']:4d} tp={m['tp']:3d} fp={m['fp']:3d} fn={m['fn']:3d} "
            f"P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f}"
        )
    negs = [r for r in scored if not is_pos[r["warc_record_id"]]]
    fp = sum(pred[r["warc_record_id"]] for r in negs)
    print(f"false-positive rate on negatives: {fp}/{len(negs)} = {fp / len(negs):.4f}")
    flagged = [r for r in negs if "true" in (r["technical_upgrade_here"], r["declaration_changed_here"])]
    fpf = sum(pred[r["warc_record_id"]] for r in flagged)
    print(f"  of which on technical-upgrade / declaration-change negatives: {fpf}/{len(flagged)}")
    by_scope: dict[str, list[bool]] = defaultdict(list)
    for r in scored:
        if is_pos[r["warc_record_id"]]:
            by_scope[r["change_scope"]].append(pred[r["warc_record_id"]])
    print(
        "recall by change_scope: "
        + ", ".join(f"{s} {sum(v)}/{len(v)} = {sum(v) / len(v):.3f}" for s, v in sorted(by_scope.items()))
    )
    per_service: Counter[str] = Counter()
    for r in scored:
        if is_pos[r["warc_record_id"]] != pred[r["warc_record_id"]]:
            per_service[r["service"]] += 1
    print("errors by service: " + (", ".join(f"{s} {n}" for s, n in per_service.most_common()) or "none"))
    if errors:
        for r in scored:
            t, p = is_pos[r["warc_record_id"]], pred[r["warc_record_id"]]
            if t != p:
                print(
                    f"  {'FN' if t else 'FP'} {r['window_id']:24s} {r['captured_at']} "
                    f"scope={r['change_scope'] or '-'} digest={r['payload_sha1']}"
                )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--errors", action="store_true", help="list every wrong row")
    args = ap.parse_args(argv)

    truth = list(csv.DictReader((args.data / "ground_truth.csv").open(encoding="utf-8")))
    records = read_records(args.data)
    stamp = code_stamp()  # once: the code may be edited while this runs
    docs = extracted(records, args.workers, stamp)
    scored = [r for r in truth if r["is_first_in_window"] == "false"]
    not_policy = sum(not docs[records[r["warc_record_id"]][1]]["is_policy"] for r in scored)
    print(
        f"OTA dating, extractor {stamp}: {len(truth)} captures, {len(scored)} scored; "
        f"{not_policy} scored captures not classified as policy"
    )
    for policy_only in (False, True):
        title = (
            "pipeline as built (only captures classified as policy; the others predicted negative)"
            if policy_only
            else "version grouping on every capture with extracted text"
        )
        print(f"\n== {title}")
        report(truth, scored, predict(truth, docs, records, policy_only), args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
