"""CDX source: list captures per site, decide which to fetch, fetch each payload once (`replay.py`) and
return capture rows."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from pipelines.archive.bisect import TextJudge, plan_fetches
from pipelines.archive.cdx import CdxClient, CdxRow
from pipelines.archive.discover import discover_policy_urls
from pipelines.archive.http import HttpError
from pipelines.archive.ingest import IngestResult, fetch_status_for
from pipelines.archive.records import Capture
from pipelines.archive.replay import FetchFailed, FetchIndex, fetch_capture, fetched_by, index_key
from pipelines.archive.sources import Sources, shard_of, url_key
from pipelines.archive.store import RawStore
from pipelines.runtime import progress

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
    judge: TextJudge | None = None,
    anchors: dict[str, CdxRow] | None = None,
) -> CdxIngestResult:
    """List every site's captures from the CDX server, store each payload once, and return capture rows.

    Which payloads are fetched follows `sources.fetch`: `all` fetches every distinct digest; `bisect` (which
    needs a `judge` of policy texts; without one, `all` is done) fetches what `bisect.py` plans and records the
    others as reused or inferred. `anchors` are, per site, the newest capture of earlier runs that had a payload:
    a scheduled bisecting run probes its new captures against it.

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
        queries_before = client.n_queries
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
        pages = client.n_queries - queries_before
        progress.show(site.id, f"{site.id}: listed {len(rows):,} captures ({pages:,} pages)", final=True)
        asked = {url_key(u).split("?", 1)[0] for u in (*urls, *moved)}
        hosts = {(urlsplit(u).hostname or "").removeprefix("www.") for u in urls}
        followed = 0
        bisecting = judge is not None and sources.fetch == "bisect"
        fetch = _Fetcher(site.id, shard_of(site.id, n_shards), client, store, index, result)
        fetch.total = len(rows)
        later: list[CdxRow] = []  # bisect: the payload captures, planned once every listing is in
        redirected: set[str] = set()
        i = 0
        while i < len(rows):
            row = rows[i]
            i += 1
            if bisecting and not _is_redirect(row):
                later.append(row)
                continue
            if bisecting and url_key(row.url) in redirected:  # one capture of a URL's redirects says where to
                cap = fetch.unfetched(row, "redirect")
            else:
                redirected.add(url_key(row.url))
                cap = fetch.capture(row)
            fetch.keep(cap, seen_ids)
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
                    fetch.total = len(rows)
        if later:
            assert judge is not None
            anchor = (anchors or {}).get(site.id)
            for cap in _bisect(fetch, judge, later, anchor, sources.max_unprobed_days):
                fetch.keep(cap, seen_ids)
        fetch.show_progress(final=True)
    result.fetched = client.n_fetches - fetches_before
    return result


def _is_redirect(row: CdxRow) -> bool:
    return not row.is_revisit and row.status is not None and 300 <= row.status < 400


def _bisect(
    fetch: _Fetcher, judge: TextJudge, rows: list[CdxRow], anchor: CdxRow | None, max_unprobed_days: float
) -> list[Capture]:
    """The captures of a site's payload rows, fetched as `bisect.plan_fetches` says, in time order.

    Archived errors are not fetched (as in `all`); the anchor (a capture of an earlier run) only bounds the first
    span and is not returned again.
    """
    errors = [r for r in rows if r.status is not None and r.status >= 400 and not r.is_revisit]
    error_set = set(errors)
    seq = sorted((r for r in rows if r not in error_set), key=lambda r: (r.timestamp, r.url))
    if anchor is not None and seq and anchor.timestamp < seq[0].timestamp:
        seq.insert(0, anchor)
    else:
        anchor = None
    caps: dict[int, Capture] = {}
    looked: dict[str, Capture] = {}  # index key -> the capture looked at for it
    texts: dict[str, object] = {}

    def look(i: int) -> object | None:
        cap = caps[i] = looked[index_key(seq[i])] = fetch.capture(seq[i])
        sha = cap.payload_sha256
        if cap.fetch_status != "ok" or sha is None:
            return None
        if sha not in texts:
            texts[sha] = judge.read(fetch.store.get(sha), cap.content_type, cap.captured_at)
        return texts[sha]

    plan = plan_fetches(
        [r.captured_at for r in seq],
        [index_key(r) for r in seq],
        look,
        lambda a, b, i: judge.same(a, b, seq[i].captured_at),
        max_unprobed_days,
        free=lambda i: fetch.index.get(index_key(seq[i])) is not None,
        sizes=[r.length for r in seq],
    )
    out = [fetch.unfetched(r, "http_error") for r in errors]
    for i, row in enumerate(seq):
        if anchor is not None and i == 0:
            continue
        if i in caps:
            out.append(caps[i])
        elif i in plan.answers:  # not looked at itself: takes what its digest gave
            first = looked[index_key(row)]
            failed = first.fetch_status in ("unavailable", "too_large")  # asking again now would fail again
            out.append(fetch.unfetched(row, first.fetch_status) if failed else fetch.capture(row))
        else:  # the plan answers or infers every capture
            a, b = plan.inferred[i]
            out.append(fetch.inferred(row, fetch.row_id(seq[a]), fetch.row_id(seq[b])))
    return out


class _Fetcher:
    """Captures of one site made from CDX rows, fetching each payload once (state: the site, the client, the
    index, the result being filled)."""

    def __init__(
        self, site_id: str, shard: int, client: CdxClient, store: RawStore, index: FetchIndex, result: CdxIngestResult
    ) -> None:
        self.site_id = site_id
        self.shard = shard
        self.client = client
        self.store = store
        self.index = index
        self.result = result
        self.total = 0  # captures listed for the site, for progress
        self.states: Counter[str] = Counter()  # captures made so far, by fetch_state
        self.started = time.monotonic()

    def show_progress(self, final: bool = False) -> None:
        """One progress line for a terminal: how many of the site's captures are done, and how."""
        done = sum(self.states.values())
        total = max(self.total, done)
        progress.show(
            self.site_id,
            f"{self.site_id}: fetched {done:,}/{total:,} ({self.states['reused']:,} reused, "
            f"{self.states['inferred']:,} inferred) ETA {progress.eta(done, total, self.started)}",
            final=final,
        )

    def keep(self, cap: Capture, seen_ids: set[str]) -> None:
        """Add a capture to the result, once."""
        if cap.capture_id not in seen_ids:
            seen_ids.add(cap.capture_id)
            self.result.captures.append(cap)

    def _row(self, row: CdxRow, **values: object) -> Capture:
        fields: dict = {"status_code": row.status, "mime": row.mime} | values
        if "fetch_state" in fields:  # a capture made, not only an id asked for
            self.states[str(fields["fetch_state"])] += 1
            self.show_progress()
        return Capture(
            site_id=self.site_id,
            url=row.url,
            captured_at=row.captured_at,
            digest=row.digest,
            record_type="cdx",
            source=self.client.source,
            shard=self.shard,
            **fields,
        )

    def row_id(self, row: CdxRow) -> str:
        """The capture id of a row (its URL, time and digest), without fetching anything."""
        return self._row(row).capture_id

    def unfetched(self, row: CdxRow, fetch_status: str) -> Capture:
        """A capture not requested: an archived error, or a redirect whose URL's first redirect was fetched."""
        return self._row(row, fetch_status=fetch_status, fetch_state="not_fetched")

    def inferred(self, row: CdxRow, after: str, before: str) -> Capture:
        """A capture not fetched, taken to hold the policy text of the fetched captures `after` and `before`."""
        return self._row(
            row, fetch_status="inferred", fetch_state="inferred", inferred_after=after, inferred_before=before
        )

    def capture(self, row: CdxRow) -> Capture:
        """The capture of a row, its payload fetched (or reused: same digest as one fetched before)."""
        status, mime = row.status, row.mime
        sha = redirect_to = content_type = None
        fetch_status = None
        state = "not_fetched"  # an archived error is not requested; a failed fetch had nothing
        if row.is_revisit or status is None or status < 400:
            try:
                entry, fetched = fetch_capture(self.client, self.store, self.index, row)
            except FetchFailed as exc:
                log.warning("capture %s %s: %s", row.timestamp, row.url, exc)
                fetch_status = exc.status
            else:
                # the capture the payload was fetched for is `fetched`, on a rerun too; entries of older
                # releases do not say, and count as fetched by whoever fetched them in this run
                owner = entry.get("fetched_by")
                state = "fetched" if (owner == fetched_by(row) if owner else fetched) else "reused"
                sha, content_type, redirect_to = entry["sha256"], entry["content_type"], entry["location"]
                if row.is_revisit or status is None:  # the revisited response says what it was
                    status = entry["status"]
                    mime = (content_type or "").split(";")[0].strip().lower() or None
                if sha:
                    self._payload(sha, entry, row, fetched)
        if fetch_status is None:
            fetch_status = fetch_status_for(status, "cdx", sha is not None)
        return self._row(
            row,
            status_code=status,
            mime=mime,
            redirect_to=redirect_to,
            payload_sha256=sha,
            fetch_status=fetch_status,
            content_type=content_type,
            fetch_state=state,
        )

    def _payload(self, sha: str, entry: dict, row: CdxRow, fetched: bool) -> None:
        self.result.stored += int(fetched)
        p = self.result.payloads.setdefault(
            sha,
            {
                "payload_sha256": sha,
                "n_bytes": entry["n_bytes"],
                "content_type": entry["content_type"],
                "first_captured_at": row.captured_at,
                "stored_at": datetime.fromisoformat(entry["stored_at"]),
            },
        )
        p["first_captured_at"] = min(p["first_captured_at"], row.captured_at)
