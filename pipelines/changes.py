"""What changed between consecutive versions of a site's policy."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import extractOne

from pipelines.extract import normalize

MODIFIED_MIN_SIMILARITY = 80  # rapidfuzz ratio at which an unmatched pair counts as one edited segment


def diff_segments(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[int, int, int, int]:
    """(added, removed, modified, unchanged) between two {segment_id: text} maps.

    Ids match unchanged segments; the rest are paired greedily by fuzzy similarity of their text.
    """
    unchanged = old.keys() & new.keys()
    removed = {k: normalize(v) for k, v in old.items() if k not in unchanged}
    added = {k: normalize(v) for k, v in new.items() if k not in unchanged}
    modified = 0
    for text in list(added.values()):
        if not removed:
            break
        hit = extractOne(text, removed, scorer=fuzz.ratio, score_cutoff=MODIFIED_MIN_SIMILARITY)
        if hit:
            modified += 1
            del removed[hit[2]]
    return len(added) - modified, len(removed), modified, len(unchanged)


def diff_versions(
    versions: pd.DataFrame,
    texts: Mapping[str, str],
    segments: Mapping[str, Mapping[str, str]],
    practices: Mapping[str, set[str]],
) -> pd.DataFrame:
    """One `version_changes` row per consecutive pair of versions.

    `texts`, `segments` ({segment_id: text}) and `practices` (category set) are keyed by payload_sha256.
    """
    rows = []
    for site_id, site in versions.sort_values(["site_id", "version_no"]).groupby("site_id"):
        prev = None
        for v in site.itertuples(index=False):
            if prev is not None:
                a, b = prev.payload_sha256, v.payload_sha256
                added, removed, modified, unchanged = diff_segments(segments.get(a, {}), segments.get(b, {}))
                pa, pb = practices.get(a, set()), practices.get(b, set())
                rows.append(
                    {
                        "site_id": site_id,
                        "from_version_id": prev.version_id,
                        "to_version_id": v.version_id,
                        "changed_after": prev.last_captured_at,
                        "changed_before": v.first_captured_at,
                        "similarity": round(
                            fuzz.ratio(normalize(texts.get(a, "")), normalize(texts.get(b, ""))) / 100, 4
                        ),
                        "segments_added": added,
                        "segments_removed": removed,
                        "segments_modified": modified,
                        "segments_unchanged": unchanged,
                        "practices_gained": sorted(pb - pa),
                        "practices_lost": sorted(pa - pb),
                        "stated_date_from": prev.stated_date,
                        "stated_date_to": v.stated_date,
                    }
                )
            prev = v
    return pd.DataFrame(rows)
