"""Wayback CDX server client: list the captures of a URL, page through them, build replay URLs.

Speaks both dialects met in practice, told apart by the answer rather than by configuration:
archive.org (`output=json`: a JSON array whose first row names the fields; default output: 7 space-separated
fields; paging with `showResumeKey`/`resumeKey`) and pywb (`output=json`: one JSON object per line, fields
`url`/`mime`/`status`; CDXJ text by default; ignores `showResumeKey` and `collapse`, honours `limit`).
CDX answers are untrusted: rows are validated, capped in number, and malformed answers are retried.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from pipelines.archive.http import PermanentError, PoliteClient, Response, TransientError
from pipelines.archive.sources import url_key

log = logging.getLogger(__name__)

IA_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# pywb names the same fields differently; map both onto one vocabulary.
ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}
TS_RE = re.compile(r"^\d{4,14}$")
BASE32_SHA1_RE = re.compile(r"^[A-Z2-7]{32}$")
REVISIT_MIME = "warc/revisit"


class CdxFormatError(ValueError):
    """A CDX answer we cannot read."""


@dataclass(frozen=True)
class CdxRow:
    """One line of a CDX answer."""

    url: str
    timestamp: str  # 14 digits, UTC
    mime: str | None
    status: int | None
    digest: str | None  # normalized to `sha1:BASE32`, the form WARC-Payload-Digest uses
    length: int | None = None  # the archived record's size in bytes (compressed), as the server reports it

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp, "%Y%m%d%H%M%S")

    @property
    def is_revisit(self) -> bool:
        return self.mime == REVISIT_MIME


def normalize_digest(value: str | None) -> str | None:
    """`sha1:BASE32` for a bare base32 sha1 (as CDX servers give it), the value as given otherwise."""
    if not value or value == "-":
        return None
    value = value.strip()
    if BASE32_SHA1_RE.match(value.upper()):
        return f"sha1:{value.upper()}"
    return value


def _row(fields: dict[str, str]) -> CdxRow | None:
    f = {ALIASES.get(k, k): v for k, v in fields.items()}
    ts, url = str(f.get("timestamp", "")), str(f.get("original", ""))
    if not TS_RE.match(ts) or urlsplit(url).scheme not in ("http", "https"):
        return None  # hostile or broken line: skip rather than guess
    status = str(f.get("statuscode", "-"))
    mime = str(f.get("mimetype", "")).strip().lower()
    return CdxRow(
        url=url,
        timestamp=ts.ljust(14, "0"),
        mime=None if mime in ("", "-", "unk") else mime,
        status=int(status) if status.isdigit() and len(status) == 3 else None,
        digest=normalize_digest(str(f.get("digest", "")) or None),
        length=int(length) if (length := str(f.get("length", ""))).isdigit() else None,
    )


def parse_cdx(text: str) -> tuple[list[CdxRow], str | None]:
    """Rows of a CDX answer in any of the dialects above, and the resume key if the server gave one."""
    text = text.strip()
    rows: list[CdxRow] = []
    resume: str | None = None
    if not text:
        return rows, None
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CdxFormatError(f"CDX JSON unreadable: {exc}") from exc
        if not isinstance(data, list) or not data:
            return rows, None
        header = [str(h) for h in data[0]]
        body = data[1:]
        # archive.org ends a page with an empty row and a one-item row holding the resume key.
        if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
            resume, body = str(body[-1][0]), body[:-2]
        for item in body:
            if isinstance(item, list) and len(item) == len(header):
                r = _row(dict(zip(header, map(str, item), strict=True)))
                if r:
                    rows.append(r)
        return rows, resume
    lines = text.splitlines()
    if "" in lines:  # text output: rows, a blank line, the resume key
        cut = lines.index("")
        tail = [x for x in lines[cut + 1 :] if x.strip()]
        resume = tail[0].strip() if tail else None
        lines = lines[:cut]
    for line in lines:
        line = line.strip()
        if line.startswith("{"):  # pywb JSON lines
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CdxFormatError(f"CDX JSON line unreadable: {line[:80]!r}") from exc
            r = _row({k: str(v) for k, v in obj.items()}) if isinstance(obj, dict) else None
        elif " {" in line:  # CDXJ: urlkey timestamp {json}
            key, ts, rest = line.split(" ", 2)
            try:
                obj = json.loads(rest)
            except json.JSONDecodeError as exc:
                raise CdxFormatError(f"CDXJ line unreadable: {line[:80]!r}") from exc
            r = _row({"urlkey": key, "timestamp": ts, **{k: str(v) for k, v in obj.items()}})
        else:
            parts = line.split(" ")
            if len(parts) != len(IA_FIELDS):
                raise CdxFormatError(f"CDX line has {len(parts)} fields, not 7: {line[:80]!r}")
            r = _row(dict(zip(IA_FIELDS, parts, strict=True)))
        if r:
            rows.append(r)
    return rows, resume


def _path_key(url: str) -> str:
    """url_key without the query string: the page whatever its session or tracking parameters."""
    return url_key(url).split("?", 1)[0]


class CdxClient:
    """A CDX endpoint and its replay base, each reached through its own polite HTTP client.

    The two are rate-limited apart because archives limit them apart (the Wayback Machine: about 30 CDX
    queries a minute, about one replay a second); given one client, both go through it.
    """

    def __init__(
        self,
        endpoint: str,
        replay: str,
        http: PoliteClient | None = None,
        page_size: int = 5000,
        max_rows: int = 200_000,
        max_parse_retries: int = 3,
        cdx_http: PoliteClient | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.replay = replay.rstrip("/")
        self.http = http or PoliteClient()
        self.cdx_http = cdx_http or self.http
        self.page_size = page_size
        self.max_rows = max_rows
        self.max_parse_retries = max_parse_retries
        self.n_queries = 0  # CDX requests (pages, re-asks of unreadable answers); HTTP retries are the clients'
        self.n_fetches = 0  # captures asked for
        self.n_replays = 0  # replay requests (an archive redirect is one more)

    @property
    def source(self) -> str:
        return f"cdx:{self.endpoint}"

    def _page(self, params: dict[str, str]) -> tuple[list[CdxRow], str | None]:
        last: Exception | None = None
        for _ in range(self.max_parse_retries):
            self.n_queries += 1
            resp = self.cdx_http.get(self.endpoint, params)
            if resp.status >= 300:
                raise PermanentError(f"CDX answered HTTP {resp.status}", self.endpoint, resp.status)
            try:
                return parse_cdx(resp.body.decode("utf-8", "replace"))
            except CdxFormatError as exc:  # a body cut short without the transport noticing: ask again
                last = exc
        raise TransientError(f"CDX answer unreadable after {self.max_parse_retries} tries: {last}", self.endpoint)

    def query(
        self,
        url: str,
        match_type: str = "exact",
        from_ts: str | None = None,
        to_ts: str | None = None,
    ) -> list[CdxRow]:
        """Every CDX row for url (exact / prefix / host / domain), within [from_ts, to_ts] (Wayback timestamps)."""
        params = {"url": url, "output": "json", "limit": str(self.page_size), "showResumeKey": "true"}
        if match_type != "exact":
            params["matchType"] = match_type
        if from_ts:
            params["from"] = from_ts
        if to_ts:
            params["to"] = to_ts
        rows: list[CdxRow] = []
        while True:
            page, resume = self._page(params)
            rows.extend(page)
            if len(rows) >= self.max_rows:
                log.warning("CDX %s: stopped at %d rows (max_rows)", url, self.max_rows)
                return rows[: self.max_rows]
            if resume and resume != params.get("resumeKey"):
                params["resumeKey"] = resume
                continue
            if len(page) >= self.page_size and "resumeKey" not in params:
                # A full page and no resume key: the server (pywb) does not page; ask once for everything.
                params.pop("limit")
                params.pop("showResumeKey")
                rows, _ = self._page(params)
                return rows[: self.max_rows]
            return rows

    def captures_of(
        self,
        url: str,
        from_ts: str | None = None,
        to_ts: str | None = None,
        statuses: Iterable[int] | None = None,
    ) -> list[CdxRow]:
        """Captures of one page under its usual variants, oldest first, without duplicates.

        Scheme and `www.` are folded by the server's URL canonicalization (SURT). A URL without a query
        is asked as a prefix of host+path (one request covering the trailing-slash and query-string
        variants), then rows of other pages under that prefix are dropped. A URL with a query, or a
        homepage (a prefix would be the whole site), is asked exactly, with and without trailing slash.
        `statuses` keeps only rows with those HTTP statuses, plus revisits (their status is the revisited one).
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        if parts.query or path == "/":
            target = url_key(url)
            toggled = path[:-1] if path.endswith("/") and path != "/" else path + "/"
            variants = [url, f"{host}{toggled}" + (f"?{parts.query}" if parts.query else "")]
            found = [r for v in variants for r in self.query(v, "exact", from_ts, to_ts)]
            found = [r for r in found if url_key(r.url) == target]
        else:
            target = _path_key(url)
            found = self.query(f"{host}{path.rstrip('/')}", "prefix", from_ts, to_ts)
            found = [r for r in found if _path_key(r.url) == target]
        wanted = set(statuses) if statuses is not None else None
        seen: set[tuple[str, str, str | None]] = set()
        out: list[CdxRow] = []
        for r in sorted(found, key=lambda r: (r.timestamp, r.url)):
            if (r.timestamp, r.url, r.digest) in seen:
                continue
            if wanted is not None and not r.is_revisit and r.status not in wanted:
                continue
            seen.add((r.timestamp, r.url, r.digest))
            out.append(r)
        return out

    def replay_url(self, timestamp: str, url: str, modifier: str = "id_") -> str:
        """`{replay}/{timestamp}{modifier}/{url}`; `id_` gives the archived bytes without rewriting."""
        return f"{self.replay}/{timestamp}{modifier}/{url}"

    def original_url(self, location: str, base: str) -> str:
        """The archived URL a Location points at: unwrapped if it is a replay URL, resolved against base."""
        absolute = urljoin(base, location)
        prefix = self.replay + "/"
        if absolute.startswith(prefix):
            rest = absolute[len(prefix) :]
            m = re.match(r"^\d{1,14}[a-z]{0,2}_?/(.+)$", rest)
            if m:
                return m.group(1)
        return absolute

    def in_archive(self, url: str) -> bool:
        """Whether url is under the configured replay base (the only place we ever follow a redirect to)."""
        return url.startswith(self.replay + "/")

    def fetch(self, timestamp: str, url: str, max_hops: int = 3) -> Response:
        """The archived response of one capture via `id_`, following only the archive's own redirects.

        Returns the archived response (status as archived: a captured 301 is returned, not followed).
        An archive redirect (to the nearest capture, no Memento-Datetime) is followed while it stays
        under the replay base; one leading elsewhere raises PermanentError.
        """
        self.n_fetches += 1
        target = self.replay_url(timestamp, url)
        for _ in range(max_hops + 1):
            self.n_replays += 1
            resp = self.http.get(target, accept=lambda r: "Memento-Datetime" in r.headers)
            if "Memento-Datetime" in resp.headers or not 300 <= resp.status < 400:
                return resp
            location = resp.headers.get("Location")
            nxt = urljoin(target, location) if location else ""
            if not self.in_archive(nxt):
                raise PermanentError(f"archive redirect leaves the archive: {nxt[:200]!r}", target, resp.status)
            target = nxt
        raise PermanentError(f"more than {max_hops} archive redirects", target)
