"""Stage the captures of WARC/ARC files: capture rows as Parquet, payloads into the raw store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive.records import Capture
from pipelines.archive.sources import Sources, host_slug, shard_of, url_key
from pipelines.archive.store import RawStore, sha256
from pipelines.archive.warc import DIGEST_MISMATCH, TRUNCATED, ReadReport, read_part

log = logging.getLogger(__name__)

# Staged capture rows (one Parquet file per WARC file): the `captures` columns plus what resolving
# revisits, dropping duplicates and filling `payloads` need. Typed explicitly so empty files load too.
STAGED_CAPTURES_COLUMNS = (
    ("capture_id", "string"),
    ("site_id", "string"),
    ("url", "string"),
    ("captured_at", "timestamp[us]"),
    ("status_code", "int32"),
    ("mime", "string"),
    ("digest", "string"),
    ("record_type", "string"),
    ("source", "string"),
    ("redirect_to", "string"),
    ("payload_sha256", "string"),
    ("fetch_status", "string"),
    ("shard", "int32"),
    ("fetch_state", "string"),
    ("inferred_after", "string"),
    ("inferred_before", "string"),
    ("file_no", "int32"),
    ("ord", "int64"),  # the record's byte offset in its file: reading order, also across the parts of a file
    ("n_bytes", "int64"),
    ("content_type", "string"),
    ("stored", "bool"),  # this read put the payload into the raw store (`payloads_stored` counts them once)
)


def _staged_schema() -> pa.Schema:
    return pa.schema([(name, pa.type_for_alias(t)) for name, t in STAGED_CAPTURES_COLUMNS])


@dataclass
class IngestResult:
    """Captures found (with payload hashes filled) and the payload rows newly known (the CDX source's result)."""

    captures: list[Capture] = field(default_factory=list)
    payloads: dict[str, dict] = field(default_factory=dict)
    skipped_unmatched: int = 0
    stored: int = 0


def fetch_status_for(status: int | None, record_type: str, has_payload: bool) -> str:
    """Status of a capture's payload: what a reader of `captures` needs to know."""
    if status is not None and 300 <= status < 400:
        return "redirect"
    if status is not None and status >= 400:
        return "http_error"
    return "ok" if has_payload else "unavailable"


def _site_lookup(sources: Sources | None) -> Callable[[str], str | None]:
    """url -> site id, with the sources' URL index built once (Sources.site_for_url rebuilds it per call,
    which makes reading an archive quadratic in the number of sites)."""
    if sources is None:
        return host_slug
    index = sources._index()  # noqa: SLF001 - the same index site_for_url reads, built once
    return lambda url: index.get(url_key(url))


WRITERS = 2  # threads compressing and writing payloads while the file is read: zlib and the disk release the GIL
IN_FLIGHT = 16  # payloads handed to the writers and not yet written: what reading holds beyond the current record


@contextmanager
def _storing(store: RawStore) -> Iterator[Callable[[bytes, str], bool]]:
    """A `put(payload, sha256)` that stores a payload not stored yet in the background (True when it does):
    compressing payloads costs more than reading the archive, so the writers run beside the reader. Every
    payload is written when the block ends; a failed write raises there, or at a later put."""
    handed: set[str] = set()
    pending: set[Future] = set()

    def put(payload: bytes, sha: str) -> bool:
        nonlocal pending
        if sha in handed or store.has(sha):
            return False
        handed.add(sha)
        if len(pending) >= IN_FLIGHT:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in done:
                f.result()
        pending.add(writers.submit(store.put, payload, False, sha))
        return True

    with ThreadPoolExecutor(WRITERS, thread_name_prefix="payload-writer") as writers:
        yield put
        for f in pending:
            f.result()


def stage_warc(
    path: Path | str,
    store_root: Path | str,
    sources: Sources | None,
    n_shards: int,
    shards: Iterable[int],
    out: Path | str,
    file_no: int = 0,
    start: int = 0,
    end: int | None = None,
) -> dict[str, int | str | None]:
    """Read one WARC/ARC file as a stream: store its payloads, write its capture rows as one Parquet file.

    With `start` and `end`, only the records starting in those bytes of a .warc.gz (`warc.read_part`): the parts
    of one big file are read by several workers at once.

    Only captures of `shards` are written. Nothing is held in memory beyond the current record: revisits
    are resolved and duplicate captures dropped later, in SQL, across every staged file (see
    `stage.load_captures`), so files can be read by many workers at once. Staged rows carry the capture
    columns plus `file_no` and `ord` (reading order), `n_bytes` and `content_type` (for `payloads`) and `stored`.
    The stats say what reading found: archive records, captures, those cut short (`truncated`) or failing their
    digest (`digest_mismatch`), `error`, one line when part of the file was unreadable ("" when not), and
    `start` and `stopped_at`, the bytes read (see `read_part`).
    """
    store, wanted = RawStore(store_root), set(shards)
    site_for = _site_lookup(sources)
    report = ReadReport()
    stats = {"skipped_unmatched": 0, "stored": 0}
    rows: list[dict] = []
    with _storing(store) as put:
        for offset, cap, payload in read_part(Path(path), start, end, report=report):
            site_id = site_for(cap.url)
            if site_id is None:
                stats["skipped_unmatched"] += 1
                continue
            shard = shard_of(site_id, n_shards)
            if shard not in wanted:
                continue
            sha, stored = None, False
            if payload is not None and cap.record_type != "revisit":
                sha = sha256(payload)
                stored = put(payload, sha)
                stats["stored"] += stored
            status = (
                cap.fetch_status
                if cap.fetch_status != "ok" or cap.record_type == "revisit"
                else fetch_status_for(cap.status_code, cap.record_type, sha is not None)
            )
            row = replace(cap, site_id=site_id, shard=shard, payload_sha256=sha, fetch_status=status).row()
            rows.append(
                {
                    **row,
                    "file_no": file_no,
                    "ord": offset,
                    "n_bytes": len(payload) if sha else None,
                    "content_type": cap.content_type,
                    "stored": stored,
                }
            )
    if stats["stored"]:
        store.flush()  # the payloads are durable before the staged rows that point at them exist
    table = pa.Table.from_pylist(rows, schema=_staged_schema())
    pq.write_table(table, out)
    return {
        "path": str(out),
        "rows": len(rows),
        **stats,
        "records": report.records,
        "captures": report.captures,
        TRUNCATED: report.statuses[TRUNCATED],
        DIGEST_MISMATCH: report.statuses[DIGEST_MISMATCH],
        "bad_dates": report.bad_dates,
        "error": report.error or "",
        "file_no": file_no,
        "start": start,
        "stopped_at": report.stopped_at,
    }
