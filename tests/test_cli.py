"""The stable command-line contracts that evaluation tools outside the project rely on."""

import json
import subprocess
import sys
from pathlib import Path

from pipelines.practices.vocabulary import MARKERS, OPP115_CATEGORIES

POLICY = """<html><head><title>Privacy Policy - Example</title></head><body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<h1>Privacy Policy</h1><p>Effective date: January 5, 2021</p>
<h2>Information We Collect</h2><p>We collect your name, email address and payment details when you place an
order, and we use cookies to keep you signed in to the website.</p>
<h2>Sharing</h2><p>We share personal information with service providers who process payments for us.</p>
<ul><li>Payment processors</li><li>Delivery companies</li></ul>
<footer>Copyright 2021 Example Inc.</footer></body></html>"""


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_extract_prints_the_contract_object(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(POLICY)
    out = run("extract", str(page), "--url", "http://example.com/privacy", "--captured-at", "20210301000000")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) == {
        "status",
        "text",
        "title",
        "language",
        "is_policy",
        "policy_score",
        "page_type",
        "stated_date",
        "word_count",
    }
    assert doc["status"] == "ok" and doc["is_policy"] is True and 0.5 <= doc["policy_score"] <= 1
    assert doc["page_type"] == "privacy_policy"
    assert doc["stated_date"] == "2021-01-05"
    assert doc["language"] == "en"
    assert "## Information We Collect" in doc["text"] and "Home" not in doc["text"].split("\n")[0]
    assert doc["word_count"] == len(doc["text"].split())


def test_extract_never_states_a_date_after_the_capture(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(POLICY)
    doc = json.loads(run("extract", str(page), "--captured-at", "20201231000000").stdout)
    assert doc["stated_date"] is None


def test_segment_prints_json_lines_with_heading_paths(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(POLICY)
    out = run("segment", str(page))
    assert out.returncode == 0, out.stderr
    segs = [json.loads(line) for line in out.stdout.splitlines()]
    assert all(set(s) == {"segment_id", "position", "heading_path", "kind", "text"} for s in segs)
    assert [s["position"] for s in segs] == list(range(len(segs)))
    sharing = [s for s in segs if "Payment processors" in s["text"]]
    assert sharing and sharing[0]["heading_path"][-1] == "Sharing" and sharing[0]["kind"] == "list_item"
    assert len({s["segment_id"] for s in segs}) == len(segs)


def test_tag_reads_and_writes_json_lines() -> None:
    lines = [
        {"id": "a", "text": "We share your email address with advertising partners."},
        {"id": 2, "text": "We keep your data secure using encryption."},
    ]
    out = run("tag", stdin="\n".join(json.dumps(x) for x in lines))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2]
    allowed = set(OPP115_CATEGORIES) | set(MARKERS)
    for r in rows:
        assert set(r["categories"]) <= allowed and set(r["scores"]) == set(r["categories"])
    assert "Third Party Sharing/Collection" in rows[0]["categories"]
    assert "Data Security" in rows[1]["categories"]


def test_tag_rejects_bad_input_with_one_line() -> None:
    out = run("tag", stdin="not json\n")
    assert out.returncode == 1 and "line 1" in out.stderr and "Traceback" not in out.stderr


def test_build_fails_cleanly_on_a_missing_warc(tmp_path: Path) -> None:
    out = run("build", "--warc", str(tmp_path / "nope.warc.gz"), "--db", str(tmp_path / "w.duckdb"))
    assert out.returncode == 1
    assert "no such WARC file" in out.stderr and "Traceback" not in out.stderr
