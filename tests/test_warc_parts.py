"""A .warc.gz read from the middle: in parts (one big file over several workers) and on after a damaged record."""

from __future__ import annotations

import gzip
import random
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.archive import stage
from pipelines.archive.store import RawStore
from pipelines.archive.warc import ReadReport, next_member, read_part, read_records
from pipelines.runtime.pool import Pool, _Inline
from pipelines.runtime.shards import N_SHARDS
from pipelines.warehouse import tables


def _page(rng: random.Random, i: int) -> bytes:
    words = " ".join(rng.choice(("data", "privacy", "cookies", "we", "share", "your", "policy")) for _ in range(400))
    return f"<html><body><h1>Page {i}</h1><p>{words}</p></body></html>".encode()


def warc_gz(path: Path, n: int, seed: int = 0) -> Path:
    """A .warc.gz of `n` responses of 4 sites (a warcinfo first), one gzip member per record; some payloads
    repeat, so two parts of the file hold the same payload."""
    rng = random.Random(seed)
    pages = [_page(rng, i) for i in range(n // 2)]
    out = BytesIO()
    w = WARCWriter(out, gzip=True)
    w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
    for i in range(n):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        rec = w.create_warc_record(
            f"https://site{i % 4}.example/privacy",
            "response",
            payload=BytesIO(pages[i % len(pages)]),
            http_headers=http,
            warc_headers_dict={"WARC-Date": f"20{10 + i // 12:02d}-{1 + i % 12:02d}-01T00:00:00Z"},
        )
        w.write_record(rec)
    path.write_bytes(out.getvalue())
    return path


def record_starts(path: Path) -> list[int]:
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        return [it.get_record_offset() for _ in it]


def _seen(records: list) -> list[tuple]:
    return [(off, cap.url, cap.captured_at, cap.fetch_status, payload) for off, cap, payload in records]


def test_next_member_finds_the_record_starts_warcio_reports(tmp_path: Path) -> None:
    f = warc_gz(tmp_path / "a.warc.gz", 40)
    starts = record_starts(f)
    rng = random.Random(3)
    with f.open("rb") as fh:
        for at in [0, 1, *rng.sample(range(f.stat().st_size), 60)]:
            after = [s for s in starts if s >= at]
            assert next_member(fh, at) == (after[0] if after else None)


def test_reading_in_parts_gives_the_records_of_reading_whole(tmp_path: Path) -> None:
    f = warc_gz(tmp_path / "a.warc.gz", 60)
    whole = _seen(list(read_part(f)))
    size = f.stat().st_size
    with f.open("rb") as fh:
        cuts = sorted({next_member(fh, k * size // 5) for k in range(1, 5)})
    bounds = [0, *cuts, None]
    got, reports = [], []
    for a, b in zip(bounds, bounds[1:], strict=False):
        report = ReadReport()
        got += _seen(list(read_part(f, a, b, report=report)))
        reports.append(report)
    assert len(cuts) == 4 and got == whole and len(whole) == 60
    assert [r.stopped_at for r in reports[:-1]] == cuts  # each part read up to the next one, not past it
    assert all(r.error is None for r in reports)


def test_a_damaged_record_costs_that_record_not_the_rest_of_the_file(tmp_path: Path) -> None:
    f = warc_gz(tmp_path / "a.warc.gz", 20)
    starts = record_starts(f)
    data = bytearray(f.read_bytes())
    hit = starts[5]  # the 5th response (record 0 is the warcinfo)
    data[hit + 12 : hit + 80] = random.Random(0).randbytes(68)  # inside its compressed WARC headers
    f.write_bytes(bytes(data))
    report = ReadReport()
    urls = [cap.url for cap, _ in read_records(f, report=report)]
    whole = [f"https://site{i % 4}.example/privacy" for i in range(20)]
    assert urls == whole[:4] + whole[5:]
    assert report.damaged == 1 and "read on at the next record" in report.error
    assert f"at byte {hit:,}" in report.error and report.error.isprintable()


def test_an_uncompressed_warc_still_stops_at_damage(tmp_path: Path) -> None:
    f = tmp_path / "a.warc"
    raw = gzip.decompress(warc_gz(tmp_path / "x.warc.gz", 6).read_bytes())
    i = raw.index(b"WARC/1.0", raw.index(b"WARC/1.0", 400) + 1)  # a later record's first line, garbled
    f.write_bytes(raw[:i] + b"XXXX/9.9" + raw[i + 8 :])
    report = ReadReport()
    assert len(list(read_records(f, report=report))) < 6
    assert report.error and "the rest skipped" in report.error
    with pytest.raises(ValueError, match="middle"):
        list(read_part(f, 10))


def _load(tmp_path: Path, name: str, f: Path, monkeypatch: pytest.MonkeyPatch, part_bytes: int) -> tuple:
    monkeypatch.setattr(stage, "PART_BYTES", part_bytes)
    db = tmp_path / name / "w.duckdb"
    with tables.connect(db) as con:
        stats = stage.load_captures(con, RawStore(db.parent / "raw"), [f], None, range(N_SHARDS), Pool(_Inline(), 2))
        rows = con.execute("SELECT * EXCLUDE (capture_id) FROM captures ORDER BY ALL").fetchall()
        payloads = con.execute("SELECT * EXCLUDE (stored_at) FROM payloads ORDER BY ALL").fetchall()
    return stats, rows, payloads


def test_a_big_file_loads_in_parts_as_it_loads_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = warc_gz(tmp_path / "a.warc.gz", 80)
    whole = _load(tmp_path, "whole", f, monkeypatch, 1 << 40)
    parts = _load(tmp_path, "parts", f, monkeypatch, f.stat().st_size // 2)
    assert stage._parts([f], 2) != [(0, 0, None)]  # the file was cut
    assert parts[1] == whole[1] and parts[2] == whole[2] and len(whole[1]) == 80
    # each payload counted once, though both parts hold some payloads (80 captures of 40 pages)
    assert parts[0]["payloads_stored"] == whole[0]["payloads_stored"] == 40


def test_a_cut_inside_a_record_is_read_again_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = warc_gz(tmp_path / "a.warc.gz", 80)
    whole = _load(tmp_path, "whole", f, monkeypatch, 1 << 40)
    inside = next_member(f.open("rb"), f.stat().st_size // 2) + 7  # not where a record starts
    monkeypatch.setattr(stage, "next_member", lambda fh, at: inside)
    cut = _load(tmp_path, "cut", f, monkeypatch, f.stat().st_size // 2)
    assert cut[1] == whole[1] and cut[2] == whole[2]
    assert cut[0]["files_unreadable"] == 0 and cut[0]["payloads_stored"] == 40
