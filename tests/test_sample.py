"""Tests for the deterministic sample WARC generator and its ground truth."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipelines.sample.archive import SampleFiles, write_sample
from pipelines.sample.library import sites
from pipelines.sample.model import PRACTICE_LABELS
from pipelines.text.decode import decode


@dataclass
class Rec:
    rec_type: str
    headers: dict[str, str]
    status: int
    http: dict[str, str]
    body: bytes


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleFiles:
    return write_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def records(sample: SampleFiles) -> list[Rec]:
    out = []
    with sample.warc.open("rb") as fh:
        # check_digests="raise" makes warcio itself verify block and payload digests.
        for r in ArchiveIterator(fh, check_digests="raise"):
            out.append(
                Rec(
                    r.rec_type,
                    dict(r.rec_headers.headers),
                    int(r.http_headers.get_statuscode()),
                    dict(r.http_headers.headers),
                    r.content_stream().read(),
                )
            )
    return out


@pytest.fixture(scope="module")
def truth(sample: SampleFiles) -> list[dict[str, str]]:
    with sample.truth_captures.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def paragraphs(sample: SampleFiles) -> list[dict]:
    return [json.loads(line) for line in sample.truth_paragraphs.read_text(encoding="utf-8").splitlines()]


def _b32sha1(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def _decode(rec: Rec, row: dict[str, str]) -> str:
    return rec.body.decode("cp1252" if row["kind"] == "windows1252" else "utf-8")


def test_generation_is_deterministic(tmp_path: Path, sample: SampleFiles) -> None:
    again = write_sample(tmp_path / "again")
    for a, b in zip(
        (sample.warc, sample.sources, sample.truth_captures, sample.truth_paragraphs),
        (again.warc, again.sources, again.truth_captures, again.truth_paragraphs),
        strict=True,
    ):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = write_sample(tmp_path / "other", seed=8)
    assert other.warc.read_bytes() != sample.warc.read_bytes()


def test_files_are_where_the_api_says(sample: SampleFiles) -> None:
    assert sample.warc.name == "sample.warc.gz"
    assert sample.warc.read_bytes()[:2] == b"\x1f\x8b"
    assert {sample.sources.name, sample.truth_captures.name, sample.truth_paragraphs.name} == {
        "sources.toml",
        "truth_captures.csv",
        "truth_paragraphs.jsonl",
    }


def test_records_are_warc10_with_valid_payload_digests(records: list[Rec]) -> None:
    ids = [r.headers["WARC-Record-ID"] for r in records]
    assert len(set(ids)) == len(ids)
    for r in records:
        assert r.rec_type in ("response", "revisit")
        if r.rec_type == "response":
            assert r.headers["WARC-Payload-Digest"] == _b32sha1(r.body)
            assert int(r.http["Content-Length"]) == len(r.body)
            assert "Content-Type" in r.http


def test_truth_rows_match_warc_records_one_to_one(records: list[Rec], truth: list[dict[str, str]]) -> None:
    assert len(records) == len(truth)
    for rec, row in zip(records, truth, strict=True):
        assert rec.headers["WARC-Target-URI"] == row["url"]
        assert rec.headers["WARC-Date"] == row["captured_at"]
        assert rec.status == int(row["status"])
        assert (rec.rec_type == "revisit") == (row["kind"] == "revisit")


def test_sources_cover_every_url(sample: SampleFiles, truth: list[dict[str, str]]) -> None:
    sites = {s["id"]: s for s in tomllib.loads(sample.sources.read_text(encoding="utf-8"))["site"]}
    assert len(sites) == 5
    for row in truth:
        site = sites[row["site_id"]]
        assert row["url"] in [*site["policy_urls"], site["homepage"]]
        assert (row["url"] == site["homepage"]) == (row["kind"] == "non_policy")
        assert row["url"].split("/")[2].endswith(".example")
    assert any(len(s["policy_urls"]) == 2 for s in sites.values())


def test_every_kind_is_present(truth: list[dict[str, str]]) -> None:
    kinds = {row["kind"] for row in truth}
    assert kinds == {"policy", "markup_change", "not_found", "redirect", "non_policy", "revisit", "windows1252"}
    assert sum(row["kind"] == "revisit" for row in truth) == 1
    assert sum(row["kind"] == "windows1252" for row in truth) == 1


def test_sites_have_enough_captures_and_versions(truth: list[dict[str, str]]) -> None:
    by_site: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in truth:
        by_site[row["site_id"]].append(row)
    for site, rows in by_site.items():
        assert 15 <= len(rows) <= 40, site
        times = [r["captured_at"] for r in rows]
        assert times == sorted(times), site
        assert all("2005" <= t[:4] <= "2025" for t in times)
        versions = [int(r["version_no"]) for r in rows if r["version_no"]]
        assert 3 <= max(versions) <= 7, site
        assert versions == sorted(versions), site  # versions only move forward in time
        starts = [int(r["version_no"]) for r in rows if r["starts_new_version"] == "true"]
        assert starts == list(range(1, max(versions) + 1)), site


def test_stated_date_precedes_first_capture_and_is_on_the_page(records: list[Rec], truth: list[dict[str, str]]) -> None:
    for rec, row in zip(records, truth, strict=True):
        if row["is_policy"] == "false":
            assert row["version_no"] == row["stated_date"] == ""
            assert row["starts_new_version"] == "false"
            continue
        stated = date.fromisoformat(row["stated_date"])
        assert stated <= date.fromisoformat(row["captured_at"][:10])
        if rec.rec_type == "response" and row["language"] == "en":
            assert f"{stated:%B} {stated.day}, {stated.year}" in _decode(rec, row)
        elif rec.rec_type == "response":  # a translated version states its date in its own language
            tr = next(s.translation for s in sites() if s.site_id == row["site_id"])
            assert tr is not None and row["language"] == tr.language
            assert f"{stated.day} {tr.months[stated.month - 1]} {stated.year}" in _decode(rec, row)


def test_a_translated_site_switches_language_once_in_a_version_of_its_own(truth: list[dict[str, str]]) -> None:
    translated = [s for s in sites() if s.translation]
    assert translated  # the sample has a site whose policy changes language
    for site in translated:
        rows = [r for r in truth if r["site_id"] == site.site_id and r["is_policy"] == "true"]
        by_version = {int(r["version_no"]): (r["language"], r["stated_date"]) for r in rows}
        langs = [by_version[n][0] for n in sorted(by_version)]
        switch = langs.index(site.translation.language)
        assert set(langs[:switch]) == {"en"} and set(langs[switch:]) == {site.translation.language}
        assert by_version[switch + 1][1] == site.translation.since.isoformat()


def test_windows1252_page_has_no_charset_and_is_not_utf8(records: list[Rec], truth: list[dict[str, str]]) -> None:
    (rec,) = [rec for rec, row in zip(records, truth, strict=True) if row["kind"] == "windows1252"]
    assert "charset" not in rec.http["Content-Type"].lower()
    assert b"charset" not in rec.body.lower()
    with pytest.raises(UnicodeDecodeError):
        rec.body.decode("utf-8")
    text = rec.body.decode("cp1252")
    assert "é" in text and "\u201c" in text and "\u2019" in text
    assert int(rec.headers["WARC-Date"][:4]) <= 2007


def test_the_pipeline_reads_the_windows1252_page_as_windows1252(
    records: list[Rec], truth: list[dict[str, str]]
) -> None:
    """Charset detection alone reads this page (accents, smart quotes) as a DOS code page (cp852: "BÚlair")."""
    (rec,) = [rec for rec, row in zip(records, truth, strict=True) if row["kind"] == "windows1252"]
    assert decode(rec.body, rec.http["Content-Type"]) == rec.body.decode("cp1252")


def test_markup_changes_keep_the_version(records: list[Rec], truth: list[dict[str, str]]) -> None:
    last_policy: dict[str, tuple[bytes, str]] = {}
    seen = 0
    for rec, row in zip(records, truth, strict=True):
        if row["is_policy"] != "true":
            continue
        body = rec.body if rec.rec_type == "response" else last_policy[row["site_id"]][0]
        if row["kind"] == "markup_change":
            prev_body, prev_version = last_policy[row["site_id"]]
            assert body != prev_body
            assert row["version_no"] == prev_version
            assert row["starts_new_version"] == "false"
            seen += 1
        last_policy[row["site_id"]] = (body, row["version_no"])
    assert seen >= 1


def test_special_records(records: list[Rec], truth: list[dict[str, str]]) -> None:
    pairs = list(zip(records, truth, strict=True))
    for rec, row in pairs:
        if row["kind"] == "redirect":
            assert rec.status == 301
            target = rec.http["Location"]
            assert target != row["url"] and target.split("/")[2] == row["url"].split("/")[2]
        elif row["kind"] == "not_found":
            assert rec.status == 404 and b"not found" in rec.body.lower()
        elif row["kind"] == "non_policy":
            assert rec.status == 200 and b"Privacy Policy</h1>" not in rec.body
        elif row["kind"] == "revisit":
            h = rec.headers
            assert h["WARC-Profile"].endswith("identical-payload-digest")
            (orig,) = [
                o
                for o, _ in pairs
                if o.rec_type == "response"
                and o.headers["WARC-Target-URI"] == h["WARC-Refers-To-Target-URI"]
                and o.headers["WARC-Date"] == h["WARC-Refers-To-Date"]
            ]
            assert h["WARC-Payload-Digest"] == orig.headers["WARC-Payload-Digest"]
            assert h["WARC-Date"] > orig.headers["WARC-Date"]


def test_paragraph_truth_is_consistent_with_pages(
    records: list[Rec], truth: list[dict[str, str]], paragraphs: list[dict]
) -> None:
    by_version: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for p in paragraphs:
        assert set(p) == {"site_id", "version_no", "position", "heading", "text", "practices"}
        assert set(p["practices"]) <= set(PRACTICE_LABELS)
        by_version[(p["site_id"], p["version_no"])].append(p)
    for rec, row in zip(records, truth, strict=True):
        if row["is_policy"] == "true" and rec.rec_type == "response":
            page = _decode(rec, row)
            for p in by_version[(row["site_id"], int(row["version_no"]))]:
                assert html.escape(p["text"], quote=False) in page
    for (site, no), paras in by_version.items():
        assert [p["position"] for p in paras] == list(range(len(paras)))
        if no > 1:
            # Ignore the "last updated" line: the policy text itself must change between versions.
            body = {p["text"] for p in paras if p["practices"]}
            previous = {p["text"] for p in by_version[(site, no - 1)] if p["practices"]}
            assert body != previous, (site, no)


def test_regulatory_eras(truth: list[dict[str, str]], paragraphs: list[dict]) -> None:
    stated = {
        (r["site_id"], int(r["version_no"])): date.fromisoformat(r["stated_date"]) for r in truth if r["version_no"]
    }
    eras = {
        "safe_harbor": (2005, 2015),
        "privacy_shield": (2016, 2022),
        "data_privacy_framework": (2023, 2025),
        "gdpr": (2018, 2025),
        "cookies": (2008, 2025),
    }
    found: set[str] = set()
    for p in paragraphs:
        year = stated[(p["site_id"], p["version_no"])].year
        for label in p["practices"]:
            if label in eras:
                lo, hi = eras[label]
                assert lo <= year <= hi, (label, p["site_id"], p["version_no"])
            found.add(label)
        if "Do Not Sell" in p["text"]:
            assert year >= 2020
        if "CPRA" in p["text"]:
            assert year >= 2023
    assert found == set(PRACTICE_LABELS)


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_other_seeds_keep_the_invariants(tmp_path: Path, seed: int) -> None:
    files = write_sample(tmp_path, seed=seed)
    with files.truth_captures.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with files.warc.open("rb") as fh:
        assert sum(1 for _ in ArchiveIterator(fh, check_digests="raise")) == len(rows)
    assert {r["kind"] for r in rows} == {
        "policy",
        "markup_change",
        "not_found",
        "redirect",
        "non_policy",
        "revisit",
        "windows1252",
    }
    per_site: dict[str, int] = defaultdict(int)
    for r in rows:
        per_site[r["site_id"]] += 1
    assert len(per_site) == 5 and all(15 <= n <= 40 for n in per_site.values())
