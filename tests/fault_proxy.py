"""Test helper: a reverse proxy on 127.0.0.1 that injects the faults archive.org shows under load.

Faults, drawn per request from a seeded generator (deterministic for a sequential client): 429 with
Retry-After, 503, a connection reset before any answer, a body cut short (Content-Length promised, half
sent, connection reset) and a slow body (half, a pause, the rest). `match` limits faults to request paths
containing that string.
"""

from __future__ import annotations

import http.client
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

KINDS = ("429", "503", "reset", "truncate", "slow")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "te", "trailer", "upgrade"}


@dataclass
class FaultConfig:
    rate: float = 0.5
    seed: int = 0
    kinds: tuple[str, ...] = KINDS
    retry_after: str = "1"
    slow_pause: float = 0.5
    match: str | None = None


@dataclass
class FaultProxy:
    """Forwards GETs to `upstream` (scheme://host:port), injecting faults; `url` is the proxy's base."""

    upstream: str
    config: FaultConfig = field(default_factory=FaultConfig)

    def __post_init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self._rng = random.Random(self.config.seed)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                proxy._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _pick(self, path: str) -> str | None:
        with self._lock:
            self.counts["requests"] += 1
            if self.config.match and self.config.match not in path:
                return None
            if self._rng.random() >= self.config.rate:
                return None
            kind = self._rng.choice(self.config.kinds)
            self.counts[kind] += 1
            return kind

    @staticmethod
    def _reset(h: BaseHTTPRequestHandler) -> None:
        h.wfile.flush()
        # SO_LINGER 0: close sends RST, which the client sees as "connection reset by peer".
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.user_agents.append(h.headers.get("User-Agent", ""))
        kind = self._pick(h.path)
        try:
            if kind == "reset":
                return self._reset(h)
            if kind in ("429", "503"):
                h.send_response(int(kind))
                if kind == "429":
                    h.send_header("Retry-After", self.config.retry_after)
                h.send_header("Content-Length", "4")
                h.end_headers()
                h.wfile.write(b"busy")
                return
            up = urlsplit(self.upstream)
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=30)
            conn.request("GET", h.path, headers={"User-Agent": h.headers.get("User-Agent", "")})
            resp = conn.getresponse()
            body = resp.read()
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
            conn.close()
            h.send_response(resp.status, resp.reason)
            for k, v in headers:
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if kind == "truncate" and body:
                h.wfile.write(body[: len(body) // 2])
                return self._reset(h)
            if kind == "slow":
                h.wfile.write(body[: len(body) // 2])
                h.wfile.flush()
                time.sleep(self.config.slow_pause)
                h.wfile.write(body[len(body) // 2 :])
                return
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (its timeout): nothing to answer
