"""Mart query latency on a large warehouse: 1M synthetic policy versions, generated in DuckDB SQL.

Fills a fresh warehouse with N policy versions (default 1,000,000: 125,000 sites x 8 versions, about the size
of the best-known longitudinal corpus), their documents, segments (4 per version), practice tags (over a
pool of distinct segment texts, as tags are keyed by text) and version changes; creates the SQL models of
sql/ as the build does (models.run_models) and prints how long that took; then runs the typical queries of
docs/queries.md and the marts `--repeat` times each and prints p50 / p95 in ms.

    uv run python -m bench.warehouse.bench_queries                     # 1M versions
    uv run python -m bench.warehouse.bench_queries --versions 100000 --repeat 10
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.practices.catalog import catalog_rows
from pipelines.practices.vocabulary import OPP115_CATEGORIES
from pipelines.text.extract import EXTRACTOR_VERSION
from pipelines.warehouse import models, tables

VERSIONS_PER_SITE = 8
SEGMENTS_PER_VERSION = 4
CATEGORIES = [*OPP115_CATEGORIES, "gdpr", "california", "cookies"]

# Each statement reads the parameters $sites, $texts, $ev; values never enter the SQL text.
FILL = [
    # versions: each site starts between 1998 and 2016; a version lasts 60-900 days
    """
    CREATE TEMP TABLE _v AS
    SELECT s AS site_no, k AS version_no, 'site' || lpad(s::VARCHAR, 6, '0') AS site_id,
           TIMESTAMP '1998-01-01' + to_days(CAST(hash(s) % 6500 AS INTEGER))
             + to_days(CAST(sum(60 + hash(s, k) % 840) OVER (PARTITION BY s ORDER BY k) AS INTEGER)) AS first_at
    FROM range($sites) t(s), range(1, 9) u(k)
    """,
    """
    INSERT INTO policy_versions
    SELECT site_id || '#' || lpad(version_no::VARCHAR, 3, '0'), site_id, version_no,
           'http://www.' || site_id || '.example/privacy', sha256(site_id || version_no::VARCHAR || 't'),
           sha256(site_id || version_no::VARCHAR), first_at,
           first_at + to_days(CAST(hash(site_id, version_no) % 50 AS INTEGER)),
           lag(first_at) OVER w + INTERVAL 1 DAY, lead(first_at) OVER w, 1 + hash(site_no, version_no) % 12,
           CAST(first_at AS DATE) - CAST(hash(site_no) % 30 AS INTEGER), 1500 + hash(site_no, version_no) % 4000,
           lead(first_at) OVER w IS NULL, 'en'
    FROM _v WINDOW w AS (PARTITION BY site_no ORDER BY version_no)
    """,
    """
    INSERT INTO documents (payload_sha256, extractor_version, status, title, language, text, text_sha256,
                           is_policy, policy_score, stated_date, word_count, fk_grade)
    SELECT payload_sha256, $ev, 'ok', 'Privacy Policy', 'en',
           'We collect information you provide. '
             || CASE WHEN year(valid_from) >= 2018 AND hash(version_id) % 3 > 0
                     THEN 'You have rights under the General Data Protection Regulation (GDPR). ' ELSE '' END
             || CASE WHEN year(valid_from) BETWEEN 2001 AND 2016 AND hash(version_id) % 4 = 0
                     THEN 'We comply with the U.S.-EU Safe Harbor framework. ' ELSE '' END
             || CASE WHEN hash(version_id) % 5 = 0 THEN 'We do not respond to Do Not Track signals. ' ELSE '' END,
           text_sha256, true, 0.95, stated_date, word_count, 11.5
    FROM policy_versions
    """,
    """
    INSERT INTO segments
    SELECT v.payload_sha256, $ev, sha256(v.payload_sha256 || p::VARCHAR), p, ['Section ' || p::VARCHAR],
           'paragraph', '', 'text' || (hash(v.site_id, v.version_no // 3, p) % $texts)::VARCHAR
    FROM policy_versions v, range(4) r(p)
    """,
    """
    INSERT INTO segment_practices
    SELECT DISTINCT 'text' || t::VARCHAR, 'rules', 'bench', $cats[1 + CAST((hash(t, j) % 13) AS INTEGER)], 0.9, 'cue'
    FROM range($texts) r(t), range(2) u(j)
    """,
    """
    INSERT INTO version_changes
    SELECT v.site_id, p.version_id, v.version_id, v.changed_after, v.valid_from, 0.8, 1, 0, 1, 3,
           CASE WHEN hash(v.version_id) % 4 = 0 THEN [$cats[1 + CAST(hash(v.version_id) % 13 AS INTEGER)]]
                ELSE [] END,
           CASE WHEN hash(v.version_id) % 7 = 0 THEN [$cats[1 + CAST(hash(p.version_id) % 13 AS INTEGER)]]
                ELSE [] END,
           p.stated_date, v.stated_date
    FROM policy_versions v JOIN policy_versions p ON p.site_id = v.site_id AND p.version_no = v.version_no - 1
    """,
]

# (name, SQL, whether it takes a random site as $site): the questions of docs/queries.md and the marts.
QUERIES = [
    (
        "prevalence by year (one practice)",
        "SELECT year, n_sites_covered, share FROM practice_prevalence_by_year "
        "WHERE practice_id = 'third_party_sharing' ORDER BY year",
        False,
    ),
    ("prevalence by year (all)", "SELECT * FROM practice_prevalence_by_year", False),
    ("site timeline", "SELECT * FROM site_timeline WHERE site_id = $site ORDER BY version_no", True),
    ("site versions", "SELECT * FROM versions WHERE site_id = $site ORDER BY version_no", True),
    (
        "when did site X start sharing",
        "SELECT site_id, version_id, change, changed_after, valid_from FROM practice_changes "
        "WHERE site_id = $site AND practice_id = 'third_party_sharing' "
        "AND change IN ('first_seen', 'gained') ORDER BY valid_from LIMIT 1",
        True,
    ),
    (
        "GDPR mentions by year",
        "SELECT year, n_sites_covered, n_sites_mentioning, share, tagged_share FROM regulatory_mentions_by_year "
        "WHERE term = 'GDPR' ORDER BY year",
        False,
    ),
]


def fill(con: duckdb.DuckDBPyConnection, n_versions: int) -> float:
    """Generate the warehouse rows; return the seconds it took."""
    sites = max(1, n_versions // VERSIONS_PER_SITE)
    params = {"sites": sites, "texts": max(1000, sites * 2), "ev": EXTRACTOR_VERSION, "cats": CATEGORIES}
    started = time.monotonic()
    for sql in FILL:
        wanted = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(sql, wanted)
    tables.replace(con, "practices", catalog_rows())
    return time.monotonic() - started


def time_query(
    con: duckdb.DuckDBPyConnection, sql: str, per_site: bool, sites: list[str], repeat: int, budget: float = 30.0
) -> list[float]:
    """Milliseconds of each of `repeat` runs (after one warm-up), each fetching the whole answer; fewer runs
    when a slow query has used up `budget` seconds."""
    out: list[float] = []
    spent = time.monotonic()
    for i in range(repeat + 1):
        if out and time.monotonic() - spent > budget:
            break
        params = {"site": sites[i % len(sites)]} if per_site else {}
        started = time.perf_counter()
        con.execute(sql, params).fetchall()
        if i:
            out.append((time.perf_counter() - started) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1] if len(xs) > 1 else xs[0]


def main(argv: list[str] | None = None) -> int:
    """CLI: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--db", type=Path, default=None, help="warehouse file (default: a temporary one)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-queries-") as tmp:
        db = args.db or Path(tmp) / "policy.duckdb"
        with tables.connect(db) as con:
            secs = fill(con, args.versions)
            started = time.monotonic()
            built_models = models.run_models(con)
            built = time.monotonic() - started
            n = con.execute("SELECT count(*), count(DISTINCT site_id) FROM policy_versions").fetchone()
            segs = con.execute("SELECT count(*) FROM segments").fetchone()[0]
            tags = con.execute("SELECT count(*) FROM segment_practices").fetchone()[0]
            print(
                f"warehouse: {n[0]} policy_versions of {n[1]} sites, {segs} segments, {tags} tags; "
                f"generated in {secs:.1f} s; {len(built_models)} models built in {built:.1f} s"
            )
            sites = [
                r[0]
                for r in con.execute(
                    "SELECT site_id FROM policy_versions USING SAMPLE 50 ROWS (reservoir, 7)"
                ).fetchall()
            ]
            rows = [(name, time_query(con, sql, per_site, sites, args.repeat)) for name, sql, per_site in QUERIES]
        print(f"{'query':<34} {'p50 ms':>9} {'p95 ms':>9} {'runs':>5}   (after one warm-up)")
        for name, ms in rows:
            flag = "" if p95(ms) < 200 else "  > 200 ms"
            print(f"{name:<34} {statistics.median(ms):9.1f} {p95(ms):9.1f} {len(ms):>5}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
