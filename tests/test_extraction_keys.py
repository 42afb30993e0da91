"""Extraction keys: payloads with one key get the documents extracting each on its own would give.

Over real pages (the OTA captures, and OPP-115 policy pages each captured again with other scripts, nonces,
beacons, comments and link targets, and once with a changed text), a build that reads each key once and a
build that extracts every payload make the same documents, segments, tags and versions.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.archive.stage import load_captures
from pipelines.archive.store import RawStore
from pipelines.history.stage import build_versions
from pipelines.practices.rules import RulesTagger
from pipelines.practices.stage import tag_segments
from pipelines.runtime.shards import N_SHARDS
from pipelines.text.extract import extract, extraction_key
from pipelines.text.keys import DATA_READ
from pipelines.text.stage import extract_documents, segment_documents
from pipelines.warehouse import tables

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
OTA_WARC = SHARED / "ota-dating" / "captures.warc.gz"
OPP_PAGES = SHARED / "opp115" / "original_policies"
COMPARED = {
    "documents": "*",
    "segments": "*",
    "segment_practices": "*",
    "policy_versions": "*",
}
needs_shared = pytest.mark.skipif(not OTA_WARC.exists() or not OPP_PAGES.exists(), reason="../shared/data missing")


def _chrome(html: str, i: int) -> str:
    """The page as another fetch might return it: other nonces, scripts, beacons, comments, link targets."""
    extra = (
        f"<script nonce='n{i}'>var token='{i * 7919}';</script><!-- served {i} -->"
        f"<iframe src='https://tracker.example/{i}' name='f{i}'></iframe>"
        f'<span data-cf-beacon=\'{{"rayId":"{i:08x}"}}\'></span>'
        f"<form><input type='hidden' name='csrf' value='{i * 104729:x}'></form>"
    )
    html = re.sub(r"(?i)<body([^>]*)>", lambda m: f"<body{m.group(1)}>{extra}", html, count=1)
    return re.sub(r"""(?i)href=(["'])[^"']*\1""", f'href="https://example.org/{i}"', html)


def _opp_warc(path: Path, pages: list[Path]) -> None:
    """A WARC with four captures of each page: as it is, twice with other chrome, once with a sentence added."""
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, page in enumerate(pages):
            html = page.read_bytes().decode("utf-8", "replace")
            changed = re.sub(
                r"(?i)</body>", "<p>We now keep your messages for ninety days after you ask.</p></body>", html
            )
            for i, body in enumerate((html, _chrome(html, 1), _chrome(html, 2), changed)):
                payload = body.encode()
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                when = start + timedelta(days=400 * i + n)
                record = writer.create_warc_record(
                    f"https://{page.stem.split('_', 1)[1]}/privacy",
                    "response",
                    payload=io.BytesIO(payload),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
                )
                writer.write_record(record)


def _build(db: Path, warc: Path, reuse: bool) -> dict[str, list[tuple]]:
    shards = range(N_SHARDS)
    with tables.connect(db) as con:
        store = RawStore(db.parent / "raw")
        load_captures(con, store, [warc], None, shards)
        stats = extract_documents(con, store, shards, reuse=reuse)
        segment_documents(con, shards)
        tag_segments(con, RulesTagger(), shards)
        build_versions(con, shards)
        rows = {t: _rows(con, t, cols) for t, cols in COMPARED.items()}
    return {"stats": stats, **rows}


def _rows(con: duckdb.DuckDBPyConnection, table: str, cols: str) -> list[tuple]:
    return sorted(map(repr, con.execute(f"SELECT {cols} FROM {table}").fetchall()))


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["ota", "opp115"])
def test_reading_each_key_once_gives_the_tables_of_extracting_every_payload(corpus: str, tmp_path: Path) -> None:
    if corpus == "ota":
        warc = OTA_WARC
    else:
        warc = tmp_path / "opp115.warc.gz"
        _opp_warc(warc, sorted(OPP_PAGES.glob("*.html"))[:40])
    once = _build(tmp_path / "once" / "policy.duckdb", warc, reuse=True)
    every = _build(tmp_path / "every" / "policy.duckdb", warc, reuse=False)
    assert once["stats"]["extractions"] < every["stats"]["extractions"]  # the keys did save reads
    for table in COMPARED:
        assert once[table] and once[table] == every[table], table


def test_a_key_is_blind_to_chrome_and_sees_the_text() -> None:
    page = (
        "<html><head><title>Privacy</title><meta name='build' content='1'></head><body>"
        "<p>We collect your e-mail address to send you the newsletter you asked for.</p></body></html>"
    )
    assert extraction_key(_chrome(page, 1).encode(), "text/html") == extraction_key(_chrome(page, 2).encode())
    key = extraction_key(page.encode(), "text/html")
    assert key is not None
    assert extraction_key(page.replace("'1'", "'2'").encode(), "text/html") == key  # head meta
    assert extraction_key(page.replace("newsletter", "offers").encode(), "text/html") != key
    assert extraction_key(page.replace("<p>", "<p class='modal'>").encode(), "text/html") != key  # read by rules
    assert extraction_key(page.replace("Privacy<", "Terms<").encode(), "text/html") != key  # the title
    assert extract(page.encode(), "text/html").extraction_key == key
    button = page.replace("</p>", "</p><form><input type='submit' value='Accept'></form>")
    assert extraction_key(button.replace("Accept", "Refuse").encode()) != extraction_key(button.encode())
    # trafilatura's `re:test(@id|@class, ...)` reads the first of the two in source order
    ordered = page.replace("<p>", "<p id='main' class='comments'>")
    assert extraction_key(ordered.replace("id='main' class='comments'", "class='comments' id='main'").encode()) != (
        extraction_key(ordered.encode())
    )


def test_the_data_attributes_trafilatura_reads_are_in_the_key() -> None:
    """Every `data-*` attribute trafilatura's source names is kept in the key (but `data-src`, an image's source,
    read only with images, which extraction leaves out)."""
    source = Path(trafilatura.__file__).parent
    named = {m for f in source.glob("*.py") for m in re.findall(r"""[@"']((?:data-)[a-z0-9_-]+)""", f.read_text())}
    assert named, "no data-* attribute found in trafilatura's source: the pattern is stale"
    assert named - {"data-src"} <= DATA_READ


def test_a_second_run_copies_a_known_key_and_dates_it_for_its_own_capture(tmp_path: Path) -> None:
    body = "<p>We collect your e-mail address to send you the newsletter you asked for, and nothing else.</p>" * 30
    page = f"<html><head><title>Privacy Policy</title></head><body><h1>Privacy Policy</h1>{body}" + (
        "<p>Last updated: March 3, 2019.</p></body></html>"
    )
    warcs = []
    for n, (html, when) in enumerate(((_chrome(page, 4), "2018-06-01"), (_chrome(page, 5), "2019-06-01"))):
        warc = tmp_path / f"{n}.warc.gz"
        with warc.open("wb") as out:
            writer = WARCWriter(out, gzip=True)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    "https://acme.example/privacy",
                    "response",
                    payload=io.BytesIO(html.encode()),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": f"{when}T00:00:00Z"},
                )
            )
        warcs.append(warc)
    db = tmp_path / "policy.duckdb"
    shards = range(N_SHARDS)
    with tables.connect(db) as con:
        store = RawStore(tmp_path / "raw")
        load_captures(con, store, warcs[:1], None, shards)
        assert extract_documents(con, store, shards)["extractions"] == 1
        load_captures(con, store, warcs, None, shards)
        second = extract_documents(con, store, shards)
        dates = con.execute("SELECT stated_date FROM documents ORDER BY stated_date NULLS FIRST").fetchall()
    assert (second["reused"], second["extractions"]) == (1, 0)
    # the 2018 capture cannot state a 2019 date; the 2019 copy of the same text does
    assert [str(d) for (d,) in dates] == ["None", "2019-03-03"]
