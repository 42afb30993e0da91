"""Ingest captures from WARC files into capture rows and the raw store."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from pipelines.records import Capture
from pipelines.sources import Sources, host_slug, shard_of
from pipelines.store import RawStore, sha256
from pipelines.warc import expand_paths, read_records

log = logging.getLogger(__name__)


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
    for path in expand_paths(paths):
        for cap, payload in read_records(path):
            site_id = sources.site_for_url(cap.url) if sources else host_slug(cap.url)
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
