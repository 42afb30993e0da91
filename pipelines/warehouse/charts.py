"""The dashboard's charts as inline SVG: line charts of at most MAX_SERIES series labelled at their line ends,
small multiples for more, and per-site version timelines on a date axis. No script, no legend to truncate.

Every label is archived or derived text and goes through `e` (html.escape).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from datetime import datetime

# Eight colours told apart also by most colour-blind readers (Okabe-Ito, black made dark grey).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#444444", "#f0e442")
MAX_SERIES = len(PALETTE)  # more lines than colours cannot be told apart: draw small multiples instead

Series = Mapping[str, Sequence[tuple[float, float]]]


def e(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


def _fmt(y: float, pct: bool) -> str:
    return f"{y:.0%}" if pct else f"{y:,.0f}" if abs(y) >= 10 or y == int(y) else f"{y:.1f}"


def nice_ticks(top: float, n: int = 4, whole: bool = False) -> list[float]:
    """Round values from 0 up to at least `top` in at most `n` equal steps of 1, 2, 2.5 or 5 times a power of
    ten (`whole`: steps of at least 1, for counts), so an axis reads 0, 250, 500, ... not 0, 223, 446, ..."""
    top = top if top > 0 else 1
    raw = top / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    step = max(step, 1) if whole else step
    if whole and step != int(step):
        step = math.ceil(step)
    k = math.ceil(top / step - 1e-9)
    return [i * step for i in range(k + 1)]


def _short(text: str, chars: int) -> str:
    """`text` cut at a word to fit `chars`, with an ellipsis (the full text goes in the chart's tooltip)."""
    if len(text) <= chars:
        return text
    return text[: chars - 1].rsplit(" ", 1)[0].rstrip(" ,(") + "…"


def line_chart(
    series: Series,
    title: str,
    y_max: float | None = None,
    pct: bool = False,
    size: tuple[int, int] = (720, 280),
    x_range: tuple[float, float] | None = None,
    note: str = "",
    whole: bool = False,
) -> str:
    """An SVG line chart of {name: [(x, y), ...]} (at most MAX_SERIES), each line labelled at its end.
    `x_range` fixes the x axis (small multiples share one); `note` is a line under the title (a small
    multiple's latest value and what it is a share of); `whole`: y counts things, its ticks are whole."""
    if len(series) > MAX_SERIES:
        raise ValueError(f"{len(series)} series in one chart: at most {MAX_SERIES} (use small_multiples)")
    w, h = size
    small = w < 400
    left, right, top, bottom = (34, 12, 34 if note else 22, 22) if small else (52, 210, 28, 30)
    points = [p for pts in series.values() for p in pts]
    shown = _short(title, int((w - 8) / 6.3)) if small else title  # 11px bold
    head = (
        f"<title>{e(title)}</title>"
        f'<text x="{4 if small else left}" y="14" class="{"title small" if small else "title"}">{e(shown)}</text>'
    )
    if note:
        head += f'<text x="{4 if small else left}" y="27" class="note">{e(note)}</text>'
    svg = (
        f'<svg class="chart" role="img" aria-label="{e(title)}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'xmlns="http://www.w3.org/2000/svg">'
    )
    if not points:
        return f'{svg}{head}<text x="{w / 2}" y="{h / 2}" class="tick" text-anchor="middle">no data</text></svg>'
    x0, x1 = x_range or (min(p[0] for p in points), max(p[0] for p in points))
    x1 = x1 if x1 > x0 else x0 + 1
    ticks_y = nice_ticks(y_max if y_max is not None else max(p[1] for p in points), whole=whole)
    if y_max == 1.0 and pct:
        ticks_y = [0, 0.25, 0.5, 0.75, 1.0]
    top_y = ticks_y[-1]

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def sy(y: float) -> float:
        return h - bottom - y / top_y * (h - top - bottom)

    parts = [svg, head]
    parts.append(f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" class="axis"/>')
    for i, y in enumerate(ticks_y):
        if small and i % 2 and y != top_y:
            continue
        parts.append(f'<line x1="{left}" y1="{sy(y):.1f}" x2="{w - right}" y2="{sy(y):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{sy(y) + 4:.1f}" class="tick" text-anchor="end">{_fmt(y, pct)}</text>')
    ticks = 3 if small else 8
    step = max(1, round((x1 - x0) / ticks))
    for x in range(int(x0), int(x1) + 1, step):
        parts.append(f'<text x="{sx(x):.1f}" y="{h - bottom + 14}" class="tick" text-anchor="middle">{x}</text>')
    ends: list[float] = []
    for i, (name, pts) in enumerate(series.items()):
        color = PALETTE[i]
        pts = sorted(pts)
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" class="series"/>')
        for x, y in pts:
            parts.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{2 if small else 3}" fill="{color}">'
                f"<title>{e(name)} {x:.0f}: {e(_fmt(y, pct))}</title></circle>"
            )
        if not small:  # direct label at the line's end, nudged off the labels above it
            ly = sy(pts[-1][1]) + 4
            while any(abs(ly - other) < 12 for other in ends):
                ly += 12
            ends.append(ly)
            parts.append(
                f'<text x="{sx(pts[-1][0]) + 6:.1f}" y="{ly:.1f}" class="label" fill="{color}">{e(name[:32])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def small_multiples(
    series: Series, y_max: float | None = None, pct: bool = False, notes: Mapping[str, str] | None = None
) -> str:
    """One small chart per series, on shared axes, in a grid: comparable at a glance, whatever their number.
    `notes` gives a series a line under its title (its latest value, of how many)."""
    if not series:
        return '<p class="empty">no data</p>'
    notes = notes or {}
    xs = [p[0] for pts in series.values() for p in pts]
    x_range = (min(xs), max(xs)) if xs else None
    top = y_max if y_max is not None else max((p[1] for pts in series.values() for p in pts), default=1)
    cells = [
        line_chart(
            {name: pts},
            name,
            y_max=top,
            pct=pct,
            size=(250, 140 if notes else 130),
            x_range=x_range,
            note=notes.get(name, ""),
        )  # fmt: skip
        for name, pts in series.items()
    ]
    return f'<div class="multiples">{"".join(cells)}</div>'


def timeline(versions: Sequence[dict], t0: datetime, t1: datetime) -> str:
    """An SVG strip on a date axis: one bar per version over its observed window (a tick where it starts, its
    number and, where it changes, its language on the bar), year labels below."""
    w, h, pad = 720, 52, 8
    span = max((t1 - t0).total_seconds(), 1.0)

    def sx(t: datetime) -> float:
        return pad + (t - t0).total_seconds() / span * (w - 2 * pad)

    parts = [
        f'<svg class="timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{pad}" y1="30" x2="{w - pad}" y2="30" class="axis"/>',
    ]
    years = range(t0.year + 1, t1.year + 1)
    every = max(1, round(len(years) / 12))
    for year in years:
        x = sx(datetime(year, 1, 1))
        parts.append(f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="34" class="axis"/>')
        if (year - t0.year) % every == 0:
            parts.append(f'<text x="{x:.1f}" y="46" class="tick year" text-anchor="middle">{year}</text>')
    language = None
    for i, v in enumerate(versions):
        start, end = v["valid_from"], v["valid_to"] or v["last_captured_at"]
        x, x2 = sx(start), max(sx(end), sx(start) + 2)
        lang = v.get("language")
        label = f"v{v['version_no']}" + (f" {lang}" if lang and lang != language and i else "")
        language = lang or language
        parts.append(
            f'<rect x="{x:.1f}" y="6" width="{x2 - x:.1f}" height="20" fill="{PALETTE[i % 2]}" opacity="0.7">'
            f"<title>version {v['version_no']} ({e(lang or 'language unknown')}): {e(start.date())} to "
            f"{e(end.date())}</title></rect>"
        )
        parts.append(f'<line x1="{x:.1f}" y1="2" x2="{x:.1f}" y2="30" stroke="#222" stroke-width="1"/>')
        if x2 - x > 8 * len(label):
            parts.append(f'<text x="{x + 3:.1f}" y="20" class="barlabel">{e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
