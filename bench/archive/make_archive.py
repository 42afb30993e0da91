"""Generate a large synthetic web archive for the scale benchmark: many sites, many captures, real page sizes.

Each site gets a privacy policy assembled from a library of section paragraphs, which evolves through a few
versions over the years; each capture renders the version in force inside a page of realistic furniture
(head with styles and scripts, navigation, sidebar, footer), so a page weighs tens of kilobytes like an
archived policy does. Archives repeat themselves, and so does this one: some captures are byte-identical
to the previous one (same digest, fetched once), some are WARC revisit records, some differ only in markup
(copyright year, cache token), a few are 404s and homepages. Output is a pure function of the arguments.

    uv run python -m bench.archive.make_archive OUT_DIR --sites 3000 --captures 10
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Section heading -> paragraph templates. {co} is the company, {site} its name, {n} a small number.
LIBRARY: dict[str, list[str]] = {
    "Information We Collect": [
        "We collect personal information that you provide to us, such as your name, email address, postal "
        "address and telephone number, when you register for an account, place an order or contact {co}.",
        "When you visit {site}, our servers automatically record information that your browser sends, "
        "including your IP address, browser type, referring page, the pages you view and the time of your visit.",
        "If you make a purchase, we collect payment information such as your credit card number and billing "
        "address; card numbers are processed by our payment provider and are not stored on our servers.",
        "We may collect information about your location when you use our mobile applications, if you have "
        "allowed your device to share it with us. You can turn location sharing off in your device settings.",
        "We receive information about you from other sources, such as social networks when you connect your "
        "account, and marketing partners who have your permission to share it with {co}.",
    ],
    "How We Use Your Information": [
        "We use the information we collect to provide, maintain and improve our services, to process your "
        "transactions and to send you related information, including confirmations and invoices.",
        "We use your email address to send you newsletters and promotional offers. You may opt out of these "
        "messages at any time by following the unsubscribe link in each message.",
        "We analyse how visitors use {site} in order to understand which features are popular and to make the "
        "site easier to use. These analyses are based on aggregated data that does not identify you.",
        "We may use your information to detect, investigate and prevent fraudulent transactions and other "
        "illegal activities and to protect the rights and property of {co} and others.",
    ],
    "Sharing and Disclosure": [
        "We do not sell or rent your personal information to third parties for their marketing purposes "
        "without your explicit consent.",
        "We share information with service providers who perform services on our behalf, such as hosting, "
        "payment processing and customer support. They may use it only to provide those services to us.",
        "We may disclose information when we believe in good faith that the law requires it, for example in "
        "response to a subpoena, court order or other legal process.",
        "If {co} is involved in a merger, acquisition or sale of assets, your information may be transferred "
        "as part of that transaction. We will notify you before it becomes subject to a different policy.",
    ],
    "Cookies and Similar Technologies": [
        "We use cookies, web beacons and similar technologies to remember your preferences, keep you signed in "
        "and understand how you use {site}. Most browsers let you refuse cookies.",
        "Third-party advertising partners may place cookies on your browser to show you advertisements based on "
        "your interests. You can opt out of interest-based advertising through the industry opt-out pages.",
        "Our site does not currently respond to Do Not Track signals, because no common standard for them has "
        "been adopted.",
    ],
    "Data Retention": [
        "We keep your personal information for as long as your account is active or as needed to provide you "
        "services, and for {n} years afterwards to comply with our legal obligations and resolve disputes.",
        "Server logs are deleted after {n} months. Aggregated statistics that do not identify you may be kept "
        "indefinitely.",
    ],
    "Security": [
        "We use reasonable administrative, technical and physical safeguards to protect your information, "
        "including encryption of data in transit using secure socket layer technology.",
        "No method of transmission over the Internet is completely secure, and we cannot guarantee the absolute "
        "security of your information.",
    ],
    "Children's Privacy": [
        "{site} is not directed to children under 13, and we do not knowingly collect personal information "
        "from children under 13. If we learn that we have, we will delete it promptly.",
    ],
    "Your Rights and Choices": [
        "You may access, correct or delete the personal information in your account at any time by signing in "
        "and editing your profile, or by writing to us at the address below.",
        "If you are in the European Economic Area, you have the right to object to processing, to restrict it "
        "and to data portability, and you may lodge a complaint with your supervisory authority.",
        "California residents may request a list of the categories of personal information we disclosed to "
        "third parties for their direct marketing purposes during the preceding calendar year.",
    ],
    "International Transfers": [
        "Your information may be transferred to and processed in countries other than your own, where data "
        "protection laws may differ. We take steps to ensure that it remains protected.",
    ],
    "Changes to This Policy": [
        "We may update this privacy policy from time to time. When we do, we will revise the date at the top "
        "of this page and, for material changes, notify you by email or through a notice on {site}.",
    ],
    "Contact Us": [
        "If you have questions about this privacy policy, please contact {co}, attention Privacy Officer, "
        "at privacy@{slug}.example or by mail at {n}00 Main Street, Springfield.",
    ],
}
SECTIONS = list(LIBRARY)
NAV = ["Home", "Products", "Services", "Solutions", "Pricing", "Blog", "Support", "Careers", "About Us", "Contact"]
FIRST_YEAR, LAST_YEAR = 2004, 2024
STYLE = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i * 4111 % 0xFFFFFF:06x}}}\n" for i in range(260))
SCRIPT = "".join(f"var t{i}=function(a,b){{return a*{i}+b;}};\n" for i in range(180))


@dataclass(frozen=True)
class ArchiveFiles:
    """Where an archive was written and what it holds."""

    warc_dir: Path
    sources: Path
    sites: int
    records: int
    bytes: int


def _policy(rng: random.Random, slug: str, name: str, co: str) -> list[tuple[str, list[str]]]:
    """A first policy version: most sections, most of their paragraphs, filled for this site."""
    out = []
    for head in SECTIONS:
        if head not in ("Information We Collect", "Contact Us") and rng.random() < 0.2:
            continue
        paras = [p for p in LIBRARY[head] if rng.random() < 0.8] or LIBRARY[head][:1]
        out.append((head, [p.format(co=co, site=name, slug=slug, n=rng.randint(2, 9)) for p in paras]))
    return out


def _evolve(rng: random.Random, policy: list[tuple[str, list[str]]], slug: str, name: str, co: str) -> list:
    """The next version: a section gained or lost, a paragraph edited, a paragraph added."""
    new = [(h, list(ps)) for h, ps in policy]
    roll = rng.random()
    if roll < 0.3:
        missing = [h for h in SECTIONS if h not in {x for x, _ in new}]
        if missing:
            head = rng.choice(missing)
            new.insert(rng.randint(0, len(new)), (head, [LIBRARY[head][0].format(co=co, site=name, slug=slug, n=3)]))
    elif roll < 0.45 and len(new) > 3:
        new.pop(rng.randrange(1, len(new) - 1))
    head, paras = rng.choice(new)
    i = rng.randrange(len(paras))
    paras[i] = (
        paras[i].replace("We ", f"{co} ", 1) if rng.random() < 0.5 else paras[i] + " This applies to all services."
    )
    if rng.random() < 0.5:
        pool = [p for p in LIBRARY[head] if p.format(co=co, site=name, slug=slug, n=rng.randint(2, 9)) not in paras]
        if pool:
            paras.append(rng.choice(pool).format(co=co, site=name, slug=slug, n=rng.randint(2, 9)))
    return new


def _page(name: str, co: str, policy: list, stated: str, year: int, token: str, layout: int) -> str:
    nav = "".join(f'<li class="c{i}"><a href="/{n.lower().replace(" ", "-")}">{n}</a></li>' for i, n in enumerate(NAV))
    side = "".join(f'<li><a href="/news/{year}/{i}">News item {i} from {name}</a></li>' for i in range(25))
    body = [f"<h1>Privacy Policy</h1><p><em>Last updated: {stated}</em></p>"]
    for head, paras in policy:
        body.append(f"<h2>{escape(head)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in paras))
    main = "".join(body)
    wrap = ("div", "main")[layout % 2]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Privacy Policy | {escape(name)}</title>'
        f"<style>{STYLE}</style><script>{SCRIPT}</script><!-- cache {token} --></head><body>"
        f'<header><a class="logo" href="/">{escape(name)}</a><nav><ul>{nav}</ul></nav></header>'
        f'<{wrap} id="content" class="layout{layout}">{main}</{wrap}>'
        f"<aside><h3>Latest news</h3><ul>{side}</ul></aside>"
        f"<footer><p>&copy; {year} {escape(co)}. All rights reserved.</p><p>{' | '.join(NAV)}</p></footer>"
        "</body></html>"
    )


def _digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _site_records(i: int, n_captures: int, seed: int) -> tuple[dict, list[tuple]]:
    """One site's sources entry and its records: (kind, url, when, status, body)."""
    rng = random.Random(f"{seed}:{i}")
    slug = f"site{i:06d}"
    name = f"Site {i} {rng.choice(['Media', 'Shop', 'Games', 'Travel', 'Health', 'Bank', 'News'])}"
    co = f"{name} Inc."
    home_url = f"http://www.{slug}.example/"
    url = home_url + rng.choice(["privacy", "legal/privacy", "privacy-policy"])
    start = datetime(rng.randint(FIRST_YEAR, LAST_YEAR - 4), rng.randint(1, 12), rng.randint(1, 28), tzinfo=UTC)
    span = (datetime(LAST_YEAR, 12, 31, tzinfo=UTC) - start).total_seconds()
    times = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(n_captures))
    policy = _policy(rng, slug, name, co)
    stated, layout, prev = times[0], 0, None
    records: list[tuple] = []
    for t in times:
        roll = rng.random()
        if roll < 0.03:
            records.append(("response", url, t, 404, b"<html><body><h1>Not Found</h1></body></html>"))
            continue
        if roll < 0.06:
            home = (
                f"<html><head><title>{escape(name)}</title></head>"
                f"<body><h1>Welcome to {escape(name)}</h1></body></html>"
            )
            records.append(("response", home_url, t, 200, home.encode()))
            continue
        if prev is not None and roll < 0.25:
            records.append(("revisit", url, t, 200, prev))
            continue
        if prev is not None and roll < 0.45:
            records.append(("response", url, t, 200, prev))  # byte-identical recrawl
            continue
        if rng.random() < 0.3:
            policy, stated = _evolve(rng, policy, slug, name, co), t
        if rng.random() < 0.1:
            layout += 1
        body = _page(name, co, policy, f"{stated:%B %d, %Y}", t.year, f"{rng.getrandbits(48):012x}", layout)
        prev = body.encode()
        records.append(("response", url, t, 200, prev))
    site = {"id": slug, "name": name, "policy_urls": [url], "homepage": home_url}
    return site, records


def _write_warc(path: Path, records: list[tuple]) -> int:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for kind, url, t, status, body in records:
        when = t.strftime("%Y-%m-%dT%H:%M:%SZ")
        http = StatusAndHeaders(
            f"{status} {'OK' if status == 200 else 'Not Found'}",
            [("Date", format_datetime(t, usegmt=True)), ("Content-Type", "text/html; charset=utf-8")],
            protocol="HTTP/1.1",
        )
        rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}|{url}|{when}")
        headers = {"WARC-Record-ID": f"<urn:uuid:{rid}>", "WARC-Date": when}
        if kind == "revisit":
            rec = writer.create_revisit_record(
                url, _digest(body), url, when, http_headers=http, warc_headers_dict=headers
            )
        else:
            rec = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict=headers,
            )
        writer.write_record(rec)
    path.write_bytes(buf.getvalue())
    return len(buf.getvalue())


def make_archive(out: Path, sites: int, captures: int = 10, seed: int = 1, sites_per_file: int = 250) -> ArchiveFiles:
    """Write `sites` sites with about `captures` records each as WARC files under out/warc, plus out/sources.toml."""
    out = Path(out)
    warc_dir = out / "warc"
    warc_dir.mkdir(parents=True, exist_ok=True)
    lines, n_records, n_bytes = [], 0, 0
    for first in range(0, sites, sites_per_file):
        batch = []
        for i in range(first, min(sites, first + sites_per_file)):
            site, recs = _site_records(i, captures, seed)
            batch.extend(recs)
            urls = ", ".join(json.dumps(u) for u in site["policy_urls"])
            lines += [
                "[[site]]",
                f"id = {json.dumps(site['id'])}",
                f"name = {json.dumps(site['name'])}",
                f"policy_urls = [{urls}]",
                f"homepage = {json.dumps(site['homepage'])}",
                "",
            ]
        n_bytes += _write_warc(warc_dir / f"part-{first // sites_per_file:05d}.warc.gz", batch)
        n_records += len(batch)
    sources = out / "sources.toml"
    sources.write_text("\n".join(lines), encoding="utf-8")
    return ArchiveFiles(warc_dir, sources, sites, n_records, n_bytes)


def main(argv: list[str] | None = None) -> int:
    """CLI: write an archive and print its size."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--captures", type=int, default=10, help="records per site")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    files = make_archive(args.out, args.sites, args.captures, args.seed)
    print(f"{files.sites} sites, {files.records} records, {files.bytes / 1e6:.1f} MB gzipped in {files.warc_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
