"""WARC/ARC source: read captures and their payloads from archive files (gzip or not, files or folders).

Archive files are hostile input: a record cut short, a payload that does not match its digest, garbage after
good records or a file that is no archive at all are described (a capture's `fetch_status`, a one-line
`ReadReport.error`), never raised and never printed as raw bytes.

A .warc.gz holds one gzip member per record, so reading can start at any member (`next_member`): after a
damaged record, reading goes on at the next record instead of giving up the rest of the file, and one big file
can be read in parts by several workers (`read_part`).
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from pipelines.archive.records import Capture

log = logging.getLogger(__name__)
# warcio logs what it repairs with the raw bytes of the record ("Replacing spaces in invalid WARC-Target-URI: …"):
# on a damaged file that is binary garbage on a user's terminal; what reading found is in the ReadReport instead.
logging.getLogger("warcio").setLevel(logging.ERROR)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
CAPTURE_TYPES = ("response", "revisit", "resource")
# A `resource` record has no HTTP headers: it is a page only when its own content type says it is one.
RESOURCE_MIMES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf")
# fetch_status of a record whose payload cannot be trusted; such a payload is never stored or extracted.
TRUNCATED = "truncated"
DIGEST_MISMATCH = "digest_mismatch"


@dataclass
class ReadReport:
    """What reading one archive file gave: records met, captures yielded by fetch_status, and `error`, one line
    saying why the file (or the rest of it) could not be read. Capture records with an unreadable date are
    skipped and counted in `bad_dates`."""

    records: int = 0
    bad_dates: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    error: str | None = None
    damaged: int = 0  # places where reading failed and went on at the next record (or gave up)
    skipped_bytes: int = 0  # bytes passed over there
    stopped_at: int | None = None  # where reading ended: at the part's end, or where the file ended
    _first: str = field(default="", repr=False)  # the first failure, which `error` begins with

    @property
    def captures(self) -> int:
        return sum(self.statuses.values())

    def failed(self, path: Path, reason: str, at: int, resume: int | None, end: int | None) -> None:
        """Record that reading failed at byte `at` for `reason` and went on at byte `resume` (None: gave up)."""
        self.damaged += 1
        if resume is not None:
            self.skipped_bytes += resume - at
        if self.damaged == 1:
            where = f" after {self.records} records" if self.records else ""
            if resume is not None:
                self._first = f"{path}: {reason} at byte {at:,}{where}, read on at the next record"
            else:
                self._first = f"{path}: {reason}{where}, the rest skipped" if where else f"{path}: {reason}"
            self.error = self._first
        else:
            self.error = f"{self._first}; {self.damaged} damaged places, {self.skipped_bytes:,} bytes skipped in all"
            if resume is None:
                self.error += ", the rest after the last one"
        if resume is None or (end is not None and resume >= end):
            self.stopped_at = resume


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and every WARC/ARC file below each folder, sorted; missing paths raise."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.name.endswith(WARC_SUFFIXES) and f.is_file()))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"no such WARC file or folder: {p}")
    return out


def _parse_date(value: str) -> datetime:
    value = value.strip()
    if value.isdigit():  # ARC records carry 14-digit timestamps
        return datetime.strptime(value[:14].ljust(14, "0"), "%Y%m%d%H%M%S")
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)


def _is_capture(rec: ArcWarcRecord, url: str | None) -> bool:
    if rec.rec_type not in CAPTURE_TYPES or not url or urlsplit(url).scheme not in ("http", "https"):
        return False
    if rec.rec_type != "resource":
        return True
    return (rec.content_type or "").split(";")[0].strip().lower() in RESOURCE_MIMES


def _read_payload(rec: ArcWarcRecord, max_bytes: int) -> tuple[bytes | None, str]:
    """The record's payload (HTTP transfer and content encodings undone, bounded) and its fetch_status."""
    if rec.rec_type == "revisit":
        return None, "ok"
    try:
        payload = rec.content_stream().read(max_bytes + 1)
    except Exception:  # noqa: BLE001 - a broken chunked or gzip body is hostile data, whatever warcio raises
        return None, TRUNCATED
    if len(payload) > max_bytes:
        return None, "too_large"
    raw = rec.raw_stream
    # A content decoder may stop before the end of the record: drain it (bounded) so the length and digest
    # checks see every byte the record promised.
    left = max_bytes
    while left > 0 and (chunk := raw.read(min(left, 1 << 16))):
        left -= len(chunk)
    if getattr(raw, "limit", 0) > 0:  # fewer bytes than Content-Length: the file ends inside this record
        return None, TRUNCATED
    checker = getattr(rec, "digest_checker", None)
    if checker is not None and checker.passed is False:
        return None, DIGEST_MISMATCH
    return payload or None, "ok"


def _capture(rec: ArcWarcRecord, url: str, captured_at: datetime, source: str, fetch_status: str) -> Capture:
    http = rec.http_headers if rec.rec_type != "resource" else None
    status = int(http.get_statuscode()) if http and (http.get_statuscode() or "").isdigit() else None
    ctype = http.get_header("Content-Type") if http else rec.content_type
    location = http.get_header("Location") if http else None
    return Capture(
        site_id="",
        url=url,
        captured_at=captured_at,
        status_code=status,
        mime=(ctype or "").split(";")[0].strip().lower() or None,
        digest=rec.rec_headers.get_header("WARC-Payload-Digest"),
        record_type=rec.rec_type,
        source=source,
        redirect_to=urljoin(url, location) if location else None,
        fetch_status=fetch_status,
        content_type=ctype,
    )


def _read_capture(
    rec: ArcWarcRecord, source: str, max_bytes: int, report: ReadReport
) -> tuple[Capture, bytes | None] | None:
    """(capture, payload) of a capture record, counted in `report`; None for any other record."""
    url = rec.rec_headers.get_header("WARC-Target-URI")
    date = rec.rec_headers.get_header("WARC-Date")
    if not date or not _is_capture(rec, url):
        return None
    try:
        captured_at = _parse_date(date)
    except ValueError:
        report.bad_dates += 1
        return None
    payload, fetch_status = _read_payload(rec, max_bytes)
    report.statuses[fetch_status] += 1
    return _capture(rec, url, captured_at, source, fetch_status), payload


GZIP_MAGIC = b"\x1f\x8b\x08"  # a gzip member's first bytes (deflate)
SCAN_BYTES = 1 << 20  # read at a time when looking for the next member


def next_member(fh: BinaryIO, offset: int) -> int | None:
    """Where the first gzip member at or after byte `offset` that holds a WARC record starts; None when none does.

    A candidate counts when its first bytes inflate to a WARC record's first line. Compressed data only rarely
    holds the three magic bytes, and practically never followed by a stream that inflates to "WARC/1.".
    """
    pos = offset
    while True:
        fh.seek(pos)
        chunk = fh.read(SCAN_BYTES)
        if len(chunk) < len(GZIP_MAGIC):
            return None
        i = chunk.find(GZIP_MAGIC)
        while i != -1:
            if _holds_warc_record(fh, pos + i):
                return pos + i
            i = chunk.find(GZIP_MAGIC, i + 1)
        pos += len(chunk) - len(GZIP_MAGIC) + 1  # overlap: a magic across two reads is found in the second


def _holds_warc_record(fh: BinaryIO, at: int) -> bool:
    fh.seek(at)
    try:
        head = zlib.decompressobj(wbits=31).decompress(fh.read(1 << 12), 16)
    except zlib.error:
        return False
    return head.startswith((b"WARC/1.0", b"WARC/1.1"))


def is_gzip(path: Path) -> bool:
    """Whether a file starts as gzip does (a .warc.gz, whatever its name)."""
    with path.open("rb") as fh:
        return fh.read(len(GZIP_MAGIC)) == GZIP_MAGIC


def _unread_tail(fh: BinaryIO, offset: int) -> bool:
    """Whether bytes other than blank lines follow the end of the last whole record (warcio ends quietly on a
    record cut inside its headers, or on a gzip member cut short)."""
    fh.seek(offset)
    return bool(fh.read(1 << 16).strip())


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep warcio from writing to stderr: it prints warnings with the raw bytes of the record it met."""
    with redirect_stderr(io.StringIO()):
        yield


def _one_line(exc: BaseException, at_start: bool) -> str:
    """An error of warcio or zlib in one printable line: never the raw bytes some of them quote."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if text.startswith("Unknown archive format"):
        return "not a WARC or ARC file" if at_start else "unreadable bytes where a record should start"
    if text.startswith("the file ends inside a record") and at_start:
        return "not a WARC or ARC file, or cut inside its first record"
    return "".join(c if c.isprintable() else "?" for c in text)[:120]


def read_records(
    path: Path, max_bytes: int = MAX_PAYLOAD_BYTES, report: ReadReport | None = None
) -> Iterator[tuple[Capture, bytes | None]]:
    """Yield (capture, payload) for each response, revisit or page-like resource record of one WARC/ARC file.

    `site_id` is left empty for the caller to assign. `WARC-Payload-Digest`, block digests and Content-Length
    are checked: a record cut short is yielded with fetch_status `truncated`, one whose digest does not match
    with `digest_mismatch`, one over `max_bytes` with `too_large`, each without its payload. What could not be
    read (not an archive, a damaged record, garbage after the last good record) is told in `report`; in a
    .warc.gz reading goes on at the next record, elsewhere it ends the file.
    """
    for _, capture, payload in read_part(path, 0, None, max_bytes, report):
        yield capture, payload


def read_part(
    path: Path,
    start: int = 0,
    end: int | None = None,
    max_bytes: int = MAX_PAYLOAD_BYTES,
    report: ReadReport | None = None,
) -> Iterator[tuple[int, Capture, bytes | None]]:
    """`read_records` over the records of a file that start at byte `start` or later and before `end` (None: the
    end of the file), each with its byte offset. `start` must be where a record starts (`next_member`); a part
    other than the first is only possible in a .warc.gz. `report.stopped_at` then tells where reading stopped:
    at `end` exactly when the part's last record ended there (the parts of a file were cut at records)."""
    report = report if report is not None else ReadReport()
    with path.open("rb") as fh:
        gz = fh.read(len(GZIP_MAGIC)) == GZIP_MAGIC
        if start and not gz:
            raise ValueError(f"{path}: only a .warc.gz can be read from the middle")
        at: int | None = start
        while at is not None:
            at = yield from _read_from(fh, path, at, end, gz, max_bytes, report)
    if report.records == 0 and report.error is None and start == 0:
        report.error = f"{path}: no WARC or ARC record (empty file)"


def _isal_gzip() -> Any:
    return isal_zlib.decompressobj(16 + isal_zlib.MAX_WBITS)


def _inflate_with_isal(archive: ArchiveIterator) -> None:
    """Have warcio inflate this archive's gzip members with ISA-L (a third less time to read a .warc.gz)
    rather than zlib: the same API and output. Set on this reader only; warcio makes a decompressor per member
    from its reader's table."""
    reader = archive.reader
    reader.DECOMPRESSORS = {**reader.DECOMPRESSORS, "gzip": _isal_gzip}
    if reader.decomp_type == "gzip":
        reader.decompressor = _isal_gzip()


def _read_from(
    fh: BinaryIO, path: Path, start: int, end: int | None, gz: bool, max_bytes: int, report: ReadReport
) -> Iterator[tuple[int, Capture, bytes | None]]:
    """Read records from byte `start` until `end` or the end of the file; returns where to read on after a
    damaged record (None when done)."""
    source = f"warc:{path.name}"
    fh.seek(start)
    archive = ArchiveIterator(fh, arc2warc=True, check_digests=True)
    _inflate_with_isal(archive)
    records = iter(archive)
    try:
        while True:
            with _quiet():
                rec = next(records, None)
                if rec is None:
                    break
                offset = archive.offset  # the record's first byte: warcio moves it on once the record is read
                if end is not None and offset >= end:
                    report.stopped_at = offset
                    return None
                # warcio's reading of bytes that are no record (an ARC header line is any five words)
                if rec.rec_type is None or ":" not in (rec.rec_headers.get_header("WARC-Target-URI") or ":"):
                    raise ValueError("Unknown archive format")
                report.records += 1
                found = _read_capture(rec, source, max_bytes, report)
            if found is not None:
                yield offset, *found
        if _unread_tail(fh, archive.offset):
            raise ValueError("the file ends inside a record")
        report.stopped_at = archive.offset
        return None
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on hostile bytes; all mean the same
        at = archive.offset  # the start of the record that could not be read
        resume = next_member(fh, at + 1) if gz else None
        report.failed(path, _one_line(exc, not report.records and at == 0), at, resume, end)
        log.warning("%s", report.error)
        return resume if resume is not None and (end is None or resume < end) else None
