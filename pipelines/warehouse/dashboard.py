"""The HTML dashboard: one self-contained file, charts as inline SVG (`charts.py`), no script at all.

Everything archived (site ids, URLs, categories, policy text) is hostile data and goes through
`html.escape`; a Content-Security-Policy forbids scripts and any outside load, as a second wall.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb

from pipelines.warehouse.charts import e, line_chart, small_multiples, timeline
from pipelines.warehouse.prose import change_sentence, display_name, language_name, plain_text

MAX_SITES = 60  # per-site timelines shown; the Parquet exports hold them all
EXCERPT_CHARS = 280
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# What the dashboard reads from the marts, in one place: a renamed column is an edit here.
PRACTICE_NAMES_SQL = "select practice_id, name from practices"
PREVALENCE_SQL = """with t as (select tagger, tagger_version from practice_prevalence_by_year
                  group by all order by count(*) desc, tagger, tagger_version limit 1)
       select year, practice_id, practice_name, practice_kind, share, n_sites_with_practice as n_with,
              n_sites_covered, n_sites_unread
       from practice_prevalence_by_year join t using (tagger, tagger_version)
       order by practice_kind, practice_name, year"""
MENTIONS_SQL = """select year, term, share, n_sites_mentioning as n_with, n_sites_covered
       from regulatory_mentions_by_year order by term, year"""
# Kinds of practice (practices.kind) as section headings, in this order; an unknown kind shows as it is, last.
KIND_NAMES = {
    "opp115_category": "OPP-115 categories",
    "technology": "Technologies",
    "audience": "Audiences",
    "regulation": "Regulations",
    "programme": "Programmes",
}


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"describe {table}").fetchall()}


def _share_note(rows: list[dict]) -> str:
    """A small multiple's latest figure and its base: "2025: 33%, 1 of 3 sites"."""
    last = rows[-1]
    return f"{last['year']}: {last['share']:.0%}, {last['n_with']} of {last['n_sites_covered']} sites"


def _by_series(rows: list[dict], key: str) -> tuple[dict[str, list[tuple[float, float]]], dict[str, str]]:
    """Rows of (year, share, ...) as one series per `key` value, and each series' note."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        if r["share"] is not None:
            groups.setdefault(r[key], []).append(r)
    series = {k: [(r["year"], float(r["share"])) for r in g] for k, g in groups.items()}
    return series, {k: _share_note(g) for k, g in groups.items()}


def _prevalence_html(rows: list[dict], names: dict[str, str]) -> str:
    """One grid of small multiples per kind of practice, under its heading (Other left out: it is not a
    practice but the rest of the text)."""
    kinds = sorted(
        {r["practice_kind"] for r in rows}, key=lambda k: (list(KIND_NAMES).index(k) if k in KIND_NAMES else 99, k)
    )
    out = []
    for kind in kinds:
        of_kind = [
            {**r, "name": r["practice_name"] or display_name(r["practice_id"], names)}
            for r in rows
            if r["practice_kind"] == kind and r["practice_id"] != "other"
        ]
        if of_kind:
            series, notes = _by_series(of_kind, "name")
            out.append(f"<h3>{e(KIND_NAMES.get(kind, kind))}</h3>{small_multiples(series, 1.0, True, notes)}")
    return "".join(out) or '<p class="empty">no data</p>'


def _site_versions(con: duckdb.DuckDBPyConnection, site_ids: list[str]) -> dict[str, list[dict]]:
    """The versions of these sites with their changes and an excerpt, by site, in version order (one query:
    the excerpts are looked up for these versions only, whatever the warehouse's size)."""
    has = _columns(con, "stg_policy_versions") | _columns(con, "stg_version_changes")
    # the language columns came later than the rest: a warehouse without them still renders
    lang = {c: (f"{c}" if c in has else f"null as {c}") for c in ("language", "language_from", "language_to")}
    rows = _query(
        con,
        f"""with v as (select * from stg_policy_versions where site_id in (select unnest(?))),
                d as (select payload_sha256, any_value(left(text, ?)) as text_start from stg_documents
                      where payload_sha256 in (select payload_sha256 from v) group by 1)
           select v.site_id, v.version_id, v.version_no, v.valid_from, v.valid_to, v.last_captured_at,
                  v.stated_date, v.word_count, v.n_captures, {lang["language"]}, d.text_start,
                  c.similarity, c.segments_added, c.segments_removed, c.segments_modified,
                  c.practices_gained, c.practices_lost, c.changed_after, c.change_kind,
                  {lang["language_from"]}, {lang["language_to"]}
           from v
           left join stg_version_changes c on c.to_version_id = v.version_id
           left join d using (payload_sha256)
           order by v.site_id, v.version_no""",
        [site_ids, EXCERPT_CHARS * 4],  # markdown marks and headings come off: read more than is shown
    )
    by_site: dict[str, list[dict]] = {}
    for r in rows:
        by_site.setdefault(r["site_id"], []).append(r)
    return by_site


def _site_section(site_id: str, versions: list[dict], t0: datetime, t1: datetime, names: dict[str, str]) -> str:
    rows = []
    for v in versions:
        start = f"<span class='date'>{v['valid_from']:%Y-%m-%d}</span>"  # a date does not break at its dashes
        after = f"<span class='date'>{v['changed_after']:%Y-%m-%d}</span>" if v["changed_after"] else ""
        window = f"after {after}, by {start}" if after else start
        rows.append(
            f"<tr><td>{v['version_no']}</td><td>{window}</td><td>{e(language_name(v['language']))}</td>"
            f"<td>{e(v['stated_date'])}</td><td>{e(v['word_count'])}</td><td>{e(v['n_captures'])}</td>"
            f"<td class='change'>{e(change_sentence(v, names))}</td>"
            f"<td class='excerpt'>{e(plain_text(v['text_start'], EXCERPT_CHARS))}</td></tr>"
        )
    return (
        f'<section class="site"><h3>{e(site_id)}</h3>{timeline(versions, t0, t1)}'
        "<table><thead><tr><th>#</th><th>changed</th><th>language</th><th>stated date</th><th>words</th>"
        "<th>captures</th><th>what changed</th><th>text begins</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px} h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
.chart .title{font-weight:600;font-size:13px} .chart .small{font-size:11px} .note{font-size:10px;fill:#555}
h3{font-size:15px;margin:18px 0 4px} .date{white-space:nowrap} .axis{stroke:#444} .grid{stroke:#eee}
.tick{font-size:11px;fill:#555} .label{font-size:12px;font-weight:600} .barlabel{font-size:11px;fill:#fff}
.multiples{display:flex;flex-wrap:wrap;gap:6px 14px;max-width:1000px} svg{display:block}
table{border-collapse:collapse;font-size:12px;margin:6px 0 18px} td,th{border:1px solid #ddd;padding:3px 6px;
vertical-align:top;text-align:left} .change{max-width:320px} .excerpt{max-width:360px;color:#555}
.summary td{text-align:right}
"""


def render(con: duckdb.DuckDBPyConnection, generated_at: datetime | None = None) -> str:
    """The dashboard for a warehouse whose SQL models exist, as one HTML string."""
    generated_at = generated_at or datetime.now()
    names = dict(con.execute(PRACTICE_NAMES_SQL).fetchall())
    stale_after = con.execute("select stale_after_months from stg_settings").fetchone()[0]
    prev = _query(con, PREVALENCE_SQL)
    covered = {r["year"]: (r["n_sites_covered"], r["n_sites_unread"]) for r in prev}
    counted = {
        "sites counted": [(y, float(c)) for y, (c, _) in sorted(covered.items())],
        "left out: language not read": [(y, float(u)) for y, (_, u) in sorted(covered.items())],
    }
    reg, reg_notes = _by_series(_query(con, MENTIONS_SQL), "term")
    lengths = _query(con, "select * from length_readability_by_year order by year")
    words = {"median words": [(r["year"], float(r["median_words"])) for r in lengths if r["median_words"] is not None]}
    grade = {
        "mean FK grade": [(r["year"], float(r["mean_fk_grade"])) for r in lengths if r["mean_fk_grade"] is not None]
    }
    sites = _query(con, "select * from sites order by n_versions desc, site_id limit ?", [MAX_SITES])
    span = con.execute(
        "select min(valid_from), max(coalesce(valid_to, last_captured_at)) from stg_policy_versions"
    ).fetchone()
    site_html = ""
    if span and span[0] is not None:
        t0, t1 = span
        shown = [s["site_id"] for s in sites if s["n_versions"]]
        by_site = _site_versions(con, shown)
        site_html = "".join(_site_section(site, by_site.get(site, []), t0, t1, names) for site in shown)
    n_sites, n_versions = con.execute("select count(*), coalesce(sum(n_versions), 0) from sites").fetchone()
    n_changes = con.execute("select count(*) from stg_version_changes").fetchone()[0]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>policy-history dashboard</title><style>{STYLE}</style></head>
<body>
<h1>Privacy policy history</h1>
<p>Generated {e(f"{generated_at:%Y-%m-%d %H:%M}")} UTC from the published warehouse.</p>
<table class="summary"><tr><th>sites</th><td>{n_sites}</td><th>policy versions</th><td>{n_versions}</td>
<th>changes</th><td>{n_changes}</td></tr></table>
<h2>Practices over time</h2>
<p>Share of sites whose policy in force on 31 December has each practice, one chart per practice on the same
axes. A site counts in a year when its policy was captured within {stale_after} months of the year's end (or after it),
and its language is one the tagger reads; the first chart says how many sites that is.</p>
{line_chart(counted, "Sites counted in the shares, by year", whole=True)}
{_prevalence_html(prev, names)}
<h2>Regulatory and self-regulatory mentions</h2>
<p>Share of the counted sites whose policy text names the term, word for word (the charts above count what
the tagger found, which may be worded otherwise).</p>
{small_multiples(reg, y_max=1.0, pct=True, notes=reg_notes)}
<h2>Length and readability</h2>
{line_chart(words, "Median length of policies in force (words)")}
{line_chart(grade, "Mean Flesch-Kincaid grade of policies in force")}
<h2>Sites</h2>
<p>Up to {MAX_SITES} sites, most versions first: each bar is a version over the time it was observed, on a
date axis; the table says what changed at its start.</p>
{site_html}
</body></html>
"""
