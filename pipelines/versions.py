"""Group a site's policy captures into versions by normalized text."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from pipelines.extract import normalize

# Parts of a policy page that change without the policy changing: dates, copyright lines, counters.
_VOLATILE = [
    re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]\s*)?\d{4}[^.\n]*", re.I),
    re.compile(
        r"(?:last (?:updated|modified|revised)|effective(?: date)?|updated|revised)\s*(?:on|as of)?\s*:?\s*"
        r"[a-z]{3,9}\.? \d{1,2},? \d{4}",
        re.I,
    ),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"),
]

VERSION_INPUT_COLUMNS = [
    "capture_id",
    "site_id",
    "url",
    "captured_at",
    "payload_sha256",
    "text",
    "stated_date",
    "word_count",
]


def version_key(text: str) -> str:
    """Hash of the text with volatile parts masked: equal keys mean the same version.

    Stated dates are masked too, so that a policy whose only change is a refreshed 'last updated' line
    does not count as a new version of its text.
    """
    t = text
    for rx in _VOLATILE:
        t = rx.sub(" ", t)
    return hashlib.sha256(normalize(t).encode()).hexdigest()


def group_versions(captures: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Versions and the capture->version map from policy captures (columns VERSION_INPUT_COLUMNS).

    Consecutive captures (in time, per site) with the same version key form one version; a later
    return to an earlier text is a new version, as the policy in force did change.
    """
    versions: list[dict] = []
    links: list[dict] = []
    df = captures.sort_values(["site_id", "captured_at", "capture_id"])
    for site_id, site in df.groupby("site_id", sort=True):
        current: dict | None = None
        prev_key = None
        n = 0
        for row in site.itertuples(index=False):
            key = version_key(row.text)
            if current is None or key != prev_key:
                changed_after = current["last_captured_at"] if current else None
                if current:
                    current["valid_to"] = row.captured_at
                n += 1
                current = {
                    "version_id": f"{site_id}#{n:03d}",
                    "site_id": site_id,
                    "version_no": n,
                    "url": row.url,
                    "text_sha256": key,
                    "payload_sha256": row.payload_sha256,
                    "first_captured_at": row.captured_at,
                    "last_captured_at": row.captured_at,
                    "changed_after": changed_after,
                    "valid_to": None,
                    "n_captures": 0,
                    "stated_date": row.stated_date,
                    "word_count": row.word_count,
                    "is_current": False,
                }
                versions.append(current)
                prev_key = key
            current["last_captured_at"] = row.captured_at
            current["n_captures"] += 1
            links.append({"capture_id": row.capture_id, "site_id": site_id, "version_id": current["version_id"]})
        if current:
            current["is_current"] = True
    return pd.DataFrame(versions), pd.DataFrame(links, columns=["capture_id", "site_id", "version_id"])
