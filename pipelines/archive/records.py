"""Records that cross stages. Each mirrors (part of) a warehouse table in `schema.py`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import datetime


@dataclass(frozen=True)
class Capture:
    """One archived capture, as a source (WARC file or CDX server) describes it.

    Columns are those of the `captures` table; `payload_sha256` and `fetch_status` are filled once the
    payload has been stored (or could not be).
    """

    site_id: str
    url: str
    captured_at: datetime
    status_code: int | None
    mime: str | None
    digest: str | None
    record_type: str
    source: str
    redirect_to: str | None = None
    payload_sha256: str | None = None
    fetch_status: str = "ok"
    shard: int = 0
    content_type: str | None = None
    fetch_state: str = "fetched"
    inferred_after: str | None = None
    inferred_before: str | None = None

    @property
    def capture_id(self) -> str:
        key = f"{self.url}\t{self.captured_at:%Y%m%d%H%M%S}\t{self.digest or ''}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def row(self) -> dict:
        """The capture as a `captures` table row."""
        # a shallow copy: asdict's deep copy costs more than reading the record from the WARC
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "content_type"}
        d["capture_id"] = self.capture_id
        return d
