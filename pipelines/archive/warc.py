"""WARC/ARC source: read captures and their payloads from archive files (gzip or not, files or folders)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipelines.archive.records import Capture

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
MAX_PAYLOAD_BYTES = 20 * 1024 * 1024


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and every WARC/ARC file below each folder, sorted; missing paths raise."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.name.endswith(WARC_SUFFIXES)))
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


def read_records(path: Path, max_bytes: int = MAX_PAYLOAD_BYTES) -> Iterator[tuple[Capture, bytes | None]]:
    """Yield (capture, payload) for each response or revisit record of one WARC/ARC file.

    `site_id` is left empty for the caller to assign. A payload over `max_bytes` is not read
    (fetch_status too_large); a corrupt record ends the file with a logged one-line warning.
    """
    source = f"warc:{path.name}"
    with path.open("rb") as fh:
        try:
            for rec in ArchiveIterator(fh, arc2warc=True):
                if rec.rec_type not in ("response", "revisit"):
                    continue
                url = rec.rec_headers.get_header("WARC-Target-URI")
                date = rec.rec_headers.get_header("WARC-Date")
                if not url or not date:
                    continue
                http = rec.http_headers
                status = int(http.get_statuscode()) if http and http.get_statuscode() else None
                ctype = http.get_header("Content-Type") if http else None
                location = http.get_header("Location") if http else None
                payload: bytes | None = rec.content_stream().read(max_bytes + 1)
                fetch_status = "ok"
                if rec.rec_type == "revisit" or not payload:
                    payload = None if rec.rec_type == "revisit" else payload
                elif len(payload) > max_bytes:
                    payload, fetch_status = None, "too_large"
                yield (
                    Capture(
                        site_id="",
                        url=url,
                        captured_at=_parse_date(date),
                        status_code=status,
                        mime=(ctype or "").split(";")[0].strip().lower() or None,
                        digest=rec.rec_headers.get_header("WARC-Payload-Digest"),
                        record_type=rec.rec_type,
                        source=source,
                        redirect_to=urljoin(url, location) if location else None,
                        fetch_status=fetch_status,
                        content_type=ctype,
                    ),
                    payload,
                )
        except ArchiveLoadFailed as exc:
            log.warning("%s: corrupt record, rest of file skipped: %s", path, str(exc).splitlines()[0])
