"""What changed between consecutive versions of a site's policy."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from pipelines.text.normalize import normalize

MODIFIED_MIN_SIMILARITY = 80  # rapidfuzz ratio at which an unmatched pair counts as one edited segment


def diff_segments(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[int, int, int, int]:
    """(added, removed, modified, unchanged) between two {segment_id: text} maps.

    Alignment in three passes: equal stable ids; then equal normalized text (a segment that moved under
    another heading keeps its words); then the remaining pairs by fuzzy similarity, best pairs first, each
    segment used once, a pair counting as one edited segment at MODIFIED_MIN_SIMILARITY or above.
    """
    same_id = old.keys() & new.keys()
    rest_old = {k: normalize(v) for k, v in old.items() if k not in same_id}
    rest_new = {k: normalize(v) for k, v in new.items() if k not in same_id}
    by_text: dict[str, list[str]] = {}
    for k, t in rest_old.items():
        by_text.setdefault(t, []).append(k)
    moved = 0
    for k, t in list(rest_new.items()):
        if by_text.get(t):
            del rest_old[by_text[t].pop()]
            del rest_new[k]
            moved += 1
    modified = 0
    if rest_old and rest_new:
        olds, news = list(rest_old.values()), list(rest_new.values())
        scores = cdist(news, olds, scorer=fuzz.ratio, score_cutoff=MODIFIED_MIN_SIMILARITY, workers=1)
        used_new: set[int] = set()
        used_old: set[int] = set()
        for flat in np.argsort(-scores, axis=None, kind="stable"):
            i, j = divmod(int(flat), len(olds))
            if scores[i, j] < MODIFIED_MIN_SIMILARITY:
                break
            if i not in used_new and j not in used_old:
                used_new.add(i)
                used_old.add(j)
        modified = len(used_new)
    return len(rest_new) - modified, len(rest_old) - modified, modified, len(same_id) + moved


def text_similarity(a: str, b: str) -> float:
    """0-1 share of the two texts' words that they have in common, in order (Indel similarity over normalized
    words, to 4 places). Over words, not characters: two unrelated policies share most of their letters and
    read as ~50% alike by characters (~20% by words), and it costs an eighth."""
    return round(Indel.normalized_similarity(normalize(a).split(), normalize(b).split()), 4)


def _reads(language: object, languages: Collection[str]) -> bool:
    """Whether a tagger reading `languages` reads a text in `language` (an undetected language is read: the
    tags are all there is to go by)."""
    return not isinstance(language, str) or not language or language in languages


def diff_versions(
    versions: pd.DataFrame,
    texts: Mapping[str, str],
    segments: Mapping[str, Mapping[str, str]],
    practices: Mapping[str, set[str]],
    languages: Collection[str] = ("en",),
) -> pd.DataFrame:
    """One `version_changes` row per consecutive pair of versions.

    `texts`, `segments` ({segment_id: text}) and `practices` (practice id set) are keyed by payload_sha256;
    `languages` are those the tagger reads. A change of language is a translation: its practices gained and
    lost are unknown (null), as are those of a pair the tagger cannot read both of, never "lost" because the
    tagger went blind.
    """
    rows = []
    for site_id, site in versions.sort_values(["site_id", "version_no"]).groupby("site_id"):
        prev = None
        for v in site.itertuples(index=False):
            if prev is not None:
                a, b = prev.payload_sha256, v.payload_sha256
                added, removed, modified, unchanged = diff_segments(segments.get(a, {}), segments.get(b, {}))
                pa, pb = practices.get(a, set()), practices.get(b, set())
                la, lb = getattr(prev, "language", None), getattr(v, "language", None)
                translated = isinstance(la, str) and isinstance(lb, str) and bool(la) and bool(lb) and la != lb
                known = not translated and _reads(la, languages) and _reads(lb, languages)
                rows.append(
                    {
                        "site_id": site_id,
                        "from_version_id": prev.version_id,
                        "to_version_id": v.version_id,
                        "changed_after": prev.last_captured_at,
                        "valid_from": v.valid_from,
                        "similarity": text_similarity(texts.get(a, ""), texts.get(b, "")),
                        "segments_added": added,
                        "segments_removed": removed,
                        "segments_modified": modified,
                        "segments_unchanged": unchanged,
                        "practices_gained": sorted(pb - pa) if known else None,
                        "practices_lost": sorted(pa - pb) if known else None,
                        "stated_date_from": prev.stated_date,
                        "stated_date_to": v.stated_date,
                        "change_kind": "translated" if translated else "edited",
                        "language_from": la,
                        "language_to": lb,
                    }
                )
            prev = v
    return pd.DataFrame(rows)
