"""CDX client: both dialects parsed, URL variants merged, paging, politeness, never leaving the archive."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from archive_fixtures import fast_client, pywb  # noqa: F401 (fixture)
from fault_proxy import FaultConfig, FaultProxy
from pywb_server import MANIFEST

from pipelines.archive.cdx import CdxClient, CdxFormatError, parse_cdx
from pipelines.archive.http import PermanentError, PoliteClient, TransientError, parse_retry_after

IA_JSON = """[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],
["com,example)/privacy","20150101000000","http://www.example.com/privacy","text/html","200","VWKD45USCLJKOHJMXVIVE6V24CBSIYEO","340"],
["com,example)/privacy","20180101000000","http://www.example.com/privacy","warc/revisit","-","VWKD45USCLJKOHJMXVIVE6V24CBSIYEO","391"],
[],
["com,example)/privacy 20180101000000"]]"""
IA_TEXT = (
    "com,example)/privacy 20150101000000 http://www.example.com/privacy text/html 200 "
    "VWKD45USCLJKOHJMXVIVE6V24CBSIYEO 340\n"
    "com,example)/privacy 20160101 https://example.com/privacy/ text/html 301 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ 300\n"
    "\nRESUMEKEY123\n"
)
PYWB_LINES = (
    '{"urlkey": "com,example)/privacy", "timestamp": "20150101000000", "url": "http://www.example.com/privacy", '
    '"mime": "text/html", "status": "200", "digest": "VWKD45USCLJKOHJMXVIVE6V24CBSIYEO"}\n'
    '{"urlkey": "com,example)/privacy", "timestamp": "20180101000000", "url": "javascript:alert(1)", '
    '"mime": "text/html", "status": "200", "digest": "VWKD45USCLJKOHJMXVIVE6V24CBSIYEO"}\n'
)
CDXJ = 'com,example)/privacy 20180101000000 {"url": "http://www.example.com/privacy", "mime": "warc/revisit"}\n'


def test_archive_org_json_with_resume_key() -> None:
    rows, resume = parse_cdx(IA_JSON)
    assert resume == "com,example)/privacy 20180101000000"
    assert [(r.timestamp, r.status, r.is_revisit) for r in rows] == [
        ("20150101000000", 200, False),
        ("20180101000000", None, True),
    ]
    assert rows[0].digest == "sha1:VWKD45USCLJKOHJMXVIVE6V24CBSIYEO"


def test_archive_org_text_pads_short_timestamps_and_reads_resume_key() -> None:
    rows, resume = parse_cdx(IA_TEXT)
    assert resume == "RESUMEKEY123"
    assert [(r.timestamp, r.url, r.status) for r in rows] == [
        ("20150101000000", "http://www.example.com/privacy", 200),
        ("20160101000000", "https://example.com/privacy/", 301),
    ]


def test_pywb_json_lines_and_cdxj_drop_non_http_urls() -> None:
    rows, resume = parse_cdx(PYWB_LINES)
    assert resume is None and [r.url for r in rows] == ["http://www.example.com/privacy"]
    (rev,), _ = parse_cdx(CDXJ)
    assert rev.is_revisit and rev.digest is None and rev.status is None


@pytest.mark.parametrize(
    "text", ['[["urlkey"', "com,example)/privacy 2015 http://x/ text/html", '{"url": "http://x/", ']
)
def test_malformed_answers_raise(text: str) -> None:
    with pytest.raises(CdxFormatError):
        parse_cdx(text)


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: go now
    assert parse_retry_after("soon") is None


def _manifest_rows(prefix: str) -> set[str]:
    """Capture timestamps the corpus holds for a page (any scheme / www / slash / query variant)."""
    out = set()
    for _kind, url, date, *_ in MANIFEST:
        bare = url.split("://", 1)[1].removeprefix("www.").split("?", 1)[0].rstrip("/")
        if bare == prefix:
            out.add(date[:10].replace("-", "") + "000000")
    return out


def test_captures_of_merges_variants_and_drops_other_pages(pywb) -> None:  # noqa: F811
    client = fast_client(pywb.cdx, pywb.replay)
    rows = client.captures_of("https://shop-a.test/privacy.html/")
    assert {r.timestamp for r in rows} == _manifest_rows("shop-a.test/privacy.html")
    assert not any(".bak" in r.url for r in rows)
    assert len(rows) == len({(r.timestamp, r.url) for r in rows})
    assert rows == sorted(rows, key=lambda r: r.timestamp)


def test_query_url_is_exact_and_time_range_and_status_filter(pywb) -> None:  # noqa: F811
    client = fast_client(pywb.cdx, pywb.replay)
    rows = client.captures_of("http://shop-b.test/page.aspx?id=privacy")
    assert [r.timestamp[:4] for r in rows] == ["2014", "2015"]
    rows = client.captures_of("http://www.shop-a.test/privacy.html", from_ts="2014", to_ts="2015", statuses={200})
    # 2014-2015 holds 200s, a revisit (kept: its status is the revisited one), a 301 and a 404 (dropped)
    assert [(r.timestamp[:6], r.is_revisit) for r in rows] == [("201404", False), ("201409", True), ("201411", False)]


def test_paging_falls_back_when_the_server_ignores_resume_keys(pywb) -> None:  # noqa: F811
    whole = fast_client(pywb.cdx, pywb.replay).query("shop-a.test/legal/privacy-notice")
    small = fast_client(pywb.cdx, pywb.replay)
    small.page_size = 2
    assert len(whole) == 4 and small.query("shop-a.test/legal/privacy-notice") == whole


def test_retry_after_is_honoured_and_user_agent_sent(pywb) -> None:  # noqa: F811
    waits: list[float] = []
    http = PoliteClient(rate=0, max_attempts=3, backoff=0.001, sleep=waits.append, seed=3)
    config = FaultConfig(rate=1.0, kinds=("429",), retry_after="7")
    with FaultProxy(pywb.base.rsplit("/", 1)[0], config) as proxy, pytest.raises(TransientError):
        http.get(f"{proxy.url}/coll/cdx", {"url": "shop-b.test/"})
    assert proxy.counts["429"] == 3 and len(waits) == 2 and all(w >= 7 for w in waits)
    assert all(ua.startswith("policy-history/") and "+" in ua for ua in proxy.user_agents)


def test_rate_limit_spaces_requests(pywb) -> None:  # noqa: F811
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(s)
        now[0] += s

    http = PoliteClient(rate=2.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        http.get(pywb.cdx, {"url": "shop-b.test/"})
    assert sum(waits) == pytest.approx(1.0)  # three requests at 2/s: two half-second gaps


def test_permanent_error_is_not_retried(pywb) -> None:  # noqa: F811
    http = PoliteClient(rate=0, max_attempts=5)
    with pytest.raises(PermanentError):
        http.get(f"{pywb.base}/no-such-path-here/x")
    assert http.n_requests == 1


def test_redirect_out_of_the_archive_is_never_followed() -> None:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_response(302)
            target = "http://127.0.0.1:9/evil" if "id_" in self.path else "/web/20200101id_/http://a.test/"
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        client = CdxClient(f"{base}/cdx", f"{base}/web", PoliteClient(rate=0))
        with pytest.raises(PermanentError, match="leaves the archive"):
            client.fetch("20200101", "http://a.test/")
    finally:
        server.shutdown()
        server.server_close()
    assert hits == ["/web/20200101id_/http://a.test/"]
