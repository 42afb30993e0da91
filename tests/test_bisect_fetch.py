"""Bisecting fetch against a real pywb on 127.0.0.1 (and through the fault-injecting proxy): the same changes with
the same brackets as fetching everything, a fraction of the replays, every listed capture kept and accounted for,
and a scheduled run that probes only its new captures."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from fault_proxy import FaultConfig, FaultProxy
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from bench.archive.long_history import generate
from bench.archive.pywb import PywbServer, pywb_venv
from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.fetch import CdxIngestResult, ingest_cdx
from pipelines.archive.http import RECOVER_AFTER, PoliteClient
from pipelines.archive.records import Capture
from pipelines.archive.sources import Site, Sources
from pipelines.archive.store import RawStore
from pipelines.history.probe import VersionJudge

JUDGE = VersionJudge()
CUT = datetime(2018, 1, 1)  # the scheduled run's archive ends here; the next one holds everything


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory):
    venv = pywb_venv()
    if venv is None:
        pytest.skip("pywb not installed: run scripts/pywb.sh (scripts/test.sh runs it)")
    root = tmp_path_factory.mktemp("bisect")
    full = generate(root / "gen", 1, 240)
    early = root / "early.warc.gz"
    with full.open("rb") as src, early.open("wb") as dst:
        writer = WARCWriter(dst, gzip=True)
        for rec in ArchiveIterator(src):
            if rec.rec_headers.get_header("WARC-Date") < CUT.strftime("%Y-%m-%dT%H:%M:%SZ"):
                writer.write_record(rec)
    servers = {}
    for name, warc in (("full", full), ("early", early)):
        (root / name).mkdir()
        servers[name] = PywbServer([warc], root / name, venv)
    url = next(iter({line.split(",")[0] for line in (root / "gen" / "truth.csv").read_text().splitlines()[1:]}))
    yield servers, url
    for s in servers.values():
        s.stop()


def _sources(site: str, fetch: str) -> Sources:
    return Sources([Site(site, policy_urls=(f"http://www.{site}.example/privacy",))], fetch=fetch)


def _client(cdx: str, replay: str) -> CdxClient:
    fast = PoliteClient(rate=0, backoff=0.01, max_backoff=0.05, connect_retry_wait=0.01, seed=1)
    return CdxClient(cdx, replay, fast)


def _ingest(server, site: str, store: RawStore, fetch: str = "bisect", **kw) -> tuple[CdxIngestResult, CdxClient]:
    client = _client(server.cdx, server.replay)
    return ingest_cdx(_sources(site, fetch), store, client, 8, kw.pop("known", {}), judge=JUDGE, **kw), client


def _rows(result: CdxIngestResult) -> list[dict]:
    """Capture rows less where they were listed (the proxy's address is not the archive's)."""
    return sorted(({k: v for k, v in c.row().items() if k != "source"} for c in result.captures), key=str)


def _boundaries(captures: list[Capture], store: RawStore) -> list[tuple[datetime, datetime]]:
    """(last capture with the old text, first with the new) over the captures whose policy text was had."""
    prints = []
    for c in sorted(captures, key=lambda c: c.captured_at):
        if c.fetch_status == "ok" and c.payload_sha256:
            fp = JUDGE.read(store.get(c.payload_sha256), c.content_type, c.captured_at)
            if fp is not None:
                prints.append((c.captured_at, fp))
    return [(a, b) for (a, fa), (b, fb) in zip(prints, prints[1:], strict=False) if not JUDGE.same(fa, fb, b)]


def test_bisect_finds_the_exhaustive_changes_with_a_fraction_of_the_replays(archive, tmp_path: Path) -> None:
    servers, site = archive
    all_store, bis_store = RawStore(tmp_path / "all"), RawStore(tmp_path / "bisect")
    everything, all_client = _ingest(servers["full"], site, all_store, "all")
    bisect, bis_client = _ingest(servers["full"], site, bis_store)
    expected = _boundaries(everything.captures, all_store)
    assert len(expected) >= 4  # the generated history: four changes, one of them back to an earlier text
    assert _boundaries(bisect.captures, bis_store) == expected
    assert bis_client.n_replays <= 0.35 * all_client.n_replays
    # every listed capture is kept, and says how its text was had
    assert {c.capture_id for c in bisect.captures} == {c.capture_id for c in everything.captures}
    states = {c.fetch_state for c in bisect.captures}
    assert states == {"fetched", "reused", "inferred", "not_fetched"}
    by_id = {c.capture_id: c for c in bisect.captures}
    for c in bisect.captures:
        if c.fetch_state == "inferred":
            after, before = by_id[c.inferred_after], by_id[c.inferred_before]
            assert after.captured_at < c.captured_at < before.captured_at
            assert {after.fetch_state, before.fetch_state} <= {"fetched", "reused"}
            assert c.payload_sha256 is None and c.fetch_status == "inferred"
        elif c.status_code == 404:
            assert c.fetch_state == "not_fetched"  # an archived error is never requested
    # the soft-404 week (a 200 page that is no policy) was fetched where it bounded a span, never inferred as one
    fetched = [c for c in bisect.captures if c.fetch_state == "fetched"]
    assert len({c.digest for c in fetched}) == len(fetched)  # one fetch a digest


def test_no_two_fetched_captures_are_further_apart_than_max_unprobed_days(archive, tmp_path: Path) -> None:
    servers, site = archive
    store = RawStore(tmp_path)
    sources = replace(_sources(site, "bisect"), max_unprobed_days=60)
    client = _client(servers["full"].cdx, servers["full"].replay)
    result = ingest_cdx(sources, store, client, 8, {}, judge=JUDGE)
    had = sorted(c.captured_at for c in result.captures if c.fetch_state in ("fetched", "reused"))
    gaps = [(b - a).days for a, b in zip(had, had[1:], strict=False)]
    assert max(gaps) <= 60
    wide = ingest_cdx(
        _sources(site, "bisect"),
        RawStore(tmp_path / "wide"),
        _client(servers["full"].cdx, servers["full"].replay),
        8,
        {},
        judge=JUDGE,
    )
    assert sum(c.fetch_state == "fetched" for c in wide.captures) < sum(
        c.fetch_state == "fetched" for c in result.captures
    )


def test_a_faulty_archive_gives_the_same_bisected_captures(archive, tmp_path: Path) -> None:
    servers, site = archive
    clean, _ = _ingest(servers["full"], site, RawStore(tmp_path / "clean"))
    config = FaultConfig(rate=0.4, seed=3, retry_after="0", slow_pause=0.3)
    with FaultProxy(servers["full"].base.rsplit("/", 1)[0], config) as proxy:
        base = f"{proxy.url}/coll"
        client = _client(f"{base}/cdx", base)
        faulty = ingest_cdx(_sources(site, "bisect"), RawStore(tmp_path / "faulty"), client, 8, {}, judge=JUDGE)
    assert sum(proxy.counts.values()) > 0 and proxy.counts["429"] > 0
    assert client.http.slowdown > 1.0 or client.http.n_rate_limited > 0  # a 429 slowed the whole client
    assert _rows(faulty) == _rows(clean)


def test_a_scheduled_run_probes_only_its_new_captures_against_the_newest_known(archive, tmp_path: Path) -> None:
    servers, site = archive
    store = RawStore(tmp_path / "store")
    first, first_client = _ingest(servers["early"], site, store)
    assert first.captures and max(c.captured_at for c in first.captures) < CUT
    newest = max((c for c in first.captures if c.fetch_status == "ok"), key=lambda c: c.captured_at)
    anchor = CdxRow(newest.url, f"{newest.captured_at:%Y%m%d%H%M%S}", newest.mime, newest.status_code, newest.digest)
    known = {site: max(c.captured_at for c in first.captures)}
    second, second_client = _ingest(servers["full"], site, store, known=known, anchors={site: anchor})
    assert second.captures and min(c.captured_at for c in second.captures) > known[site]
    # one history, fetched in two runs, has the changes of one exhaustive build over it
    all_store = RawStore(tmp_path / "all")
    everything, all_client = _ingest(servers["full"], site, all_store, "all")
    assert _boundaries(first.captures + second.captures, store) == _boundaries(everything.captures, all_store)
    fresh, fresh_client = _ingest(servers["full"], site, RawStore(tmp_path / "fresh"))
    assert first_client.n_replays + second_client.n_replays <= 1.5 * fresh_client.n_replays
    assert second_client.n_replays < fresh_client.n_replays


def test_a_429_slows_every_later_request_of_the_client_and_calm_restores_the_rate() -> None:
    now = [0.0]
    waits: list[float] = []
    client = PoliteClient(rate=0.4, clock=lambda: now[0], sleep=waits.append)
    client._wait_turn(), client._wait_turn()
    assert waits == [pytest.approx(2.5)]  # 0.4/s: one request every 2.5 s
    client._note_rate_limit(True)  # any site's 429
    client._wait_turn(), client._wait_turn()
    assert waits[-1] - waits[-2] == pytest.approx(5.0)  # later requests, of whatever site, are twice as far apart
    for _ in range(RECOVER_AFTER):
        client._note_rate_limit(False)
    assert client.slowdown == 1.0
