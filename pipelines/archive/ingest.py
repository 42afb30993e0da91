"""Ingest captures from WARC files into capture rows and the raw store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.archive.records import Capture
from pipelines.archive.sources import Sources, host_slug, shard_of, url_key
from pipelines.archive.store import RawStore, sha256
from pipelines.archive.warc import expand_paths, read_records

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
    ("file_no", "int32"),
    ("ord", "int64"),
    ("n_bytes", "int64"),
    ("content_type", "string"),
)


def _staged_schema() -> pa.Schema:
    return pa.schema([(name, pa.type_for_alias(t)) for name, t in STAGED_CAPTURES_COLUMNS])


@dataclass
class IngestResult:
    """Captures found (with payload hashes filled) and the payload rows newly known."""

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


def ingest_warcs(
    paths: Iterable[Path | str],
    store: RawStore,
    sources: Sources | None = None,
    n_shards: int = 8,
) -> IngestResult:
    """Read every response/revisit record, store payloads once, and return capture rows.

    With `sources`, only captures of configured URLs are kept (assigned to their site); without, every
    capture is kept and its host names the site. Revisit records take the payload of the response they
    repeat (matched by payload digest).
    """
    result = IngestResult()
    by_digest: dict[str, str] = {}
    revisits: list[Capture] = []
    site_for = _site_lookup(sources)
    for path in expand_paths(paths):
        for cap, payload in read_records(path):
            site_id = site_for(cap.url)
            if site_id is None:
                result.skipped_unmatched += 1
                continue
            cap = replace(cap, site_id=site_id, shard=shard_of(site_id, n_shards))
            if cap.record_type == "revisit":
                revisits.append(cap)
                continue
            sha = None
            if payload is not None:
                sha = sha256(payload)
                if not store.has(sha):
                    store.put(payload)
                    result.stored += 1
                if cap.digest:
                    by_digest[cap.digest] = sha
                result.payloads.setdefault(
                    sha,
                    {
                        "payload_sha256": sha,
                        "n_bytes": len(payload),
                        "content_type": cap.content_type,
                        "first_captured_at": cap.captured_at,
                        "stored_at": datetime.now(UTC).replace(tzinfo=None),
                    },
                )
                p = result.payloads[sha]
                p["first_captured_at"] = min(p["first_captured_at"], cap.captured_at)
            status = (
                cap.fetch_status
                if cap.fetch_status != "ok"
                else fetch_status_for(cap.status_code, cap.record_type, sha is not None)
            )
            result.captures.append(replace(cap, payload_sha256=sha, fetch_status=status))
    for cap in revisits:
        sha = by_digest.get(cap.digest or "")
        status = fetch_status_for(cap.status_code, "revisit", sha is not None)
        result.captures.append(replace(cap, payload_sha256=sha, fetch_status=status))
    # Two records of the same (url, time, digest) are one capture: keep the first.
    seen: set[str] = set()
    unique = []
    for cap in result.captures:
        if cap.capture_id not in seen:
            seen.add(cap.capture_id)
            unique.append(cap)
    result.captures = unique
    return result


def _site_lookup(sources: Sources | None) -> Callable[[str], str | None]:
    """url -> site id, with the sources' URL index built once (Sources.site_for_url rebuilds it per call,
    which makes reading an archive quadratic in the number of sites)."""
    if sources is None:
        return host_slug
    index = sources._index()  # noqa: SLF001 - the same index site_for_url reads, built once
    return lambda url: index.get(url_key(url))


def stage_warc(
    path: Path | str,
    store_root: Path | str,
    sources: Sources | None,
    n_shards: int,
    shards: Iterable[int],
    out: Path | str,
    file_no: int = 0,
) -> dict[str, int | str]:
    """Read one WARC/ARC file as a stream: store its payloads, write its capture rows as one Parquet file.

    Only captures of `shards` are written. Nothing is held in memory beyond the current record: revisits
    are resolved and duplicate captures dropped later, in SQL, across every staged file (see
    `steps.load_captures`), so files can be read by many workers at once. Staged rows carry the capture
    columns plus `file_no` and `ord` (reading order), `n_bytes` and `content_type` (for `payloads`).
    """
    store, wanted = RawStore(store_root), set(shards)
    site_for = _site_lookup(sources)
    stats = {"records": 0, "skipped_unmatched": 0, "stored": 0}
    rows: list[dict] = []
    for ord_, (cap, payload) in enumerate(read_records(Path(path))):
        stats["records"] += 1
        site_id = site_for(cap.url)
        if site_id is None:
            stats["skipped_unmatched"] += 1
            continue
        shard = shard_of(site_id, n_shards)
        if shard not in wanted:
            continue
        sha = None
        if payload is not None and cap.record_type != "revisit":
            sha = sha256(payload)
            if not store.has(sha):
                store.put(payload, sync=False, digest=sha)
                stats["stored"] += 1
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
                "ord": ord_,
                "n_bytes": len(payload) if sha else None,
                "content_type": cap.content_type,
            }
        )
    if stats["stored"]:
        store.flush()  # the payloads are durable before the staged rows that point at them exist
    table = pa.Table.from_pylist(rows, schema=_staged_schema())
    pq.write_table(table, out)
    return {"path": str(out), "rows": len(rows), **stats}
