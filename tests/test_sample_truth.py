"""The whole pipeline, through a real Dagster materialization, against the sample archive's ground truth."""

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from test_dashboard import needs_chromium, render_in_chromium

from pipelines.build import build, demo
from pipelines.sample.archive import write_sample
from pipelines.text.normalize import normalize


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("demo")
    first = demo(out)  # what `policy-history demo` runs: the sample archive under out/sample, built and published
    files = write_sample(out / "sample")  # the same files again (a pure function of the seed), for their paths
    db = out / "policy.duckdb"
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


def test_demo_publishes_a_read_only_copy_and_the_dashboard(built: dict) -> None:
    published = Path(built["first"]["published_db"])
    assert Path(built["first"]["dashboard"]).parent == published.parent == built["db"].parent / "policy.published"
    assert not published.stat().st_mode & 0o222  # read-only
    con = duckdb.connect(str(published), read_only=True)
    n_versions = con.execute("select count(*) from policy_versions").fetchone()[0]
    con.close()
    assert n_versions == built["first"]["tables"]["policy_versions"] > 0


@needs_chromium
def test_demo_dashboard_renders_its_charts_in_headless_chromium(built: dict, tmp_path: Path) -> None:
    dom, shot = render_in_chromium(Path(built["rerun"]["dashboard"]), tmp_path)
    # The sites counted, one small chart per practice (Other left out) and per regulatory term, length and
    # readability, each with a drawn series; one timeline per site with versions.
    con = duckdb.connect(str(built["db"]), read_only=True)
    n_practices = con.execute("select count(*) from practices where practice_id <> 'other'").fetchone()[0]
    n_terms = con.execute("select count(distinct term) from regulatory_mentions_by_year").fetchone()[0]
    con.close()
    assert dom.count('<svg class="chart"') == 1 + n_practices + n_terms + 2
    assert dom.count("<polyline") >= 1 + n_practices + n_terms + 2
    assert 'class="empty"' not in dom and ">no data<" not in dom  # no chart fell back to "no data"
    n_sites = len(
        {r["site_id"] for r in pd.read_csv(built["files"].truth_captures).to_dict("records") if r["is_policy"]}
    )
    assert dom.count('<svg class="timeline"') == n_sites
    assert shot.stat().st_size > 10_000  # a blank page compresses to far less


def test_a_site_that_switches_language_shows_a_translation_not_lost_practices(built: dict) -> None:
    truth = pd.read_csv(built["files"].truth_captures, dtype={"stated_date": str})
    truth = truth[truth["is_policy"]]
    langs = truth.groupby(["site_id", "version_no"])["language"].first()
    switched = sorted({site for (site, _), lang in langs.items() if lang != "en"})
    assert switched  # the sample has one
    con = duckdb.connect(str(built["db"]), read_only=True)
    for site in switched:
        rows = con.execute(
            "select version_no, language, change_kind, practices_gained, practices_lost from site_timeline "
            "where site_id = ? order by version_no",
            [site],
        ).fetchall()
        assert [r[1] for r in rows] == list(langs[site].values)  # each version in its true language
        for (_, lang, kind, gained, lost), prev in zip(rows[1:], rows, strict=False):
            if lang != prev[1]:
                assert kind == "translated" and gained is None and lost is None
            else:
                assert kind == "edited" and gained is not None
        # and a French edit after it (Law 25): an edit between two French versions is read as one
        assert any(r[1] != "en" and r[2] == "edited" for r in rows)
        ids = [r[0] for r in rows if r[2] == "translated"]
        lost = con.execute(
            "select count(*) from practice_changes where site_id = ? and change = 'lost' and version_no in "
            "(select unnest(?))",
            [site, ids],
        ).fetchone()[0]
        assert ids and lost == 0
        # the rules tagger reads French: the translated versions have practices, not unknown ones
        french = con.execute("select practices from versions where site_id = ? and language = 'fr'", [site]).fetchall()
        assert french and all(p and "third_party_sharing" in p for (p,) in french)
        # the same policy in French: the French cues find at least what the English ones found before the switch
        tags = dict(con.execute("select version_no, practices from versions where site_id = ?", [site]).fetchall())
        for n in ids:
            assert set(tags[n - 1]) <= set(tags[n]), set(tags[n - 1]) - set(tags[n])
    con.close()
