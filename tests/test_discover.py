"""Policy-URL discovery: link ranking on HTML, and periods found from a real pywb's homepage captures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from archive_fixtures import fast_client, pywb  # noqa: F401 (fixture)

from pipelines.archive.discover import discover_policy_urls, policy_links
from pipelines.archive.fetch import ingest_cdx
from pipelines.archive.sources import Site, Sources
from pipelines.archive.store import RawStore

HOME = b"""<html><body><a href="javascript:privacy()">Privacy Policy</a>
<a href="/account/privacy">Privacy settings</a><a href="/help">Help</a>
<a href="/p?id=7">Our Privacy Statement</a><a href="/legal/privacy.html">Legal</a>
<a href="https://parent.example/privacy-policy">Privacy</a></body></html>"""


def test_links_are_ranked_and_controls_and_scripts_left_out() -> None:
    links = [u for u, _ in policy_links(HOME, "http://www.shop.example/")]
    assert links[0] == "http://www.shop.example/p?id=7"  # the text says "privacy statement"
    assert "https://parent.example/privacy-policy" in links
    assert links.index("https://parent.example/privacy-policy") < links.index("http://www.shop.example/account/privacy")
    assert "http://www.shop.example/help" not in links and not any(u.startswith("javascript") for u in links)


def test_unreadable_or_linkless_pages_give_nothing() -> None:
    assert policy_links(b"", "http://a.example/") == []
    assert policy_links(b"<html><body><a href='/about'>About</a></body></html>", "http://a.example/") == []


def test_policy_is_followed_as_it_moves(pywb, tmp_path: Path) -> None:  # noqa: F811
    store = RawStore(tmp_path)
    periods = discover_policy_urls(fast_client(pywb.cdx, pywb.replay), store, "http://shop-a.test/")
    assert [(p.url, p.first_seen.year, p.last_seen.year) for p in periods] == [
        ("http://www.shop-a.test/privacy.html", 2012, 2013),
        ("https://www.shop-a.test/legal/privacy-notice", 2016, 2018),
    ]
    client = fast_client(pywb.cdx, pywb.replay)
    result = ingest_cdx(Sources([Site("shop-a", homepage="http://www.shop-a.test/")]), store, client, 8, {})
    urls = {c.url.split("?")[0] for c in result.captures}
    assert any("privacy.html" in u for u in urls) and any("legal/privacy-notice" in u for u in urls)
    assert all(c.site_id == "shop-a" for c in result.captures)
    assert min(c.captured_at for c in result.captures) == datetime(2012, 4, 1)
