"""CDX source: list captures per site, decide which to fetch, fetch each payload once (`replay.py`) and
return capture rows."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.discover import discover_policy_urls
from pipelines.archive.http import HttpError
from pipelines.archive.ingest import IngestResult, fetch_status_for
from pipelines.archive.records import Capture
from pipelines.archive.replay import FetchFailed, FetchIndex, fetch_capture
from pipelines.archive.sources import Sources, shard_of, url_key
from pipelines.archive.store import RawStore

log = logging.getLogger(__name__)

MAX_FOLLOWED_REDIRECTS = 3  # per site: policy URLs that moved (same host) are followed this many times


@dataclass
class CdxIngestResult(IngestResult):
    """`IngestResult` plus what the CDX path knows: fetches made and sites whose listing failed."""

    fetched: int = 0
    failed_sites: list[str] = field(default_factory=list)


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

    With `known_latest`, a site is asked only for captures after its
    latest known one, so the result holds only new captures (the loader must add, not replace). A site given
    by homepage only has its policy URLs discovered first (`discover.py`). Policy URLs that redirect to
    another path of the same host are followed. Every listed capture becomes a row: a payload that cannot
    be had is `unavailable` (or `too_large`), never dropped. A site whose listing fails is named in
    `failed_sites` and contributes no rows, so its known latest capture does not advance.
    """
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
