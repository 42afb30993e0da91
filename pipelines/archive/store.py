"""Content-addressed raw payload store: one gzip file per sha256, written atomically.

Files are written to a temporary name in the same folder and renamed into place, so a crash never
leaves a half file under a real name; a payload already present is never written (or fetched) again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from isal import igzip

from pipelines.warehouse.files import write_atomic

STORE_LEVEL = 2  # ISA-L levels run 0 to 3


def sha256(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


class RawStore:
    """A folder of payloads addressed by their sha256 (`ab/cd/<sha256>.gz`)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest[2:4] / f"{digest}.gz"

    def has(self, digest: str) -> bool:
        """Whether the payload is stored. An empty file (a write not yet flushed when the machine went down)
        does not count, so the payload is written again."""
        try:
            return self.path(digest).stat().st_size > 0
        except FileNotFoundError:
            return False

    def put(self, data: bytes, sync: bool = True, digest: str | None = None) -> str:
        """Store bytes (once) and return their sha256 (`digest`, when the caller has it already).

        With sync=False the file is not fsynced: a caller writing many payloads flushes them once with
        `flush()` before it records them anywhere (one fsync per payload costs more than hashing it).
        """
        digest = digest or sha256(data)
        target = self.path(digest)
        if self.has(digest):
            return digest
        # Every payload of a build is compressed here: ISA-L's level 2 is seven times as fast as zlib's level 3
        # for 3% more bytes on archived HTML (see docs/archive-access.md), and writes plain gzip. mtime=0 keeps the
        # stored file byte-identical across runs.
        write_atomic(target, igzip.compress(data, compresslevel=STORE_LEVEL, mtime=0), sync)
        return digest

    @staticmethod
    def flush() -> None:
        """Make every payload written with sync=False durable (one sync of the file systems)."""
        os.sync()

    def get(self, digest: str) -> bytes:
        """The bytes stored under digest, verified."""
        data = igzip.decompress(self.path(digest).read_bytes())
        if sha256(data) != digest:
            raise ValueError(f"raw store corrupt: {digest} does not match its content")
        return data
