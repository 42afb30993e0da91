"""What a build says when its input is bad or its archive is down (docs/failures.md): one line, the right exit
status, nothing published from a failed build, and bad records stored with a status that says so."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from archive_fixtures import fast_client, pywb  # noqa: F401 (fixture)
from fault_proxy import FaultConfig, FaultProxy
from pywb_server import free_port
from test_build import PAGE
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.archive import stage
from pipelines.archive.warc import ReadReport, read_records
from pipelines.build import build

URL = "http://www.acme.example/privacy"
BODY = PAGE.format(extra="<p>We keep your data for 30 days.</p>" * 40, year=2019).encode()


def warc_bytes(records: list[tuple[str, str, bytes]], gz: bool = True) -> bytes:
    """A WARC (warcinfo first) of (record type, date, payload) records of URL; one gzip member per record."""
    out = BytesIO()
    w = WARCWriter(out, gzip=gz)
    w.write_record(w.create_warcinfo_record("t.warc", {"software": "test"}))
    for kind, date, body in records:
        headers = {"WARC-Date": date}
        if kind == "response":
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = w.create_warc_record(URL, kind, payload=BytesIO(body), http_headers=http, warc_headers_dict=headers)
        else:
            rec = w.create_warc_record(
                URL, kind, payload=BytesIO(body), warc_content_type="text/html", warc_headers_dict=headers
            )
        w.write_record(rec)
    return out.getvalue()


THREE = [("response", f"20{y}-03-05T00:00:00Z", BODY.replace(b"2019", str(2000 + y).encode())) for y in (17, 18, 19)]


def arc_bytes() -> bytes:
    """An ARC v1 file (what the Internet Archive wrote before WARC): its filedesc record, then one page."""
    desc = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
    head = f"filedesc://t.arc 0.0.0.0 20190101000000 text/plain {len(desc)}\n".encode()
    page = f"{URL} 127.0.0.1 20190305000000 text/html {len(http)}\n".encode()
    return head + desc + b"\n" + page + http + b"\n"


def read(path: Path) -> tuple[list[tuple[str, bool]], ReadReport]:
    report = ReadReport()
    got = [(cap.fetch_status, payload is not None) for cap, payload in read_records(path, report=report)]
    return got, report


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, timeout=300, check=False
    )


def assert_one_line_failure(out: subprocess.CompletedProcess, *needles: str) -> str:
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "\\x" not in out.stderr
    reason = out.stderr.strip().splitlines()[-1]
    assert reason.startswith("policy-history build"), out.stderr
    assert all(n in reason for n in needles), reason
    assert out.stderr.isprintable() or all(line.isprintable() for line in out.stderr.splitlines())
    return reason


# --- reading: every kind of bad file is described, never raised or printed raw ---------------------------


def test_a_truncated_record_is_stored_as_truncated_without_its_payload(tmp_path: Path) -> None:
    f = tmp_path / "cut.warc"
    data = warc_bytes(THREE, gz=False)
    f.write_bytes(data[: len(data) - 1000])  # in the last payload
    got, report = read(f)
    assert got == [("ok", True), ("ok", True), ("truncated", False)]
    assert report.error is None
    f.write_bytes(data[: len(data) - 2300])  # in the last record's HTTP headers: the record cannot be read at all
    got, report = read(f)
    assert got == [("ok", True), ("ok", True)]
    assert report.error and report.error.startswith(f"{f}: ") and "after 3 records, the rest skipped" in report.error


def test_a_gzip_member_cut_mid_stream_is_truncated(tmp_path: Path) -> None:
    f = tmp_path / "cut.warc.gz"
    data = warc_bytes(THREE)
    f.write_bytes(data[: len(data) - 200])
    got, report = read(f)
    assert got[:2] == [("ok", True), ("ok", True)]
    assert got[2:] in ([("truncated", False)], [])  # cut in the payload, or in the member's header
    assert got[2:] or report.error


def test_a_payload_not_matching_its_digest_is_digest_mismatch(tmp_path: Path) -> None:
    data = warc_bytes(THREE, gz=False)
    i = data.index(b"We keep your data") + 3  # first response's payload: same length, other bytes
    f = tmp_path / "flipped.warc"
    f.write_bytes(data[:i] + b"X" + data[i + 1 :])
    got, _ = read(f)
    assert got == [("digest_mismatch", False), ("ok", True), ("ok", True)]


def test_good_records_then_garbage_keep_the_good_ones_and_say_where_it_broke(tmp_path: Path) -> None:
    data = warc_bytes(THREE[:1], gz=False)
    f = tmp_path / "tail.warc"
    # fixed garbage: some random tails happen to parse as one more (empty) record, which made this test flaky
    f.write_bytes(data + random.Random(1).randbytes(3000))
    got, report = read(f)
    assert got == [("ok", True)]
    assert report.error and report.error.startswith(str(f)) and "after 2 records" in report.error
    assert report.error.isprintable()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("junk.warc.gz", os.urandom(4000), ""),
        ("empty.warc", b"", "no WARC or ARC record"),
        ("text.warc.gz", b"hello, this is plain text\nnot an archive\n", "not a WARC or ARC file"),
        ("gzipped-text.warc.gz", gzip.compress(b"plain text, gzipped\n" * 50), "not a WARC or ARC file"),
    ],
)
def test_a_file_that_is_no_archive_gives_one_line(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    got, report = read(f)
    assert got == [] or all(not has for _, has in got)
    assert report.error and report.error.startswith(str(f)) and says in report.error
    assert report.error.isprintable() and len(report.error) < 300


def test_a_resource_record_of_a_page_and_an_arc_file_are_captures(tmp_path: Path) -> None:
    res = tmp_path / "res.warc.gz"
    res.write_bytes(warc_bytes([("resource", "2019-03-05T00:00:00Z", BODY)]))
    arc = tmp_path / "old.arc"
    arc.write_bytes(arc_bytes())
    for f in (res, arc):
        caps = list(read_records(f))
        assert [(c.url, c.fetch_status, p == BODY) for c, p in caps] == [(URL, "ok", True)], f
    (cap, _), *_ = read_records(res)
    assert cap.record_type == "resource" and cap.mime == "text/html"


# --- builds: the outcome, the exit status, the publication ------------------------------------------------


def test_junk_empty_and_capture_less_inputs_fail_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "junk.warc.gz").write_bytes(os.urandom(5000))
    (tmp_path / "empty.warc").write_bytes(b"")
    (tmp_path / "nowarcs").mkdir()
    (tmp_path / "nowarcs" / "notes.txt").write_text("x")
    only_info = tmp_path / "info.warc.gz"
    only_info.write_bytes(warc_bytes([]))
    db = str(tmp_path / "w.duckdb")
    assert_one_line_failure(cli("build", "--warc", str(tmp_path / "junk.warc.gz"), "--db", db), "junk.warc.gz")
    assert_one_line_failure(cli("build", "--warc", str(tmp_path / "empty.warc"), "--db", db), "empty.warc")
    assert_one_line_failure(cli("build", "--warc", str(tmp_path / "nowarcs"), "--db", db), "no WARC/ARC files")
    out = cli("build", "--warc", str(only_info), "--db", db)
    assert_one_line_failure(out, "no capture")
    summary = json.loads(out.stdout)
    assert summary["ok"] is False and summary["dashboard"] is None and "published" not in summary["stages"]
    assert not (tmp_path / "w.published").exists()
    assert cli("build", "--db", db).returncode == 2  # usage


def test_truncated_and_corrupt_records_are_warnings_and_never_extracted(tmp_path: Path) -> None:
    data = warc_bytes(THREE, gz=False)
    i = data.index(b"We keep your data") + 3
    bad = tmp_path / "bad.warc"
    bad.write_bytes((data[:i] + b"X" + data[i + 1 :])[: len(data) - 1000])
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"not an archive\n")
    summary = build(tmp_path / "w.duckdb", [bad, junk])
    assert summary["ok"], summary
    kinds = {w["kind"]: w["count"] for w in summary["warnings"]}
    assert kinds == {"truncated": 1, "digest_mismatch": 1, "files_unreadable": 1}
    assert "junk.warc" in next(w["detail"] for w in summary["warnings"] if w["kind"] == "files_unreadable")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            """SELECT c.fetch_status, c.payload_sha256 IS NULL, count(d.payload_sha256) FROM captures c
               LEFT JOIN documents d USING (payload_sha256) GROUP BY ALL ORDER BY 1"""
        ).fetchall()
    assert rows == [("digest_mismatch", True, 0), ("ok", False, 1), ("truncated", True, 0)]


def test_a_resource_record_builds_a_policy(tmp_path: Path) -> None:
    res = tmp_path / "res.warc.gz"
    res.write_bytes(warc_bytes([("resource", "2019-03-05T00:00:00Z", BODY)]))
    summary = build(tmp_path / "w.duckdb", [res])
    assert summary["ok"] and summary["warnings"] == [], summary
    assert summary["tables"]["captures"] == 1 and summary["tables"]["policy_versions"] == 1


def cdx_sources(path: Path, cdx: str, replay: str, sites: str = "") -> Path:
    path.write_text(
        f'[[site]]\nid = "acme"\npolicy_urls = ["{URL}"]\n{sites}\n'
        f'[archive]\ncdx = "{cdx}"\nreplay = "{replay}"\nrate = 0\n'
    )
    return path


def test_an_unreachable_archive_fails_fast_once_and_keeps_the_last_publication(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    warc.write_bytes(warc_bytes(THREE))
    db = tmp_path / "w.duckdb"
    good = build(db, [warc])
    assert good["ok"], good
    board = Path(good["dashboard"])
    before = (board.read_bytes(), board.stat().st_mtime_ns)
    port = free_port()  # bound and released: nothing listens there
    sources = cdx_sources(tmp_path / "s.toml", f"http://127.0.0.1:{port}/cdx", f"http://127.0.0.1:{port}/web")
    started = time.monotonic()
    out = cli("build", "--sources", str(sources), "--db", str(db))
    seconds = time.monotonic() - started
    assert_one_line_failure(out, "archive unreachable", f"127.0.0.1:{port}", "connection refused")
    assert seconds < 30, seconds  # about 3 s of retries, once, plus the start of the process and Dagster
    assert (board.read_bytes(), board.stat().st_mtime_ns) == before
    with duckdb.connect(str(db), read_only=True) as con:  # the warehouse keeps what it had
        assert con.execute("SELECT count(*) FROM captures WHERE fetch_status = 'ok'").fetchone()[0] == 3


def test_warc_on_the_command_line_wins_over_the_sources_cdx(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    warc.write_bytes(warc_bytes(THREE))
    port = free_port()
    sources = cdx_sources(tmp_path / "s.toml", f"http://127.0.0.1:{port}/cdx", f"http://127.0.0.1:{port}/web")
    out = cli("build", "--warc", str(warc), "--sources", str(sources), "--db", str(tmp_path / "w.duckdb"))
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["ok"] and summary["tables"]["captures"] == 3 and "fetched" not in summary["stages"]["captures"]


def test_two_warehouses_in_one_folder_publish_apart_and_readably(tmp_path: Path) -> None:
    a, b = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    a.write_bytes(warc_bytes(THREE[:1]))
    b.write_bytes(warc_bytes(THREE))
    first, second = build(tmp_path / "one.duckdb", [a]), build(tmp_path / "two.duckdb", [b])
    assert first["ok"] and second["ok"]
    assert Path(first["dashboard"]).parent == tmp_path / "one.published"
    assert Path(second["dashboard"]).parent == tmp_path / "two.published"
    for summary, n in ((first, 1), (second, 3)):
        with duckdb.connect(summary["published_db"], read_only=True) as con:
            assert con.execute("SELECT count(*) FROM captures").fetchone()[0] == n
        board = Path(summary["dashboard"])
        assert board.stat().st_mode & 0o777 == 0o644
        assert all(p.stat().st_mode & 0o044 == 0o044 for p in board.parent.rglob("*.parquet"))


# --- a live archive with faults (pywb behind the fault-injecting proxy) -----------------------------------


@pytest.fixture
def fast_cdx(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's CDX client, with short waits (the polite defaults take minutes against a failing server)."""

    def client(sources):  # noqa: ANN001, ANN202
        c = fast_client(sources.cdx, sources.replay)
        c.http.max_attempts = 2
        return c

    monkeypatch.setattr(stage, "_cdx_client", client)


SHOPS = """[[site]]
id = "shop-a"
policy_urls = ["http://www.shop-a.test/privacy.html"]
[[site]]
id = "shop-b"
policy_urls = ["http://shop-b.test/page.aspx?id=privacy"]
"""


def shop_sources(path: Path, base: str) -> Path:
    path.write_text(f'{SHOPS}\n[archive]\ncdx = "{base}/cdx"\nreplay = "{base}"\nrate = 0\n')
    return path


def test_every_fetch_failing_fails_the_build(pywb, fast_cdx, tmp_path: Path) -> None:  # noqa: F811
    config = FaultConfig(rate=1.0, kinds=("503",), match="id_/")  # listings work, every replay fails
    with FaultProxy(pywb.base.rsplit("/", 1)[0], config) as proxy:
        summary = build(tmp_path / "w.duckdb", sources=shop_sources(tmp_path / "s.toml", f"{proxy.url}/coll"))
    assert not summary["ok"] and "every fetch failed" in summary["reason"], summary
    assert summary["dashboard"] is None


def test_a_site_whose_listing_fails_is_a_warning(pywb, fast_cdx, tmp_path: Path) -> None:  # noqa: F811
    config = FaultConfig(rate=1.0, kinds=("503",), match="shop-b")  # shop-b's listing and pages fail
    with FaultProxy(pywb.base.rsplit("/", 1)[0], config) as proxy:
        summary = build(tmp_path / "w.duckdb", sources=shop_sources(tmp_path / "s.toml", f"{proxy.url}/coll"))
    assert summary["ok"], summary
    assert [(w["kind"], w["count"], w["detail"]) for w in summary["warnings"]] == [("failed_sites", 1, "shop-b")]
    assert summary["dashboard"] is not None


def test_a_garbled_record_header_logs_no_raw_bytes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """warcio repairs a target URI with spaces and logs it with the raw bytes; nothing of that reaches the log."""
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Privacy</p>"
    headers = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2020-01-01T00:00:00Z\r\n"
        b"WARC-Target-URI: http://a.example/\x01\x9c \xff\xfe privacy\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    path = tmp_path / "garbled.warc"
    path.write_bytes(headers + body + b"\r\n\r\n")
    with caplog.at_level("DEBUG"):
        list(read_records(path, report=ReadReport()))
    assert all(r.getMessage().isprintable() for r in caplog.records), [r.getMessage() for r in caplog.records]
