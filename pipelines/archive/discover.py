"""Policy-URL discovery: find where a site kept its privacy policy, period by period, from archived homepages.

For a sample of homepage captures spread over the years (one per distinct payload, at most `max_pages`),
the homepage is fetched through the archive and its links are scored: link text saying "privacy
policy/notice/statement" weighs most, then "privacy" in the text, then in the target. The best link of
each capture is its policy URL; consecutive captures naming the same page form one period, so a policy
that moved shows as several periods.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.replay import FetchFailed, FetchIndex, fetch_capture
from pipelines.archive.sources import url_key
from pipelines.archive.store import RawStore

log = logging.getLogger(__name__)

MIN_SCORE = 2.0  # a link needs at least "privacy" in its text, or a strong target plus something else
MAX_HTML_BYTES = 5 * 1024 * 1024

TEXT_STRONG = re.compile(r"\bprivacy\s*(?:&\s*cookies?\s*)?(policy|notice|statement|center|centre)\b", re.I)
TEXT_WEAK = re.compile(r"\bprivacy\b|\bdata\s+protection\b|\bdatenschutz|\bconfidentialit", re.I)
HREF_STRONG = re.compile(r"privacy[-_ ]?(policy|notice|statement)|privacypolicy", re.I)
HREF_WEAK = re.compile(r"privacy|datenschutz|data-?protection", re.I)
NOT_POLICY = re.compile(r"\b(settings|preferences|choices|opt[- ]?out|do not sell|cookie settings)\b", re.I)


@dataclass(frozen=True)
class PolicyPeriod:
    """A policy URL and the span of homepage captures that linked to it."""

    url: str
    first_seen: datetime
    last_seen: datetime
    n_homepages: int
    score: float


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def score_link(text: str, href: str, same_site: bool) -> float:
    """How much a link looks like the link to a privacy policy (0: not at all)."""
    text = " ".join(text.split())[:200]
    score = 0.0
    if TEXT_STRONG.search(text):
        score += 3.0
    elif TEXT_WEAK.search(text):
        score += 2.0
    path = urlsplit(href).path + "?" + urlsplit(href).query
    if HREF_STRONG.search(path):
        score += 1.5
    elif HREF_WEAK.search(path):
        score += 1.0
    if score and NOT_POLICY.search(text):
        score -= 1.5  # "privacy settings" / "opt out" links are controls, not the policy
    if score and same_site:
        score += 0.5  # policies usually live on the site itself; a parent company's is still allowed
    return score


def policy_links(html: bytes, base_url: str) -> list[tuple[str, float]]:
    """Candidate policy links of one page, best first, as (absolute URL, score); only http(s) targets."""
    if not html or len(html) > MAX_HTML_BYTES:
        return []
    try:
        doc = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for b in doc.xpath("//base[@href]")[:1]:
        base = urljoin(base_url, b.get("href"))
    best: dict[str, tuple[str, float]] = {}
    for a in doc.xpath("//a[@href]")[:5000]:
        href = urljoin(base, a.get("href").strip())
        if urlsplit(href).scheme not in ("http", "https"):
            continue
        text = a.text_content() + " " + (a.get("title") or "")
        s = score_link(text, href, _host(href) == _host(base_url))
        key = url_key(href.split("#", 1)[0])
        if s >= MIN_SCORE and s > best.get(key, ("", 0.0))[1]:
            best[key] = (href.split("#", 1)[0], s)
    return sorted(best.values(), key=lambda x: (-x[1], x[0]))


def discover_policy_urls(
    client: CdxClient,
    store: RawStore,
    homepage: str,
    max_pages: int = 24,
) -> list[PolicyPeriod]:
    """Policy URLs linked from the archived homepage over time, as periods in time order.

    Homepage payloads go through the raw store like any other (fetched once per digest, across runs).
    Captures whose homepage cannot be fetched or links nothing policy-like are skipped.
    """

    rows = client.captures_of(homepage, statuses={200})
    by_digest: dict[str, list[CdxRow]] = {}
    for r in rows:
        by_digest.setdefault(r.digest or r.timestamp, []).append(r)
    keys = list(by_digest)
    if len(keys) > max_pages:  # spread the sample evenly over the site's history
        step = (len(keys) - 1) / (max_pages - 1)
        keys = [keys[round(i * step)] for i in range(max_pages)]
    index = FetchIndex(store)
    picks: list[tuple[datetime, str, float]] = []
    for key in keys:
        row = by_digest[key][0]
        try:
            entry, _ = fetch_capture(client, store, index, row)
        except FetchFailed as exc:
            log.info("homepage %s %s: %s", row.timestamp, row.url, exc)
            continue
        if not entry.get("sha256") or entry["status"] >= 300:
            continue
        links = policy_links(store.get(entry["sha256"]), row.url)
        if links:  # every capture of this homepage payload linked the same page
            picks.extend((r.captured_at, links[0][0], links[0][1]) for r in by_digest[key])
    periods: list[PolicyPeriod] = []
    for at, url, score in sorted(picks):
        last = periods[-1] if periods else None
        if last and url_key(last.url) == url_key(url):
            periods[-1] = PolicyPeriod(last.url, last.first_seen, at, last.n_homepages + 1, max(last.score, score))
        else:
            periods.append(PolicyPeriod(url, at, at, 1, score))
    return periods
