"""What changed between two versions: segment alignment and the version_changes rows."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from pipelines.history.changes import diff_segments, diff_versions


def test_diff_counts_on_a_constructed_pair() -> None:
    old = {
        "s1": "We collect your email address.",
        "s2": "We share data with our partners for marketing.",
        "s3": "Cookies help us remember your settings.",
        "s4": "We keep logs for one year.",
    }
    new = {
        "s1": "We collect your email address.",  # same id: unchanged
        "n2": "We share data with our trusted partners for marketing.",  # edited: modified
        "n3": "Cookies help us remember your settings.",  # moved (new id, same text): unchanged
        "n5": "You can ask us to delete your account at any time.",  # added
    }  # s4 removed
    assert diff_segments(old, new) == (1, 1, 1, 2)


def test_unrelated_segments_are_not_paired() -> None:
    assert diff_segments({"a": "We use encryption."}, {"b": "Children under 13 may not register."}) == (1, 1, 0, 0)


def test_diff_versions_reports_practices_and_stated_dates() -> None:
    versions = pd.DataFrame(
        [
            {
                "site_id": "x",
                "version_no": 1,
                "version_id": "x#001",
                "payload_sha256": "a",
                "valid_from": datetime(2019, 1, 1),
                "last_captured_at": datetime(2019, 6, 1),
                "stated_date": "2018-12-01",
            },
            {
                "site_id": "x",
                "version_no": 2,
                "version_id": "x#002",
                "payload_sha256": "b",
                "valid_from": datetime(2019, 9, 1),
                "last_captured_at": datetime(2020, 1, 1),
                "stated_date": "2019-08-15",
            },
        ]
    )
    texts = {"a": "We collect email.", "b": "We collect email. We share it with advertisers."}
    segs = {"a": {"1": "We collect email."}, "b": {"1": "We collect email.", "2": "We share it with advertisers."}}
    practices = {"a": {"First Party Collection/Use"}, "b": {"First Party Collection/Use", "Third Party Sharing"}}
    rows = diff_versions(versions, texts, segs, practices).to_dict("records")
    assert len(rows) == 1
    r = rows[0]
    assert (r["from_version_id"], r["to_version_id"]) == ("x#001", "x#002")
    assert (r["changed_after"], r["valid_from"]) == (datetime(2019, 6, 1), datetime(2019, 9, 1))
    assert (r["segments_added"], r["segments_removed"], r["segments_modified"], r["segments_unchanged"]) == (1, 0, 0, 1)
    assert r["practices_gained"] == ["Third Party Sharing"] and r["practices_lost"] == []
    assert (r["stated_date_from"], r["stated_date_to"]) == ("2018-12-01", "2019-08-15")
    assert 0 < r["similarity"] < 1


def test_text_similarity_counts_words_in_common_in_order():
    from pipelines.history.changes import text_similarity

    a = "We collect your email address."
    assert text_similarity(a, a) == 1.0
    assert text_similarity(a, "WE  collect\nyour email address.") == 1.0  # case and spacing do not count
    # the 5 words kept, 6 added: 2 * 5 / (5 + 11)
    assert text_similarity(a, a + " We never sell it to anyone.") == round(10 / 16, 4)
    # two unrelated sentences share letters, not words
    assert text_similarity("cookies track visits", "children under thirteen") == 0.0
    assert text_similarity("", a) == 0.0
