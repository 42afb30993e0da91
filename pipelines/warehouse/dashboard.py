"""The HTML dashboard: one self-contained file, charts as inline SVG drawn here, no script at all.

Everything archived (site ids, URLs, categories, policy text) is hostile data and goes through
`html.escape`; a Content-Security-Policy forbids scripts and any outside load, as a second wall.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime

import duckdb

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
MAX_SITES = 60  # per-site timelines shown; the Parquet exports hold them all
EXCERPT_CHARS = 280
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

Series = Mapping[str, Sequence[tuple[float, float]]]


def e(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


def line_chart(series: Series, title: str, y_max: float | None = None, y_label: str = "", pct: bool = False) -> str:
    """An SVG line chart of {name: [(x, y), ...]} with axes, ticks and a legend."""
    w, h, left, right, top, bottom = 720, 300, 56, 200, 30, 36
    points = [p for pts in series.values() for p in pts]
    if not points:
        return f'<figure class="chart"><figcaption>{e(title)}</figcaption><p class="empty">no data</p></figure>'
    xs = [p[0] for p in points]
    x0, x1 = min(xs), max(xs)
    x1 = x1 if x1 > x0 else x0 + 1
    top_y = y_max if y_max is not None else max(p[1] for p in points) or 1
    top_y = top_y if top_y > 0 else 1

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def sy(y: float) -> float:
        return h - bottom - y / top_y * (h - top - bottom)

    parts = [
        f'<svg class="chart" role="img" aria-label="{e(title)}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left}" y="18" class="title">{e(title)}</text>',
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" class="axis"/>',
    ]
    for i in range(5):
        y = top_y * i / 4
        label = f"{y:.0%}" if pct else f"{y:,.0f}" if top_y >= 10 else f"{y:.1f}"
        parts.append(f'<line x1="{left}" y1="{sy(y):.1f}" x2="{w - right}" y2="{sy(y):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" class="tick" text-anchor="end">{e(label)}</text>')
    step = max(1, round((x1 - x0) / 8))
    for x in range(int(x0), int(x1) + 1, step):
        parts.append(f'<text x="{sx(x):.1f}" y="{h - bottom + 16}" class="tick" text-anchor="middle">{x}</text>')
    if y_label:
        parts.append(f'<text x="12" y="{top - 8}" class="tick">{e(y_label)}</text>')
    for i, (name, pts) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        pts = sorted(pts)
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" class="series"/>')
        for x, y in pts:
            parts.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{color}"><title>{e(name)} {x:.0f}: '
                f"{e(f'{y:.0%}' if pct else f'{y:,.1f}')}</title></circle>"
            )
        ly = top + 14 * i
        parts.append(f'<rect x="{w - right + 12}" y="{ly - 8}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{w - right + 26}" y="{ly + 1}" class="legend">{e(name[:30])}</text>')
    parts.append("</svg>")
    return f'<figure class="chart">{"".join(parts)}</figure>'


def timeline(versions: Sequence[dict], t0: datetime, t1: datetime) -> str:
    """An SVG strip: one bar per version over its observed window, a tick where each version starts."""
    w, h, pad = 720, 34, 8
    span = max((t1 - t0).total_seconds(), 1.0)

    def sx(t: datetime) -> float:
        return pad + (t - t0).total_seconds() / span * (w - 2 * pad)

    parts = [
        f'<svg class="timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, v in enumerate(versions):
        start, end = v["valid_from"], v["valid_to"] or v["last_captured_at"]
        color = PALETTE[i % len(PALETTE)]
        x, x2 = sx(start), max(sx(end), sx(start) + 2)
        parts.append(
            f'<rect x="{x:.1f}" y="8" width="{x2 - x:.1f}" height="16" fill="{color}" opacity="0.75">'
            f"<title>version {v['version_no']}: {e(start.date())} to {e(end.date())}</title></rect>"
        )
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="30" stroke="#222" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _site_versions(con: duckdb.DuckDBPyConnection, site_ids: list[str]) -> dict[str, list[dict]]:
    """The versions of these sites with their changes and an excerpt, by site, in version order (one query:
    the excerpts are looked up for these versions only, whatever the warehouse's size)."""
    rows = _query(
        con,
        """with v as (select * from stg_policy_versions where site_id in (select unnest(?))),
                d as (select payload_sha256, any_value(left(text, ?)) as excerpt from stg_documents
                      where payload_sha256 in (select payload_sha256 from v) group by 1)
           select v.site_id, v.version_id, v.version_no, v.valid_from, v.valid_to, v.last_captured_at,
                  v.stated_date, v.word_count, v.n_captures, d.excerpt,
                  c.similarity, c.segments_added, c.segments_removed, c.segments_modified,
                  c.practices_gained, c.practices_lost, c.changed_after
           from v
           left join stg_version_changes c on c.to_version_id = v.version_id
           left join d using (payload_sha256)
           order by v.site_id, v.version_no""",
        [site_ids, EXCERPT_CHARS],
    )
    by_site: dict[str, list[dict]] = {}
    for r in rows:
        by_site.setdefault(r["site_id"], []).append(r)
    return by_site


def _site_section(site_id: str, versions: list[dict], t0: datetime, t1: datetime) -> str:
    rows = []
    for v in versions:
        change = (
            "first version"
            if v["similarity"] is None
            else f"similarity {v['similarity']:.3f}; segments +{v['segments_added']} −{v['segments_removed']} "
            f"~{v['segments_modified']}"
        )
        gained = ", ".join(v["practices_gained"] or [])
        lost = ", ".join(v["practices_lost"] or [])
        start = f"{v['valid_from']:%Y-%m-%d}"
        window = f"after {v['changed_after']:%Y-%m-%d}, by {start}" if v["changed_after"] else start
        rows.append(
            f"<tr><td>{v['version_no']}</td><td>{e(window)}</td>"
            f"<td>{e(v['stated_date'])}</td><td>{e(v['word_count'])}</td><td>{e(v['n_captures'])}</td>"
            f"<td>{e(change)}</td><td class='gain'>{e(gained)}</td><td class='loss'>{e(lost)}</td>"
            f"<td class='excerpt'>{e(v['excerpt'])}</td></tr>"
        )
    return (
        f'<section class="site"><h3>{e(site_id)}</h3>{timeline(versions, t0, t1)}'
        "<table><thead><tr><th>#</th><th>changed</th><th>stated date</th><th>words</th><th>captures</th>"
        "<th>what changed</th><th>practices gained</th><th>practices lost</th><th>text begins</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px} h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
.chart .title{font-weight:600;font-size:13px} .axis{stroke:#444} .grid{stroke:#eee}
.tick,.legend{font-size:11px;fill:#444} figure{margin:8px 0}
table{border-collapse:collapse;font-size:12px;margin:6px 0 18px} td,th{border:1px solid #ddd;padding:3px 6px;
vertical-align:top;text-align:left} .gain{color:#2a7d2a} .loss{color:#b22} .excerpt{max-width:360px;color:#555}
.summary td{text-align:right}
"""


def render(con: duckdb.DuckDBPyConnection, generated_at: datetime | None = None) -> str:
    """The dashboard for a warehouse whose SQL models exist, as one HTML string."""
    generated_at = generated_at or datetime.now()
    prev = _query(
        con,
        """with t as (select tagger, tagger_version from practice_prevalence_by_year
                      group by all order by count(*) desc limit 1)
           select year, practice_name, share from practice_prevalence_by_year join t using (tagger, tagger_version)
           where share is not null order by practice_name, year""",
    )
    prevalence: dict[str, list[tuple[float, float]]] = {}
    for r in prev:
        prevalence.setdefault(r["practice_name"], []).append((r["year"], float(r["share"])))
    reg: dict[str, list[tuple[float, float]]] = {}
    for r in _query(con, "select year, term, share from regulatory_mentions_by_year order by term, year"):
        reg.setdefault(r["term"], []).append((r["year"], float(r["share"])))
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
        site_html = "".join(_site_section(site, by_site.get(site, []), t0, t1) for site in shown)
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
<p>Share of sites whose policy in force on 31 December has each practice.</p>
{line_chart(prevalence, "Practice prevalence by year", y_max=1.0, pct=True)}
<h2>Regulatory and self-regulatory mentions</h2>
{line_chart(reg, "Share of sites whose policy names the term", y_max=1.0, pct=True)}
<h2>Length and readability</h2>
{line_chart(words, "Median length of policies in force (words)", y_label="words")}
{line_chart(grade, "Mean Flesch-Kincaid grade of policies in force", y_label="grade")}
<h2>Sites</h2>
<p>Up to {MAX_SITES} sites, most versions first: each bar is a version over the time it was observed; the table
says what changed at its start.</p>
{site_html}
</body></html>
"""
