"""Fetching one archived capture: its payload once per archive digest, verified, into the raw store.

The raw store is addressed by sha256 but the archive names payloads by sha1; a small persistent index in
the store (`_cdx-index/`) maps each archive digest to what fetching it gave, so a digest is fetched once,
across runs too. A 3xx capture is keyed by the capture itself (same empty body, different Location).
Index entries are written atomically after the payload, so a crash loses at most the one fetch in flight.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import zlib
from datetime import UTC, datetime
from pathlib import Path

from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.http import HttpError, TooLargeError
from pipelines.archive.store import RawStore
from pipelines.warehouse.files import write_atomic

log = logging.getLogger(__name__)

MAX_DECODED_BYTES = 20 * 1024 * 1024


class FetchFailed(Exception):
    """A capture whose payload could not be had; `status` is the capture's fetch_status."""

    def __init__(self, message: str, status: str = "unavailable") -> None:
        super().__init__(message)
        self.status = status


def sha1_base32(data: bytes) -> str:
    """The digest form CDX servers and WARC-Payload-Digest use."""
    return base64.b32encode(hashlib.sha1(data).digest()).decode()


def digest_matches(data: bytes, digest: str | None) -> bool | None:
    """True/False against a `sha1:` digest; None when there is nothing we can check."""
    if not digest or not digest.lower().startswith("sha1:"):
        return None
    return sha1_base32(data) == digest.split(":", 1)[1].upper()


def decode_body(data: bytes, encoding: str | None, limit: int = MAX_DECODED_BYTES) -> bytes:
    """Undo a gzip/deflate Content-Encoding, bounded (a small bomb cannot fill memory); others as given."""
    enc = (encoding or "").strip().lower()
    if enc not in ("gzip", "x-gzip", "deflate") or not data:
        return data
    try:
        d = zlib.decompressobj(wbits=47 if "gzip" in enc else 15)
        out = d.decompress(data, limit + 1)
    except zlib.error:
        return data  # mislabelled: keep the bytes as archived
    if len(out) > limit:
        raise FetchFailed(f"decoded body over {limit} bytes", "too_large")
    return out


class FetchIndex:
    """Persistent map from an archive digest (or a capture, for redirects) to what fetching it gave."""

    def __init__(self, store: RawStore) -> None:
        self.store = store
        self.root = Path(store.root) / "_cdx-index"

    def _path(self, key: str) -> Path:
        h = hashlib.sha256(key.encode()).hexdigest()
        return self.root / h[:2] / f"{h}.json"

    def get(self, key: str) -> dict | None:
        """The entry for key if it and its payload are both present."""
        try:
            entry = json.loads(self._path(key).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        if entry.get("sha256") and not self.store.has(entry["sha256"]):
            return None  # payload gone (store pruned): fetch again
        return entry

    def put(self, key: str, entry: dict) -> None:
        write_atomic(self._path(key), json.dumps(entry).encode())


def index_key(row: CdxRow) -> str:
    """Digest for ordinary captures; the capture itself for redirects and digest-less rows."""
    if row.digest and not (row.status is not None and 300 <= row.status < 400):
        return f"digest:{row.digest}"
    return f"capture:{row.timestamp}:{row.url}"


def fetched_by(row: CdxRow) -> str:
    """The capture an index entry was fetched for: its row is `fetched`, the others with that digest `reused`,
    on a rerun or resume too."""
    return f"{row.timestamp} {row.url}"


def fetch_capture(
    client: CdxClient, store: RawStore, index: FetchIndex, row: CdxRow, attempts: int = 3
) -> tuple[dict, bool]:
    """(index entry, whether a fetch was made) for one capture; raises FetchFailed when it cannot be had.

    The entry holds sha256 (None for an archived 4xx/5xx), n_bytes, status, content_type, location,
    stored_at, fetched_by. A body that does not match the CDX digest is fetched again (a truncation the transport
    missed), up to `attempts` times.
    """
    key = index_key(row)
    entry = index.get(key)
    if entry is not None:
        return entry, False
    for _ in range(attempts):
        try:
            resp = client.fetch(row.timestamp, row.url)
        except TooLargeError as exc:
            raise FetchFailed(str(exc), "too_large") from exc
        except HttpError as exc:
            raise FetchFailed(str(exc)) from exc
        location = resp.headers.get("Location")
        entry = {
            "sha256": None,
            "n_bytes": len(resp.body),
            "status": resp.status,
            "content_type": resp.headers.get("Content-Type"),
            "location": client.original_url(location, row.url) if location else None,
            "stored_at": datetime.now(UTC).replace(tzinfo=None).isoformat(),
            "fetched_by": fetched_by(row),
        }
        if resp.status >= 400:  # the archived response is an error page: nothing to store
            index.put(key, entry)
            return entry, True
        body = decode_body(resp.body, resp.headers.get("Content-Encoding"))
        ok = digest_matches(resp.body, row.digest)
        if ok is False and body is not resp.body:
            ok = digest_matches(body, row.digest)
        if ok is False and not 300 <= resp.status < 400:  # a redirect's body is not what the digest is about
            log.info("digest mismatch for %s %s: fetching again", row.timestamp, row.url)
            continue
        entry["sha256"] = store.put(body)
        entry["n_bytes"] = len(body)
        index.put(key, entry)
        return entry, True
    raise FetchFailed(f"payload never matched its digest {row.digest} after {attempts} fetches")
