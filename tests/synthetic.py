"""A small warehouse built in-test from synthetic policy texts, through the real stage functions."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import textstat

from pipelines.history.stage import build_changes, build_versions
from pipelines.practices.rules import RulesTagger
from pipelines.practices.stage import tag_segments
from pipelines.text.dates import stated_date
from pipelines.text.describe import language
from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.text.normalize import text_hash
from pipelines.text.stage import segment_documents
from pipelines.warehouse import models, tables

INTRO = "# Privacy Policy\n\nThis privacy policy describes how {site} handles your information.\n\n"
COLLECT = "## Collection\n\nWe collect your name and email address when you create an account.\n\n"
SECURITY = "## Security\n\nWe use encryption to protect your data against unauthorized access.\n\n"
SHARING = "## Sharing\n\nWe share your personal information with third parties for advertising purposes.\n\n"
GDPR = (
    "## Your rights\n\nUnder the GDPR you have the right to access, correct and delete your personal data; "
    "contact our data protection officer.\n\n"
)
FOOTER = "© {year} {site} Inc. All rights reserved.\n"


def policy(site: str, year: int, *sections: str) -> str:
    """A policy text: intro, the given sections, and a copyright footer for `year`."""
    return INTRO.format(site=site) + "".join(sections) + FOOTER.format(year=year, site=site)


# site -> [(captured_at, text)]: what is in force, and when, is known by construction.
HISTORY: dict[str, list[tuple[datetime, str]]] = {
    "alpha": [
        (datetime(2016, 3, 1), policy("Alpha", 2016, COLLECT)),
        (datetime(2017, 3, 1), policy("Alpha", 2017, COLLECT)),  # copyright year only
        (datetime(2018, 7, 1), policy("Alpha", 2018, COLLECT, GDPR)),  # adds GDPR rights
        (datetime(2019, 3, 1), policy("Alpha", 2019, COLLECT, GDPR)),
        (datetime(2020, 2, 1), policy("Alpha", 2020, COLLECT, SHARING, GDPR)),  # starts sharing
    ],
    "beta": [
        (datetime(2017, 5, 1), policy("Beta", 2017, COLLECT, SHARING)),
        (datetime(2019, 1, 15), policy("Beta", 2019, COLLECT, SHARING, GDPR)),
        (datetime(2020, 6, 1), policy("Beta", 2020, COLLECT, SHARING, GDPR)),
    ],
    "gamma": [
        (datetime(2018, 1, 10), policy("Gamma", 2018, COLLECT, SECURITY)),
        (datetime(2020, 1, 10), policy("Gamma", 2020, COLLECT, SECURITY)),
    ],
}


def _sha(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def build_warehouse(db: Path, history: dict[str, list[tuple[datetime, str]]] = HISTORY) -> Path:
    """Load captures and documents for `history`, then run segmenting, tagging, versions, changes, models."""
    captures, payloads, documents = [], {}, {}
    for site, caps in history.items():
        url = f"https://{site}.example/privacy"
        for when, text in caps:
            sha = _sha(text)
            captures.append(
                {
                    "capture_id": _sha(url, when),
                    "site_id": site,
                    "url": url,
                    "captured_at": when,
                    "status_code": 200,
                    "mime": "text/html",
                    "digest": "sha1:" + sha[:32],
                    "record_type": "response",
                    "source": "test",
                    "payload_sha256": sha,
                    "fetch_status": "ok",
                    "shard": 0,
                }
            )
            payloads[sha] = {"payload_sha256": sha, "n_bytes": len(text), "first_captured_at": when}
            sd = stated_date(text, when)
            documents[sha] = {
                "payload_sha256": sha,
                "extractor_version": EXTRACTOR_VERSION,
                "status": "ok",
                "title": "Privacy Policy",
                "language": language(text),
                "text": text,
                "text_sha256": text_hash(text),
                "is_policy": True,
                "policy_score": 1.0,
                "stated_date": sd.value if sd else None,
                "word_count": len(text.split()),
                "fk_grade": textstat.flesch_kincaid_grade(text),
            }
    with tables.connect(db) as con:
        tables.replace(con, "captures", captures)
        tables.upsert(con, "payloads", list(payloads.values()))
        tables.upsert(con, "documents", list(documents.values()))
        tagger = RulesTagger()
        segment_documents(con, [0])
        tag_segments(con, tagger, [0])
        build_versions(con, [0])
        build_changes(con, tagger, [0])
        models.run_models(con)
    return db
