"""Generate a long archived history, as the Wayback Machine holds a busy policy URL: thousands of captures whose
bytes all differ (nonces, cache busters, ad slots, CSRF tokens, copyright years) around a text that changes a
few times in fifteen years, once back to an earlier text (a revert), with a soft-404 week, archived 404s and
byte-identical repeats among them.

Writes OUT/long.warc.gz and OUT/truth.csv (site, captured_at, version shown: the label of the text, or `-` for a
page that is not the policy). Output is a pure function of the arguments.

    python -m bench.archive.long_history OUT --sites 2 --captures 1500
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.sample.archive import write_warc
from pipelines.sample.history import make_versions
from pipelines.sample.library import sites
from pipelines.sample.model import Record
from pipelines.sample.render import page, policy_body

START, END = datetime(2010, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)


def _chrome(rng: random.Random, at: datetime) -> tuple[str, str]:
    """What changes in every capture and is not the policy: (head extras, an ad slot)."""
    nonce = "".join(rng.choice("abcdef0123456789") for _ in range(24))
    head = (
        f'<script nonce="{nonce}">window.__cfg={{"t":{int(at.timestamp())},"ab":"{rng.choice("ABCD")}"}}</script>'
        f'<link rel="stylesheet" href="/static/site.css?v={rng.randrange(10**9)}">'
        f"<!-- served {at.isoformat()} by node {rng.randrange(64)} -->"
    )
    ad = (
        f'<aside class="ad" data-slot="{rng.randrange(10**6)}"><form><input type="hidden" name="csrf" '
        f'value="{nonce}"></form></aside>'
    )
    return head, ad


def generate(out: Path, n_sites: int, n_captures: int, seed: int = 11) -> Path:
    """Write the archive and its truth under out; return the WARC path."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    records: list[Record] = []
    truth: list[tuple[str, str, str]] = []
    for site in sites()[:n_sites]:
        versions = make_versions(site, random.Random(f"{seed}:{site.site_id}"))[:4]
        # a few changes in fifteen years, and one revert: v0, v1, v2, v1 again, v3
        order = [0, 1, 2, 1, 3] if len(versions) >= 4 else list(range(len(versions)))
        cuts = sorted(rng.sample(range(1, n_captures), len(order) - 1))
        step = (END - START) / n_captures
        url = f"{site.base}/privacy"
        soft_404 = rng.randrange(n_captures // 3, n_captures // 2)
        last_body = b""
        for k in range(n_captures):
            at = START + step * k + timedelta(seconds=rng.randrange(3600))
            shown = order[sum(k >= c for c in cuts)]
            head, ad = _chrome(rng, at)
            status = 200
            if soft_404 <= k < soft_404 + 5:  # a redesign week: the policy URL answers with a "not found" page
                content, label = "<h1>Page not found</h1><p>Sorry, this page has moved.</p>", "-"
            elif k % 97 == 13:
                content, label, status = "<h1>Not found</h1>", "-", 404
            else:
                content, label = policy_body(site, versions[shown], 2) + ad, f"v{shown}"
            html = page(site, 2, at.year, "Privacy Policy", content, "/privacy").replace("</head>", head + "</head>")
            body = last_body if k % 11 == 5 and last_body else html.encode()  # byte-identical repeats
            last_body = body
            records.append(Record(at=at, url=url, kind="policy" if label != "-" else "other", status=status, body=body))
            truth.append((site.site_id, at.strftime("%Y%m%d%H%M%S"), label))
    warc = out / "long.warc.gz"
    write_warc(warc, records)
    with (out / "truth.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["site", "captured_at", "version"])
        w.writerows(truth)
    return warc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--sites", type=int, default=2)
    ap.add_argument("--captures", type=int, default=1500)
    args = ap.parse_args(argv)
    print(generate(args.out, args.sites, args.captures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
