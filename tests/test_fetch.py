"""CDX ingestion end to end against a real pywb: fetched once per digest, verified, identical under faults."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from archive_fixtures import fast_client, pywb  # noqa: F401 (fixture)
from fault_proxy import FaultConfig, FaultProxy
from pywb_server import MANIFEST, POLICY

from pipelines.archive.cdx import CdxRow
from pipelines.archive.fetch import ingest_cdx
from pipelines.archive.replay import FetchFailed, FetchIndex, fetch_capture, sha1_base32
from pipelines.archive.sources import Site, Sources
from pipelines.archive.store import RawStore, sha256

SOURCES = Sources(
    [
        Site("shop-a", policy_urls=("http://www.shop-a.test/privacy.html",)),
        Site("shop-b", policy_urls=("http://shop-b.test/page.aspx?id=privacy",)),
    ]
)
# The redirect of privacy.html leads to legal/privacy-notice, which ingestion follows.
PAGES = {"shop-a.test/privacy.html", "shop-a.test/legal/privacy-notice", "shop-b.test/page.aspx?id=privacy"}


def _page(url: str) -> str:
    bare = url.split("://", 1)[1].removeprefix("www.")
    return bare if "?id=" in bare else bare.split("?", 1)[0].rstrip("/")


def expected_from_manifest() -> tuple[int, int, set[str]]:
    """(captures, fetches, payload sha256s) the corpus implies for SOURCES, computed from what was written."""
    rows = [m for m in MANIFEST if _page(m[1]) in PAGES]
    bodies = {
        POLICY[1] if kind == "revisit" else body
        for kind, _u, _d, status, body, _l in rows
        if kind == "revisit" or status < 300
    }
    redirects = [m for m in rows if m[3] is not None and 300 <= m[3] < 400]
    payloads = {sha256(b) for b in bodies} | {sha256(m[4]) for m in redirects}
    return len(rows), len(bodies) + len(redirects), payloads


def rows_of(result) -> list[dict]:
    return sorted(
        ({k: v for k, v in c.row().items() if k != "source"} for c in result.captures), key=lambda r: r["capture_id"]
    )


def stored(store: RawStore) -> dict[str, bytes]:
    return {p.name.removesuffix(".gz"): store.get(p.name.removesuffix(".gz")) for p in store.root.rglob("*.gz")}


def test_clean_run_fetches_each_digest_once_and_rerun_fetches_nothing(pywb, tmp_path: Path) -> None:  # noqa: F811
    n_captures, n_fetches, payloads = expected_from_manifest()
    store = RawStore(tmp_path)
    client = fast_client(pywb.cdx, pywb.replay)
    first = ingest_cdx(SOURCES, store, client, 8, {})
    assert len(first.captures) == n_captures and first.fetched == n_fetches
    assert set(stored(store)) == payloads == set(first.payloads)
    assert all(c.record_type == "cdx" and c.source == f"cdx:{pywb.cdx}" for c in first.captures)
    by_status = {(c.status_code, c.fetch_status) for c in first.captures}
    assert by_status == {(200, "ok"), (301, "redirect"), (404, "http_error")}
    redirect = next(c for c in first.captures if c.status_code == 301)
    assert redirect.redirect_to == "http://www.shop-a.test/legal/privacy-notice"
    revisit = next(c for c in first.captures if c.captured_at == datetime(2014, 9, 1))
    assert revisit.payload_sha256 == sha256(POLICY[1]) and revisit.mime == "text/html"
    for c in first.captures:  # every stored payload is what the archive's digest names
        if c.payload_sha256 and c.fetch_status == "ok":
            assert "sha1:" + sha1_base32(store.get(c.payload_sha256)) == c.digest

    again = ingest_cdx(SOURCES, store, fast_client(pywb.cdx, pywb.replay), 8, {})
    assert again.fetched == 0 and rows_of(again) == rows_of(first)


def test_faulty_archive_gives_the_same_rows_and_payloads(pywb, tmp_path: Path) -> None:  # noqa: F811
    clean_store = RawStore(tmp_path / "clean")
    clean = ingest_cdx(SOURCES, clean_store, fast_client(pywb.cdx, pywb.replay), 8, {})
    config = FaultConfig(rate=0.6, seed=7, retry_after="0", slow_pause=0.6)
    with FaultProxy(pywb.base.rsplit("/", 1)[0], config) as proxy:
        base = f"{proxy.url}/coll"
        faulty_store = RawStore(tmp_path / "faulty")
        faulty = ingest_cdx(SOURCES, faulty_store, fast_client(f"{base}/cdx", base), 8, {})
    assert all(proxy.counts[k] > 0 for k in ("429", "503", "reset", "truncate", "slow")), proxy.counts
    assert not faulty.failed_sites
    assert rows_of(faulty) == rows_of(clean)
    assert len({c.capture_id for c in faulty.captures}) == len(faulty.captures)
    assert stored(faulty_store) == stored(clean_store)
    assert faulty.fetched == clean.fetched


def test_unfetchable_captures_become_unavailable_rows(pywb, tmp_path: Path) -> None:  # noqa: F811
    clean = ingest_cdx(SOURCES, RawStore(tmp_path / "clean"), fast_client(pywb.cdx, pywb.replay), 8, {})
    config = FaultConfig(rate=1.0, kinds=("503",), match="id_/")  # listings work, every replay fails
    with FaultProxy(pywb.base.rsplit("/", 1)[0], config) as proxy:
        base = f"{proxy.url}/coll"
        client = fast_client(f"{base}/cdx", base)
        client.http.max_attempts = 2
        result = ingest_cdx(SOURCES, RawStore(tmp_path / "down"), client, 8, {})
    want = {c.capture_id: c for c in clean.captures}
    got = {c.capture_id: c for c in result.captures}
    # the redirect target is only known from the replayed 301, so its captures cannot be listed
    assert set(got) == {k for k, c in want.items() if "legal" not in c.url}
    for k, c in got.items():
        assert c.fetch_status == ("http_error" if want[k].status_code == 404 else "unavailable")
        assert c.payload_sha256 is None
    assert not result.payloads


def test_incremental_run_asks_only_for_newer_captures(pywb, tmp_path: Path) -> None:  # noqa: F811
    store = RawStore(tmp_path)
    full = ingest_cdx(SOURCES, store, fast_client(pywb.cdx, pywb.replay), 8, {})
    latest = {s: max(c.captured_at for c in full.captures if c.site_id == s) for s in ("shop-a", "shop-b")}
    assert ingest_cdx(SOURCES, store, fast_client(pywb.cdx, pywb.replay), 8, latest).captures == []
    cut = datetime(2016, 1, 1)
    # the moved-to page was learnt from a 2015 redirect, before the cut: it must still be asked
    newer = ingest_cdx(SOURCES, store, fast_client(pywb.cdx, pywb.replay), 8, {"shop-a": cut})
    want = {c.capture_id for c in full.captures if c.site_id == "shop-b" or c.captured_at > cut}
    assert {c.capture_id for c in newer.captures} == want and newer.fetched == 0


def test_payload_not_matching_its_digest_is_refused(pywb, tmp_path: Path) -> None:  # noqa: F811
    store = RawStore(tmp_path)
    row = CdxRow("http://shop-b.test/page.aspx?id=privacy", "20140201000000", "text/html", 200, "sha1:" + "A" * 32)
    client = fast_client(pywb.cdx, pywb.replay)
    with pytest.raises(FetchFailed, match="never matched"):
        fetch_capture(client, store, FetchIndex(store), row)
    assert client.n_fetches == 3 and stored(store) == {}
