"""Polite HTTP for archive servers: one request at a time at a set rate, bounded, retried, typed errors.

Every request has a connect/read timeout and a total deadline for its body (a server that drips bytes
cannot hold a worker forever), a size bound, and never follows a redirect (callers decide whether a
Location stays inside the configured archive). 429, 5xx, 408, resets, timeouts and truncated bodies are
transient: retried with exponential backoff and full jitter, waiting at least what Retry-After asks.
Other 4xx are permanent. Exhausted retries raise `TransientError`, so a caller can record the capture as
unavailable and try again on a later run. A refused connection, a failed DNS lookup or a connect timeout is a
fault of the archive, not of one capture or site: after a short, bounded retry the client raises
`ArchiveUnreachable`, and raises it again at once on every later call, so a build fails fast, once.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

try:
    _VERSION = version("policy-history")
except PackageNotFoundError:  # running from a source tree without an install
    _VERSION = "0"

CONTACT = "https://github.com/policy-history/policy-history"
USER_AGENT = f"policy-history/{_VERSION} (+{CONTACT})"

# archive.org asks crawlers to stay well under its limits (it answers 429 and blocks IPs that push);
# one request a second is what its CDX documentation and community tools treat as safe for sustained runs.
DEFAULT_RATE = 1.0
# The Wayback Machine's CDX server allows about 30 queries a minute (0.5/s), shared by all of a client's work.
DEFAULT_CDX_RATE = 0.4
DEFAULT_TIMEOUT = (10.0, 60.0)  # connect, read (per socket read)
DEFAULT_DEADLINE = 180.0  # whole request, body included
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CONNECT_ATTEMPTS = 3  # a server that refuses 3 times over about 3 s is down, not busy
CONNECT_RETRY_WAIT = 1.0  # doubled after each refusal
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 509, 520, 521, 522, 523, 524})
# A 429 says the client as a whole asks too often, not that one URL is busy: the rate of every later request
# (every site's) is divided by this much more, up to MAX_SLOWDOWN, and recovers one step per RECOVER_AFTER
# answers without one.
SLOWDOWN_FACTOR = 2.0
MAX_SLOWDOWN = 16.0
RECOVER_AFTER = 50


class HttpError(Exception):
    """A request that did not give a usable answer."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class TransientError(HttpError):
    """Worth retrying later: rate limited, server error, reset, timeout, truncated body (retries exhausted)."""


class PermanentError(HttpError):
    """Retrying will not help: 4xx, oversize body, a URL we refuse to fetch."""


class TooLargeError(PermanentError):
    """The body is larger than the client's bound."""


class _ConnectFailed(TransientError):
    """No connection at all: refused, unknown host, connect timeout."""


class ArchiveUnreachable(Exception):  # noqa: N818 - a state of the archive, not an error of one request
    """The archive server cannot be reached at all. Not an `HttpError`: no per-site or per-capture handler
    may take it for a fault of that site or capture."""


@dataclass(frozen=True)
class Response:
    """A fully read response. `body` is the bytes as sent (no Content-Encoding decoding)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteClient:
    """A rate-limited, retrying HTTP GET client (state: the session, the rate clock, counters)."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_attempts: int = 6,
        backoff: float = 2.0,
        max_backoff: float = 300.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        connect_attempts: int = CONNECT_ATTEMPTS,
        connect_retry_wait: float = CONNECT_RETRY_WAIT,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        seed: int | None = None,
    ) -> None:
        """`rate` is requests per second over all calls of this client (0 or less: no limit)."""
        self.rate = rate
        self.timeout = timeout
        self.deadline = deadline
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_bytes = max_bytes
        self.connect_attempts = max(1, connect_attempts)
        self.connect_retry_wait = connect_retry_wait
        self.unreachable: ArchiveUnreachable | None = None
        self.sleep = sleep
        self.clock = clock
        import requests  # noqa: PLC0415 - here, not at the top: a build from WARC files never needs HTTP (~50 ms)

        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.trust_env = False  # no ambient proxies: the archive is configuration, not environment
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._next_at = 0.0
        self.slowdown = 1.0  # the rate is divided by this after 429s (see SLOWDOWN_FACTOR)
        self._calm = 0  # answers since the last 429
        self.n_requests = 0
        self.n_retries = 0
        self.n_rate_limited = 0

    def _wait_turn(self) -> None:
        if self.rate <= 0:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next_at)
            self._next_at = start + self.slowdown / self.rate
        if start > now:
            self.sleep(start - now)

    def _note_rate_limit(self, limited: bool) -> None:
        with self._lock:
            if limited:
                self.n_rate_limited += 1
                self.slowdown = min(self.slowdown * SLOWDOWN_FACTOR, MAX_SLOWDOWN)
                self._calm = 0
                log.warning("archive answered 429: every request now waits %.1fx longer", self.slowdown)
            elif self.slowdown > 1.0:
                self._calm += 1
                if self._calm >= RECOVER_AFTER:
                    self.slowdown, self._calm = max(1.0, self.slowdown / SLOWDOWN_FACTOR), 0

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        # Full jitter keeps many workers from retrying in step; Retry-After is a floor, not a suggestion.
        wait = self._rng.uniform(0, min(self.max_backoff, self.backoff * 2**attempt))
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_backoff))
        return wait

    def _once(self, url: str, params: Mapping[str, str] | None) -> Response:
        import requests  # noqa: PLC0415 - see __init__
        import urllib3  # noqa: PLC0415

        started = self.clock()
        try:
            with self.session.get(url, params=params, timeout=self.timeout, allow_redirects=False, stream=True) as resp:
                chunks: list[bytes] = []
                size = 0
                # decode_content=False: digests are over the bytes as archived, before Content-Encoding.
                for chunk in resp.raw.stream(64 * 1024, decode_content=False):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLargeError(f"body over {self.max_bytes} bytes", url, resp.status_code)
                    if self.clock() - started > self.deadline:
                        raise TransientError(f"body not read within {self.deadline:.0f}s", url, resp.status_code)
                    chunks.append(chunk)
                headers = requests.structures.CaseInsensitiveDict(resp.headers)
                return Response(resp.url, resp.status_code, headers, b"".join(chunks))
        except HttpError:
            raise
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            # raw.stream() raises urllib3's own errors (IncompleteRead, ReadTimeoutError), not requests'.
            if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
                raise PermanentError(f"bad URL: {exc}", url) from exc
            if _no_connection(exc):
                raise _ConnectFailed(_connect_reason(exc), url) from exc
            raise TransientError(f"{type(exc).__name__}: {str(exc)[:200]}", url) from exc

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        accept: Callable[[Response], bool] | None = None,
    ) -> Response:
        """GET url, retrying transient faults; return the response or raise Transient/PermanentError.

        A response for which `accept` says True is returned whatever its status (replay servers answer
        an archived 404 or 503 as such, marked by a Memento-Datetime header). Otherwise 2xx and 3xx are
        returned, transient statuses retried and the rest raised as permanent. Raises `ArchiveUnreachable`
        when the server cannot be connected to (see the module docstring).
        """
        if self.unreachable is not None:
            raise self.unreachable
        last: HttpError | None = None
        refused = 0
        for attempt in range(self.max_attempts):
            if attempt:
                self.n_retries += 1
            self._wait_turn()
            self.n_requests += 1
            retry_after = None
            try:
                resp = self._once(url, params)
            except _ConnectFailed as exc:
                refused += 1
                if refused >= self.connect_attempts:
                    self.unreachable = ArchiveUnreachable(
                        f"archive unreachable at {urlsplit(url).netloc}: {exc} ({refused} attempts)"
                    )
                    raise self.unreachable from exc
                self.sleep(self.connect_retry_wait * 2 ** (refused - 1))
                continue
            except TransientError as exc:
                last = exc
            else:
                self._note_rate_limit(resp.status == 429)
                if (accept and accept(resp)) or resp.status < 400:
                    return resp
                if resp.status not in TRANSIENT_STATUS:
                    raise PermanentError(f"HTTP {resp.status}", url, resp.status)
                retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                last = TransientError(f"HTTP {resp.status}", url, resp.status)
            if attempt + 1 < self.max_attempts:
                wait = self._backoff(attempt, retry_after)
                log.info("retry %d/%d of %s in %.1fs: %s", attempt + 1, self.max_attempts - 1, url, wait, last)
                self.sleep(wait)
        assert last is not None
        raise last


def _no_connection(exc: BaseException) -> bool:
    """Whether no connection was made at all (as opposed to one dropped mid-answer, which is transient)."""
    import requests  # noqa: PLC0415 - see PoliteClient.__init__
    import urllib3  # noqa: PLC0415

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, urllib3.exceptions.NewConnectionError):  # refused; NameResolutionError is one too
            return True
        seen = getattr(seen, "reason", None) or seen.__cause__ or seen.__context__
    return False


def _connect_reason(exc: BaseException) -> str:
    import requests  # noqa: PLC0415 - see PoliteClient.__init__

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect timeout"
    text = str(exc)
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return "host name not found"
    return "connection refused" if "refused" in text.lower() else "no connection"
