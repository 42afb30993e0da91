"""The sources config: which sites to follow and where their policies live.

A sources file is TOML with one `[[site]]` table per site:

    [[site]]
    id = "acme-widgets"                      # readable slug, the site's key everywhere
    name = "Acme Widgets"
    policy_urls = ["http://www.acme-widgets.example/privacy"]
    homepage = "http://www.acme-widgets.example/"   # optional; used to discover policy URLs

and an optional `[archive]` table saying where captures come from:

    [archive]
    warc = ["../warehouse/sample/sample.warc.gz"]   # files or folders, relative to the sources file
    # or a CDX server and its replay base (payloads are fetched as {replay}/{timestamp}id_/{url}):
    cdx = "https://web.archive.org/cdx/search/cdx"
    replay = "https://web.archive.org/web"
    rate = 1.0          # optional: replay requests per second (0 = unlimited, only for a local archive)
    cdx_rate = 0.4      # optional: CDX queries per second (the Wayback Machine allows about 30 a minute)
    fetch = "bisect"    # or "all": which listed captures are fetched (see `bisect.py`)
    max_unprobed_days = 180   # bisect: no two fetched captures of a site further apart than this
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
FETCH_STRATEGIES = ("bisect", "all")
# Long enough that a policy unchanged for years costs a few fetches a year, short enough that a text put up
# and taken back (A -> B -> A) within a long unchanged-looking span is still probed inside it.
DEFAULT_MAX_UNPROBED_DAYS = 180.0


class SourcesError(ValueError):
    """The sources file is missing or malformed."""


@dataclass(frozen=True)
class Site:
    id: str
    name: str = ""
    policy_urls: tuple[str, ...] = ()
    homepage: str | None = None


@dataclass
class Sources:
    sites: list[Site] = field(default_factory=list)
    warc_paths: list[Path] = field(default_factory=list)
    cdx: str | None = None
    replay: str | None = None
    rate: float | None = None  # replay requests per second; None = the client's polite default
    cdx_rate: float | None = None  # CDX queries per second; None = DEFAULT_CDX_RATE
    fetch: str = "bisect"
    max_unprobed_days: float = DEFAULT_MAX_UNPROBED_DAYS

    def only(self, site_ids: set[str]) -> Sources:
        """The same sources restricted to some sites."""
        return dataclasses.replace(self, sites=[s for s in self.sites if s.id in site_ids])

    def site_for_url(self, url: str) -> str | None:
        """The id of the site whose policy URL or homepage matches url (scheme/www/slash-insensitive)."""
        key = url_key(url)
        return self._index().get(key)

    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for site in self.sites:
            for u in (*site.policy_urls, *([site.homepage] if site.homepage else [])):
                index.setdefault(url_key(u), site.id)
        return index


def url_key(url: str) -> str:
    """A URL reduced to what identifies the page: host without www, path without trailing slash, query."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def host_slug(url: str) -> str:
    """A site id made from a URL's host, for archives given without a sources file."""
    host = (urlsplit(url).hostname or "unknown").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9.-]+", "-", host)


def shard_of(site_id: str, n_shards: int) -> int:
    """Stable shard of a site (independent of Python's hash seed)."""
    return int(hashlib.sha1(site_id.encode()).hexdigest(), 16) % n_shards


def load_sources(path: Path | str) -> Sources:
    """Read and validate a sources TOML file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"sources file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from exc
    sites = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("site", [])):
        sid = entry.get("id", "")
        if not SLUG_RE.match(sid):
            raise SourcesError(f"{path}: site #{i + 1} needs an id of lowercase letters, digits, '.-_'")
        if sid in seen:
            raise SourcesError(f"{path}: site id {sid!r} appears twice")
        seen.add(sid)
        urls = tuple(entry.get("policy_urls", []))
        if not urls and not entry.get("homepage"):
            raise SourcesError(f"{path}: site {sid!r} needs policy_urls or a homepage")
        sites.append(Site(sid, entry.get("name", sid), urls, entry.get("homepage")))
    if not sites:
        raise SourcesError(f"{path}: no [[site]] entries")
    archive = raw.get("archive", {})
    warcs = [(path.parent / w).resolve() for w in archive.get("warc", [])]
    if archive.get("cdx") and not archive.get("replay"):
        raise SourcesError(f"{path}: [archive] cdx needs a replay base to fetch payloads from")
    for name in ("rate", "cdx_rate"):
        value = archive.get(name)
        if value is not None and (not isinstance(value, int | float) or value < 0):
            raise SourcesError(f"{path}: [archive] {name} must be a number of requests per second >= 0")
    fetch = archive.get("fetch", "bisect")
    if fetch not in FETCH_STRATEGIES:
        raise SourcesError(f"{path}: [archive] fetch must be one of {', '.join(FETCH_STRATEGIES)}, not {fetch!r}")
    days = archive.get("max_unprobed_days", DEFAULT_MAX_UNPROBED_DAYS)
    if not isinstance(days, int | float) or days <= 0:
        raise SourcesError(f"{path}: [archive] max_unprobed_days must be a number of days > 0")
    return Sources(
        sites,
        warcs,
        archive.get("cdx"),
        archive.get("replay"),
        archive.get("rate"),
        archive.get("cdx_rate"),
        fetch,
        float(days),
    )
