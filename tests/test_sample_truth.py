"""The whole pipeline, through a real Dagster materialization, against the sample archive's ground truth."""

import json

import duckdb
import pandas as pd
import pytest

from pipelines.build import build
from pipelines.extract import normalize
from pipelines.sample import write_sample


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("demo")
    files = write_sample(out / "sample")
    db = out / "policy.duckdb"
    first = build(db, [files.warc], sources=files.sources)
    rerun = build(db, [files.warc], sources=files.sources)
    return {"files": files, "db": db, "first": first, "rerun": rerun}


@pytest.fixture(scope="module")
def joined(built: dict) -> pd.DataFrame:
    truth = pd.read_csv(built["files"].truth_captures, dtype={"stated_date": str})
    con = duckdb.connect(str(built["db"]), read_only=True)
    ours = con.sql(
        """select c.url, strftime(c.captured_at, '%Y-%m-%dT%H:%M:%SZ') as captured_at, c.fetch_status,
                  d.is_policy as our_is_policy, cast(d.stated_date as varchar) as our_stated_date, cv.version_id
           from captures c left join documents d using (payload_sha256)
           left join capture_versions cv using (capture_id)"""
    ).df()
    con.close()
    return truth.merge(ours, on=["url", "captured_at"], how="left").sort_values(["site_id", "captured_at"])


def test_build_succeeds_with_every_check_passing(built: dict) -> None:
    assert built["first"]["ok"], built["first"]["errors"]
    assert built["first"]["failed_checks"] == []


def test_every_archived_record_becomes_one_capture_row(built: dict, joined: pd.DataFrame) -> None:
    truth_rows = sum(1 for _ in built["files"].truth_captures.open()) - 1
    assert built["first"]["tables"]["captures"] == truth_rows
    assert joined["fetch_status"].notna().all(), "a WARC record has no capture row"


def test_rerun_with_nothing_new_does_no_work_and_changes_nothing(built: dict) -> None:
    stages = built["rerun"]["stages"]
    assert stages["captures"]["payloads_stored"] == 0
    assert stages["documents"]["extracted"] == 0
    assert stages["segments"]["documents"] == 0
    assert stages["segment_practices"]["texts_tagged"] == 0
    assert built["rerun"]["tables"] == built["first"]["tables"]


def test_error_and_redirect_captures_keep_a_status(joined: pd.DataFrame) -> None:
    by_kind = joined.groupby("kind")["fetch_status"].agg(set).to_dict()
    assert by_kind["not_found"] == {"http_error"}
    assert by_kind["redirect"] == {"redirect"}


def test_is_policy_matches_truth(joined: pd.DataFrame) -> None:
    pages = joined[joined["fetch_status"] == "ok"]
    wrong = pages[pages["is_policy"] != pages["our_is_policy"].astype(bool)]
    assert wrong.empty, wrong[["url", "captured_at", "kind"]].to_string()


def test_stated_dates_match_truth(joined: pd.DataFrame) -> None:
    policies = joined[joined["is_policy"]]
    wrong = policies[policies["stated_date"].fillna("") != policies["our_stated_date"].fillna("")]
    assert wrong.empty, wrong[["url", "captured_at", "stated_date", "our_stated_date"]].to_string()


def _boundaries(joined: pd.DataFrame) -> pd.DataFrame:
    policies = joined[joined["is_policy"]].copy()
    policies["ours"] = policies.groupby("site_id")["version_id"].transform(lambda s: s != s.shift())
    return policies


def test_every_true_version_start_is_found(joined: pd.DataFrame) -> None:
    b = _boundaries(joined)
    missed = b[b["starts_new_version"] & ~b["ours"]]
    assert missed.empty, missed[["site_id", "captured_at"]].to_string()


def test_version_boundaries_are_exact(joined: pd.DataFrame) -> None:
    b = _boundaries(joined)
    assert (b["starts_new_version"] == b["ours"]).all()


def test_unchanged_paragraphs_keep_their_segment_ids_across_versions(built: dict) -> None:
    """A paragraph the ground truth shows unchanged between two versions has one segment id in both."""
    paras = [json.loads(line) for line in built["files"].truth_paragraphs.open()]
    con = duckdb.connect(str(built["db"]), read_only=True)
    segs = con.sql(
        """select v.site_id, v.version_no, s.segment_id, s.text
           from policy_versions v join segments s using (payload_sha256)"""
    ).df()
    con.close()
    ids: dict[tuple[str, str], set[str]] = {}
    for row in segs.itertuples():
        ids.setdefault((row.site_id, normalize(row.text)), set()).add(row.segment_id)
    versions: dict[tuple[str, str, str], set[int]] = {}
    for p in paras:
        if p["heading"]:
            versions.setdefault((p["site_id"], p["heading"], normalize(p["text"])), set()).add(p["version_no"])
    checked = 0
    for (site, _, text), seen_in in versions.items():
        found = ids.get((site, text))
        if found is not None and len(seen_in) > 1:
            checked += 1
            assert len(found) == 1, f"{site}: {text[:60]!r} has ids {found}"
    assert checked > 20, "too few repeated paragraphs matched to test stability"
