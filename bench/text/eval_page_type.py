"""Page type on held-out services of ota-doctypes: confusion matrix, precision / recall of `privacy_policy`,
per language, texts and pages separately; then non-legal and look-alike pages.

    python -m bench.text.eval_page_type [--data ../shared/data/ota-doctypes] [--show 20]

The split is by service, never by file: `train_pagetype.held_out` (a fixed hash of the service name) holds out
about 30% of the services; a model is trained here, exactly as the shipped one is (`train_pagetype.fit`), on the
other services and the generic pages, and measured on the held-out ones. The shipped model is trained on every
service, so it is not measured here (it has seen these pages). Texts are OTA's markdown read as they are; pages
are the raw HTML through `extract` (site chrome included). The language is the one the pipeline detects.

Then, pages no OTA folder has: the sample archive's homepages and error pages (`pipelines/sample`) and the
generated look-alikes and brief policies of `bench/text/eval_classify.py` (similar in kind to the generic
training pages, so a sanity check rather than a held-out measure). For comparison, the old score
(`classify.policy_score >= 0.5`) on the same held-out pages.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from bench.text.eval_classify import negatives, short_policies
from pipelines.sample.captures import plan_site
from pipelines.sample.library import sites
from pipelines.text.classify import POLICY_THRESHOLD, policy_score
from pipelines.text.extract import extract
from pipelines.text.pagetype import PRIVACY_POLICY, TYPES, UNKNOWN, built_for, page_type
from pipelines.text.train_pagetype import Example, fit, generated_examples, held_out, mislabelled, ota_examples

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ota-doctypes"
COLUMNS = (*TYPES, UNKNOWN)
MISLABELLED = "pipelines/text/data/ota_mislabelled.csv"


def _pr(pairs: list[tuple[bool, bool]]) -> str:
    """Precision and recall of (truth, predicted) pairs, with the counts behind them."""
    tp = sum(t and p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    precision = f"{tp / (tp + fp):.3f}" if tp + fp else "  n/a"
    recall = f"{tp / (tp + fn):.3f}" if tp + fn else "  n/a"
    return f"precision={precision} recall={recall} (tp={tp} fp={fp} fn={fn})"


def _report(name: str, rows: list[tuple[Example, str]], show: int) -> None:
    """The report on these rows, then the headline figures again without the files known to be mislabelled."""
    _report_rows(name, rows, show)
    wrong = mislabelled()
    kept = [(e, p) for e, p in rows if e.file not in wrong]
    if len(kept) < len(rows):
        pairs = [(e.page_type == PRIVACY_POLICY, p == PRIVACY_POLICY) for e, p in kept if built_for(e.text, e.language)]
        tos = [p for e, p in kept if e.terms_type == "Terms of Service"]
        print(f"without the {len(rows) - len(kept)} mislabelled files of {MISLABELLED}:")
        print(f"  privacy_policy, en/fr/de text:  {_pr(pairs)}")
        print(f"  Terms of Service pages called privacy_policy: {tos.count(PRIVACY_POLICY)} of {len(tos)}")


def _report_rows(name: str, rows: list[tuple[Example, str]], show: int) -> None:
    print(f"\n== {name}: {len(rows)} documents of {len({e.service for e, _ in rows})} held-out services")
    print("confusion (rows: truth, columns: predicted)")
    print(f"  {'':<16}" + "".join(f"{c:>15}" for c in COLUMNS))
    for truth in TYPES:
        got = Counter(p for e, p in rows if e.page_type == truth)
        if got:
            print(f"  {truth:<16}" + "".join(f"{got[c]:>15}" for c in COLUMNS))
    pairs = [(e.page_type == PRIVACY_POLICY, p == PRIVACY_POLICY) for e, p in rows]
    print(f"privacy_policy, all languages:  {_pr(pairs)}")
    built = [(e.page_type == PRIVACY_POLICY, p == PRIVACY_POLICY) for e, p in rows if built_for(e.text, e.language)]
    print(f"privacy_policy, en/fr/de text:  {_pr(built)}")
    tos = [p for e, p in rows if e.terms_type == "Terms of Service"]
    print(f"Terms of Service pages called privacy_policy: {tos.count(PRIVACY_POLICY)} of {len(tos)}")
    for lang, n in Counter(e.language for e, _ in rows).most_common():
        sub = [(e.page_type == PRIVACY_POLICY, p == PRIVACY_POLICY) for e, p in rows if e.language == lang]
        print(f"  language {lang or '-'!s:<3} n={n:<4} {_pr(sub)}")
    wrong = [(e, p) for e, p in rows if (e.page_type == PRIVACY_POLICY) != (p == PRIVACY_POLICY)]
    for e, p in wrong[:show]:
        head = " / ".join(line.strip() for line in e.text.splitlines() if line.strip())[:70]
        print(f"  miss {e.file} [{e.service} / {e.terms_type}, {e.language}] -> {p} | {e.title[:30]} | {head}")


def _sample_pages() -> list[tuple[str, bytes, bool]]:
    """(kind, body, is a policy) of each distinct non-policy page of the sample archive, and of a few policies."""
    out, seen = [], set()
    for site in sites():
        for r in plan_site(site, random.Random(f"7:{site.site_id}")):
            if r.body and r.body not in seen and (r.version is None or r.version.no == 1):
                seen.add(r.body)
                out.append((f"sample_{r.kind}", r.body, r.version is not None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA, help="the ota-doctypes folder")
    ap.add_argument("--show", type=int, default=20, help="print this many misses of each part")
    args = ap.parse_args(argv)
    examples = ota_examples(args.data)
    wrong = mislabelled()  # never trained on (their label is not their content); measured with and without
    train = [e for e in examples if not held_out(e.service) and e.file not in wrong] + generated_examples()
    test = [e for e in examples if held_out(e.service)]
    model = fit(train)
    print("######## fixed hash split of services (train_pagetype.held_out) ########")
    services = len({e.service for e in examples})
    print(f"split by service: {len({e.service for e in test})} held-out services of {services}")
    print(f"trained on {len(train)} documents ({dict(sorted(model.about['examples'].items()))})")
    predicted = [(e, page_type(e.text, e.title, e.language, model).type) for e in test]
    for source in ("texts", "pages"):
        _report(source, [(e, p) for e, p in predicted if e.source == source], args.show)
    # 21 held-out pages are few: also hold every service out once (5 folds by service, over all of ota-doctypes)
    from sklearn.model_selection import GroupKFold

    folds = GroupKFold(5).split(examples, groups=[e.service for e in examples])
    crossed = []
    for fit_at, test_at in folds:
        fold_model = fit([examples[i] for i in fit_at if examples[i].file not in wrong] + generated_examples())
        crossed += [(examples[i], page_type(examples[i].text, examples[i].title, examples[i].language, fold_model).type)
                    for i in test_at]  # fmt: skip
    print("\n######## 5 folds by service: every document of ota-doctypes held out once ########")
    for source in ("texts", "pages"):
        _report(f"{source}, 5 folds", [(e, p) for e, p in crossed if e.source == source], args.show)
    old = [(e.page_type == PRIVACY_POLICY, policy_score(e.text, e.title) >= POLICY_THRESHOLD) for e in test]
    print(f"\nold score (classify.policy_score >= 0.5) on the same held-out documents: {_pr(old)}")

    print("\n== pages from no OTA folder (sample archive; generated by bench/text/eval_classify.py)")
    pages = [(k, raw, truth) for k, raw, truth in _sample_pages()]
    pages += [(k, raw, False) for k, raw in negatives(20240917, 10)]
    pages += [(k, raw, True) for k, raw in short_policies(20240917, 10)]
    by_kind: dict[str, Counter] = {}
    pairs = []
    for kind, raw, truth in pages:
        d = extract(raw, "text/html")
        by_kind.setdefault(kind, Counter())[d.page_type or d.status] += 1
        pairs.append((truth, d.is_policy))
    for kind, got in sorted(by_kind.items()):
        print(f"  {kind:<22} " + ", ".join(f"{t}={n}" for t, n in got.most_common()))
    print(f"privacy_policy on these pages: {_pr(pairs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
