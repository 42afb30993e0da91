"""Train the page-type model (`pagetype`) and write it as the JSON file shipped in the package.

    python -m pipelines.text.train_pagetype --data ../shared/data/ota-doctypes

Training data, read in place (never copied into the repository):
- Open Terms Archive's legal pages in `ota-doctypes` (ODC-BY 1.0; attribution in README and docs/page-types.md):
  the markdown texts as they are, and the raw HTML pages through the project's own extraction (`extract`), so
  the model learns from the text it will meet in a build, site chrome included;
- generic pages written for the project (`data/generic_pages.toml`): non-legal pages, and the brief policies of
  small sites (OTA keeps no document under 1,500 characters).

OTA's terms types become page types by `TYPE_OF` (why: docs/page-types.md). The evaluation
(`bench/text/eval_page_type.py`) trains on services outside `held_out` and measures on the services in it; the
shipped model is trained on every service, so that no labelled page is wasted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipelines.text.pagecues import CUE_NAMES, cues
from pipelines.text.pagetype import (
    COOKIE_NOTICE,
    MODEL_FILE,
    NOT_LEGAL,
    OTHER_LEGAL,
    PRIVACY_POLICY,
    TYPES,
    Model,
)

GENERIC_FILE = Path(__file__).parent / "data" / "generic_pages.toml"
MISLABELLED_FILE = Path(__file__).parent / "data" / "ota_mislabelled.csv"
C = 3.0  # inverse regularisation; chosen by GroupKFold over the training services, never on the held-out ones
HELD_OUT_SHARE = 3  # tenths of the services held out for evaluation

# OTA terms type -> page type; every other type there is a legal page that is not a privacy notice.
TYPE_OF = {
    "Privacy Policy": PRIVACY_POLICY,
    "Parent Organization Privacy Policy": PRIVACY_POLICY,  # the policy the site points to is the one that applies
    "Trackers Policy": COOKIE_NOTICE,
}


@dataclass(frozen=True)
class Example:
    """One labelled page: where it comes from (`texts`, `pages`, `generated`), its service, type and text."""

    source: str
    service: str
    terms_type: str
    page_type: str
    text: str
    title: str
    language: str | None
    file: str


def held_out(service: str) -> bool:
    """A fixed hash split of service names: every document of a service falls on the same side."""
    return int(hashlib.sha256(service.encode()).hexdigest(), 16) % 10 < HELD_OUT_SHARE


def mislabelled(path: Path = MISLABELLED_FILE) -> dict[str, str]:
    """ota-doctypes files whose content is not what OTA files them under (file -> why), read by hand: a privacy
    notice filed as Terms of Service, a terms page filed as Privacy Policy. Left out of training; the evaluation
    reports its figures with and without them."""
    with path.open(encoding="utf-8") as fh:
        return {row["file"]: row["why"] for row in csv.DictReader(fh)}


def ota_examples(data: Path) -> list[Example]:
    """Every file of ota-doctypes: markdown texts as they are, HTML pages through `extract`."""
    from pipelines.text.describe import language
    from pipelines.text.extract import extract

    out = []
    with (data / "labels.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            path = data / row["file"]
            if row["file"].startswith("pages/"):
                doc = extract(path.read_bytes(), "text/html")
                text, title, lang, source = doc.text, doc.title, doc.language, "pages"
            else:
                text = path.read_text(encoding="utf-8")
                title, lang, source = "", language(text) if text.strip() else None, "texts"
            kind = TYPE_OF.get(row["terms_type"], OTHER_LEGAL)
            out.append(Example(source, row["service"], row["terms_type"], kind, text, title, lang, row["file"]))
    return out


def generated_examples(path: Path = GENERIC_FILE) -> list[Example]:
    """The generic pages written for the project; each is its own service."""
    from pipelines.text.describe import language

    with path.open("rb") as fh:
        pages = tomllib.load(fh)["page"]
    return [
        Example(
            "generated",
            f"generated-{i}",
            "",
            p.get("type", NOT_LEGAL),
            p["text"],
            p["title"],
            language(p["text"]),
            f"#{i}",
        )  # noqa: E501
        for i, p in enumerate(pages)
    ]


def fit(examples: Iterable[Example], about: dict | None = None) -> Model:
    """A multinomial logistic model over the cues of these examples."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    examples = list(examples)
    x = np.array([[c[n] for n in CUE_NAMES] for c in (cues(e.text, e.title) for e in examples)])
    y = np.array([e.page_type for e in examples])
    lr = LogisticRegression(C=C, max_iter=5000).fit(x, y)
    classes = list(lr.classes_)
    order = [classes.index(t) for t in TYPES]
    counts = Counter(e.page_type for e in examples)
    return Model(
        types=TYPES,
        features=CUE_NAMES,
        weights=tuple(tuple(float(w) for w in lr.coef_[i]) for i in order),
        intercepts=tuple(float(lr.intercept_[i]) for i in order),
        about={**(about or {}), "examples": dict(sorted(counts.items())), "C": C},
    )


ABOUT = {
    "what": "page-type model of pipelines/text/pagetype.py; retrain with python -m pipelines.text.train_pagetype",
    "trained_on": "Open Terms Archive legal pages (ota-doctypes: contrib-versions, genai-contrib-snapshots, "
    "sante-numerique-france-snapshots) and pipelines/text/data/generic_pages.toml",
    "attribution": "Open Terms Archive contributors; Open Terms Archive. ODC-BY 1.0",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/ota-doctypes"), help="the ota-doctypes folder")
    ap.add_argument("--out", type=Path, default=MODEL_FILE, help=f"model file to write (default {MODEL_FILE.name})")
    args = ap.parse_args(argv)
    if not (args.data / "labels.csv").is_file():
        print(f"error: no labels.csv in {args.data}", file=sys.stderr)
        return 2
    wrong = mislabelled()
    examples = [e for e in ota_examples(args.data) if e.file not in wrong] + generated_examples()
    model = fit(examples, ABOUT)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.out} from {len(examples)} examples: {model.about['examples']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
