"""CDX source: list captures per site, fetch each payload once (verified) into the raw store, return capture rows.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.cdx import CdxClient, CdxRow
from pipelines.http import HttpError, TooLargeError
from pipelines.ingest import IngestResult, fetch_status_for
from pipelines.records import Capture
from pipelines.sources import Sources, shard_of, url_key
from pipelines.store import RawStore, write_atomic

log = logging.getLogger(__name__)

MAX_DECODED_BYTES = 20 * 1024 * 1024
MAX_FOLLOWED_REDIRECTS = 3  # per site: policy URLs that moved (same host) are followed this many times


class FetchFailed(Exception):
    """A capture whose payload could not be had; `status` is the capture's fetch_status."""

    def __init__(self, message: str, status: str = "unavailable") -> None:
        super().__init__(message)
        self.status = status


@dataclass
class CdxIngestResult(IngestResult):
    """`IngestResult` plus what the CDX path knows: fetches made and sites whose listing failed."""

    fetched: int = 0
    failed_sites: list[str] = field(default_factory=list)


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


def fetch_capture(
    client: CdxClient, store: RawStore, index: FetchIndex, row: CdxRow, attempts: int = 3
) -> tuple[dict, bool]:
    """(index entry, whether a fetch was made) for one capture; raises FetchFailed when it cannot be had.

    The entry holds sha256 (None for an archived 4xx/5xx), n_bytes, status, content_type, location,
    stored_at. A body that does not match the CDX digest is fetched again (a truncation the transport
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


def _site_urls(site_urls: list[str], client: CdxClient, since: datetime | None, statuses) -> list[CdxRow]:
    from_ts = (since + timedelta(seconds=1)).strftime("%Y%m%d%H%M%S") if since else None
    rows: list[CdxRow] = []
    for url in site_urls:
        rows.extend(
            r for r in client.captures_of(url, from_ts, None, statuses) if since is None or r.captured_at > since
        )
    return rows


def ingest_cdx(
    sources: Sources,
    store: RawStore,
    client: CdxClient,
    n_shards: int = 8,
    known_latest: dict[str, datetime] | None = None,
    statuses: set[int] | None = None,
) -> CdxIngestResult:
    """List every site's captures from the CDX server, store each payload once, and return capture rows.

    Same shape as `ingest.ingest_warcs`. With `known_latest`, a site is asked only for captures after its
    latest known one, so the result holds only new captures (the loader must add, not replace). A site given
    by homepage only has its policy URLs discovered first (`discover.py`). Policy URLs that redirect to
    another path of the same host are followed. Every listed capture becomes a row: a payload that cannot
    be had is `unavailable` (or `too_large`), never dropped. A site whose listing fails is named in
    `failed_sites` and contributes no rows, so its known latest capture does not advance.
    """
    from pipelines.discover import discover_policy_urls  # discover uses this module's fetching

    known_latest = known_latest or {}
    result = CdxIngestResult()
    fetches_before = client.n_fetches
    index = FetchIndex(store)
    seen_ids: set[str] = set()
    for site in sources.sites:
        since = known_latest.get(site.id)
        try:
            urls = list(site.policy_urls)
            if not urls and site.homepage:
                found = [p.url for p in discover_policy_urls(client, store, site.homepage)]
                urls = list({url_key(u): u for u in reversed(found)}.values())[::-1]  # a page met twice: once
            rows = _site_urls(urls, client, since, statuses)
        except HttpError as exc:
            log.warning("site %s: CDX listing failed, no captures taken this run: %s", site.id, exc)
            result.failed_sites.append(site.id)
            continue
        # Pages the policy moved to (seen in earlier runs' redirects) are asked again: an incremental run
        # does not list the old redirect captures that revealed them.
        moves_key = f"moves:{site.id}"
        moved = (index.get(moves_key) or {}).get("urls", [])
        if moved:
            try:
                rows.extend(_site_urls(moved, client, since, statuses))
            except HttpError as exc:
                log.warning("site %s: CDX listing of moved pages failed: %s", site.id, exc)
                result.failed_sites.append(site.id)
                continue
        asked = {url_key(u).split("?", 1)[0] for u in (*urls, *moved)}
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls}
        followed = 0
        i = 0
        while i < len(rows):
            row = rows[i]
            i += 1
            cap = _capture(site.id, shard_of(site.id, n_shards), row, client, store, index, result)
            if cap.capture_id not in seen_ids:
                seen_ids.add(cap.capture_id)
                result.captures.append(cap)
            target = cap.redirect_to
            if target and followed < MAX_FOLLOWED_REDIRECTS:
                tkey = url_key(target).split("?", 1)[0]
                if tkey not in asked and (urlsplit(target).hostname or "").removeprefix("www.") in hosts:
                    asked.add(tkey)
                    followed += 1
                    moved.append(target)
                    index.put(moves_key, {"urls": moved})
                    try:
                        rows.extend(_site_urls([target], client, since, statuses))
                    except HttpError as exc:
                        log.warning("site %s: listing redirect target %s failed: %s", site.id, target, exc)
    result.fetched = client.n_fetches - fetches_before
    return result


def _capture(
    site_id: str,
    shard: int,
    row: CdxRow,
    client: CdxClient,
    store: RawStore,
    index: FetchIndex,
    result: CdxIngestResult,
) -> Capture:
    status, mime = row.status, row.mime
    sha = redirect_to = content_type = None
    fetch_status = None
    if row.is_revisit or status is None or status < 400:
        try:
            entry, fetched = fetch_capture(client, store, index, row)
        except FetchFailed as exc:
            log.warning("capture %s %s: %s", row.timestamp, row.url, exc)
            fetch_status = exc.status
        else:
            sha, content_type, redirect_to = entry["sha256"], entry["content_type"], entry["location"]
            if row.is_revisit or status is None:  # the revisited response says what it was
                status = entry["status"]
                mime = (content_type or "").split(";")[0].strip().lower() or None
            if sha:
                result.stored += int(fetched)
                p = result.payloads.setdefault(
                    sha,
                    {
                        "payload_sha256": sha,
                        "n_bytes": entry["n_bytes"],
                        "content_type": content_type,
                        "first_captured_at": row.captured_at,
                        "stored_at": datetime.fromisoformat(entry["stored_at"]),
                    },
                )
                p["first_captured_at"] = min(p["first_captured_at"], row.captured_at)
    if fetch_status is None:
        fetch_status = fetch_status_for(status, "cdx", sha is not None)
    return Capture(
        site_id=site_id,
        url=row.url,
        captured_at=row.captured_at,
        status_code=status,
        mime=mime,
        digest=row.digest,
        record_type="cdx",
        source=client.source,
        redirect_to=redirect_to,
        payload_sha256=sha,
        fetch_status=fetch_status,
        shard=shard,
        content_type=content_type,
    )
