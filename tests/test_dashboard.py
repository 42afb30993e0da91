"""The published dashboard: self-contained, escaped, and rendering its charts in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from synthetic import COLLECT, GDPR, HISTORY, policy

from pipelines.warehouse.charts import MAX_SERIES, line_chart, nice_ticks, small_multiples
from pipelines.warehouse.dashboard import render
from pipelines.warehouse.prose import change_sentence, display_name, plain_text
from pipelines.warehouse.publish import publish, published_dir

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    from synthetic import build_warehouse

    root = tmp_path_factory.mktemp("publish")
    history = dict(HISTORY)
    # A site whose archived policy carries markup that must stay inert, even in its id-like fields.
    history["evil<b>site"] = [
        (datetime(2018, 2, 1), HOSTILE + "\n\n" + policy("Evil", 2018, COLLECT)),
        (datetime(2019, 2, 1), HOSTILE + "\n\n" + policy("Evil", 2019, COLLECT, GDPR)),
    ]
    db = build_warehouse(root / "build" / "w.duckdb", history)
    return publish(db, published_dir(db)), published_dir(db)


def test_publish_writes_parquet_a_read_only_copy_and_the_dashboard(published: tuple[dict, Path]) -> None:
    summary, out = published
    assert out.name == "w.published"
    for name in ("versions", "changes", "regulatory_mentions_by_year", "coverage_by_site_year", "policy_versions"):
        path = out / "parquet" / f"{name}.parquet"
        n = duckdb.connect().execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]
        assert n == summary["exported"][name] > 0
    con = duckdb.connect(str(out / "policy.duckdb"), read_only=True)
    assert con.execute("select count(*) from versions").fetchone()[0] == summary["exported"]["versions"]
    con.close()
    assert not list(out.glob(".*tmp*"))  # every temporary was swapped in
    # a second publish replaces the files in place
    again = publish(out.parent / "w.duckdb", out)
    assert again["exported"] == summary["exported"]


def test_dashboard_is_self_contained_and_escapes_archived_text(published: tuple[dict, Path]) -> None:
    summary, _ = published
    page = Path(summary["dashboard"]).read_text()
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")  # only as escaped text
    assert "&lt;script&gt;" in page and "evil&lt;b&gt;site" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing loaded from outside
    assert page.count("<svg") >= 4


def render_in_chromium(page: Path, work: Path) -> tuple[str, Path]:
    """Open `page` in headless Chromium (no network, throwaway profile under `work`): (rendered DOM, screenshot)."""
    assert CHROMIUM is not None
    url = page.as_uri()
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
    ]
    dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=90, check=True).stdout
    shot = work / "dashboard.png"
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1200,1600", url], capture_output=True, timeout=90, check=True
    )
    return dom, shot


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (scripts/chromium.sh installs it)")


@needs_chromium
def test_dashboard_renders_its_charts_in_headless_chromium(published: tuple[dict, Path], tmp_path: Path) -> None:
    summary, _ = published
    dom, shot = render_in_chromium(Path(summary["dashboard"]), tmp_path)
    assert dom.count("<svg") >= 4 and "<polyline" in dom  # charts are in the rendered DOM
    assert "<script" not in dom.lower()  # the archived <script> stayed text
    assert "<title>policy-history dashboard</title>" in dom  # and did not get to rename the page
    assert shot.stat().st_size > 10_000  # a blank page compresses to far less
    # no chart carries more series than it has colours (more are drawn as small multiples)
    for chart in re.findall(r'<svg class="chart".*?</svg>', dom, re.S):
        assert chart.count("<polyline") <= MAX_SERIES
    # timelines have a date axis: each carries the years its versions span
    timelines = re.findall(r'<svg class="timeline".*?</svg>', dom, re.S)
    assert timelines and all(re.search(r'class="tick year"[^>]*>20(1[6-9]|20)<', t) for t in timelines)
    # what changed, as sentences with display names; excerpts as plain text, no markdown marks
    assert "Added: Third-party sharing and collection." in dom  # alpha starts sharing in 2020
    assert "Added: GDPR, User access, edit and deletion." in dom and "First version seen." in dom  # the GDPR rights
    excerpts = re.findall(r"<td class=\"excerpt\">(.*?)</td>", dom, re.S)
    assert excerpts and all("## " not in x and "](" not in x and not x.startswith("#") for x in excerpts)
    assert any(x.startswith("Privacy Policy. This privacy policy describes") for x in excerpts)
    # practices under the heading of their kind, each share beside the number of sites it is a share of
    assert "<h3>OPP-115 categories</h3>" in dom and "<h3>Regulations</h3>" in dom
    notes = re.findall(r'class="note"[^>]*>(20\d\d): (\d+)%, (\d+) of (\d+) sites<', dom)
    assert notes and all(int(n) <= int(of) and round(100 * int(n) / int(of)) == int(p) for _, p, n, of in notes)


def test_plain_text_drops_markdown_marks() -> None:
    md = (
        "# Privacy Policy\n\n## 1. What we collect\n\n- **Your name** and [email](mailto:x@y.z)\n- `cookies`\n\n"
        "| a | b |\n|---|---|\n| c | d |"
    )
    assert plain_text(md) == "Privacy Policy. 1. What we collect. Your name and email. cookies. a b. c d"
    # a paragraph's lines run together, a heading that asks keeps its mark, a word_with_underscores stays
    md = "## Who we are\n\nWe are a\nshop.\n\n### What do_not_track means?\n\nSignals we _honour_ and"
    assert plain_text(md) == "Who we are. We are a shop. What do_not_track means? Signals we honour and"
    long = plain_text("word " * 100, limit=20)
    assert long.endswith(" …") and len(long) <= 22 and "wor …" not in long


def test_change_sentences_name_practices_and_say_translated() -> None:
    names = {"third_party_sharing": "Third-party sharing", "cookies": "Cookies"}
    base = {"similarity": 0.8, "segments_added": 2, "segments_removed": 0, "segments_modified": 1}
    edited = {**base, "change_kind": "edited", "practices_gained": ["third_party_sharing"], "practices_lost": ["x"]}
    assert change_sentence(edited, names) == (
        "Added: Third-party sharing. Removed: x. Text 80% alike: 2 sections added, 1 section reworded."
    )
    translated = {
        **base, "change_kind": "translated", "language_from": "en", "language_to": "fr",
        "practices_gained": None, "practices_lost": None,
    }  # fmt: skip
    sentence = change_sentence(translated, names)
    assert sentence.startswith("Translated from English to French; practices not compared.")
    assert "Removed" not in sentence and "Added" not in sentence
    assert change_sentence({"similarity": None}, names) == "First version seen."


def test_a_chart_refuses_more_series_than_colours() -> None:
    series = {f"s{i}": [(2000.0, 0.5)] for i in range(MAX_SERIES + 1)}
    with pytest.raises(ValueError, match="small_multiples"):
        line_chart(series, "too many")
    chart = line_chart(dict(list(series.items())[:MAX_SERIES]), "eight")
    assert chart.count("<polyline") == MAX_SERIES and chart.count('class="label"') == MAX_SERIES


def test_axis_ticks_are_round_and_whole_for_counts() -> None:
    assert nice_ticks(892) == [0, 250, 500, 750, 1000]
    assert nice_ticks(13) == [0, 5, 10, 15]
    assert nice_ticks(1.0) == [0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(3, whole=True) == [0, 1, 2, 3] and nice_ticks(0) == [0, 0.25, 0.5, 0.75, 1.0]
    for top in (0.3, 7, 41, 5000, 123456):
        ticks = nice_ticks(top)
        assert ticks[-1] >= top and len(ticks) <= 5 and ticks[-2] < top


def test_a_small_multiple_cuts_a_long_title_and_keeps_it_whole_as_tooltip() -> None:
    name = "Self-regulatory programmes (TRUSTe, NAI, DAA) and more words than fit"
    html = small_multiples({name: [(2000.0, 0.5), (2001.0, 0.25)]}, 1.0, True, {name: "2001: 25%, 1 of 4 sites"})
    shown = re.search(r'class="title small">(.*?)</text>', html).group(1)
    assert shown.endswith("…") and len(shown) < len(name) and name.startswith(shown[:-1])
    assert f"<title>{name}</title>" in html and ">2001: 25%, 1 of 4 sites<" in html


def test_display_names_fall_back_to_the_raw_id() -> None:
    names = {"do_not_track": "Do Not Track"}
    assert display_name("do_not_track", names) == "Do Not Track"
    assert display_name("brand_new_practice", names) == "brand_new_practice"


def test_the_dashboard_renders_a_warehouse_without_language_columns(
    published: tuple[dict, Path], tmp_path: Path
) -> None:
    """A warehouse built before versions carried a language still renders (language shown as unknown)."""
    _, out = published
    db = tmp_path / "old.duckdb"
    db.write_bytes((out.parent / "w.duckdb").read_bytes())
    con = duckdb.connect(str(db))
    for view, drop in (("stg_policy_versions", "language"), ("stg_version_changes", "language_from, language_to")):
        con.execute(f"create table old_{view} as select * exclude ({drop}) from {view}")
        con.execute(f"drop view {view}")
        con.execute(f"create view {view} as select * from old_{view}")
    page = render(con)
    assert "First version seen." in page and page.count('<svg class="timeline"') >= 2
    assert "<td>an undetected language</td>" in page and "<td>English</td>" not in page
