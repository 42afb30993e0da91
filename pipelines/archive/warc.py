"""WARC/ARC source: read captures and their payloads from archive files (gzip or not, files or folders).

Archive files are hostile input: a record cut short, a payload that does not match its digest, garbage after
good records or a file that is no archive at all are described (a capture's `fetch_status`, a one-line
`ReadReport.error`), never raised and never printed as raw bytes.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

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

    @property
    def captures(self) -> int:
        return sum(self.statuses.values())


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
    read at all (not an archive, garbage after the last good record) ends the file and is told in `report`.
    """
    report = report if report is not None else ReadReport()
    source = f"warc:{path.name}"
    with path.open("rb") as fh:
        try:
            archive = ArchiveIterator(fh, arc2warc=True, check_digests=True)
            records = iter(archive)
            while True:
                with _quiet():
                    rec = next(records, None)
                    if rec is None:
                        break
                    # warcio's reading of bytes that are no record (an ARC header line is any five words)
                    if rec.rec_type is None or ":" not in (rec.rec_headers.get_header("WARC-Target-URI") or ":"):
                        raise ValueError("Unknown archive format")
                    report.records += 1
                    found = _read_capture(rec, source, max_bytes, report)
                if found is not None:
                    yield found
            if _unread_tail(fh, archive.offset):
                raise ValueError("the file ends inside a record")
        except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on hostile bytes; all mean the same
            where = f" after {report.records} records, the rest skipped" if report.records else ""
            report.error = f"{path}: {_one_line(exc, not report.records)}{where}"
            log.warning("%s", report.error)
    if report.records == 0 and report.error is None:
        report.error = f"{path}: no WARC or ARC record (empty file)"
