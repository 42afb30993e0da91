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
