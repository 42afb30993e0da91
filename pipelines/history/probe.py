"""The judge a bisecting fetch asks (`archive/bisect.py`): what policy text a payload holds, and whether two
payloads hold one version, in exactly the terms `versions.py` groups captures by."""

from __future__ import annotations

from datetime import datetime

from pipelines.history.versions import Fingerprint, fingerprint, same_version
from pipelines.text.extract import extract


class VersionJudge:
    """`TextJudge` over the documents stage's extraction and the versions' fingerprints (stateless)."""

    def read(self, payload: bytes, content_type: str | None, captured_at: datetime) -> Fingerprint | None:
        """The fingerprint of the payload's text when the documents stage would call it a policy, else None."""
        doc = extract(payload, content_type, None, captured_at)
        return fingerprint(doc.text) if doc.status == "ok" and doc.is_policy else None

    def same(self, a: Fingerprint, b: Fingerprint, captured_at: datetime) -> bool:
        """Whether `b`, captured at `captured_at`, shows the same version as `a` (`versions.same_version`)."""
        return same_version(a, b, captured_at)
