"""Which captures the sample archive holds: when each site was crawled, when it was redesigned, and the awkward
records (a URL move with its 301, a 404, homepage captures, a revisit) mixed in."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from pipelines.sample.history import make_versions
from pipelines.sample.model import LAST_DAY, Record, Site, Version
from pipelines.sample.render import error_body, home_body, page, policy_body


def _capture_times(versions: list[Version], n: int, rng: random.Random) -> list[datetime]:
    """One capture early in every version (so each is observed), the rest spread uniformly."""
    days: set[int] = set()
    for i, v in enumerate(versions):
        room = (versions[i + 1].stated - v.stated).days - 1 if i + 1 < len(versions) else 120
        days.add(v.stated.toordinal() + rng.randint(3, min(75, room)))
    while len(days) < n:
        days.add(rng.randint(versions[0].stated.toordinal() + 3, LAST_DAY.toordinal()))
    return [
        datetime.combine(date.fromordinal(d), datetime.min.time(), UTC) + timedelta(seconds=rng.randint(0, 86399))
        for d in sorted(days)
    ]


def plan_site(site: Site, rng: random.Random) -> list[Record]:
    """Every record of one site in capture order, each with its ground truth (kind, version, new version)."""
    versions = make_versions(site, rng)
    times = _capture_times(versions, rng.randint(16, 32), rng)
    vers = [max((v for v in versions if v.stated < t.date()), key=lambda v: v.no) for t in times]

    # Redesigns happen mid-version so that the truth has markup-only changes to detect.
    base_layout = 0 if site.start.year < 2009 else 1
    mid_version = [j for j in range(1, len(times)) if vers[j] is vers[j - 1]]
    redesigns = sorted(rng.sample(mid_version, min(rng.randint(1, 2), 3 - base_layout, len(mid_version))))
    move_at = rng.randrange(len(times) // 3, 2 * len(times) // 3) if "move" in site.extras else len(times)

    def privacy_path(j: int) -> str:
        return site.policy_paths[-1] if j >= move_at else site.policy_paths[0]

    records: list[Record] = []
    layout_at: list[int] = []
    for j, (t, v) in enumerate(zip(times, vers, strict=True)):
        layout = base_layout + sum(1 for r in redesigns if r <= j)
        layout_at.append(layout)
        cp1252 = j == 0 and "cp1252" in site.extras
        kind = "windows1252" if cp1252 else "markup_change" if j in redesigns else "policy"
        doc = page(
            site,
            layout,
            t.year,
            v.title,
            policy_body(site, v, layout),
            privacy_path(j),
            declare_charset=not cp1252,
        )
        body = doc.encode("cp1252") if cp1252 else doc.encode("utf-8")
        url = site.base + privacy_path(j)
        if j == move_at:
            # The crawler asks for the old URL first and follows the redirect seconds later.
            records.append(
                Record(
                    t - timedelta(seconds=rng.randint(2, 40)),
                    site.base + site.policy_paths[0],
                    "redirect",
                    301,
                    location=url,
                    body=error_body(301, site.policy_paths[0], url),
                    content_type="text/html; charset=iso-8859-1",
                )
            )
        records.append(Record(t, url, kind, 200, body, "text/html" if cp1252 else "text/html; charset=utf-8", v))

    policy = list(records)
    gaps = [j for j in range(1, len(times)) if (times[j] - times[j - 1]).days >= 10]
    if "404" in site.extras:
        j = rng.choice(gaps)
        t = times[j - 1] + (times[j] - times[j - 1]) / 2
        records.append(
            Record(
                t.replace(microsecond=0),
                site.base + privacy_path(j - 1),
                "not_found",
                404,
                error_body(404, privacy_path(j - 1), None),
                "text/html; charset=iso-8859-1",
            )
        )
    if "home" in site.extras:
        for j in sorted(rng.sample(range(1, len(times)), 2)):
            t = times[j] - timedelta(hours=rng.randint(1, 20))
            doc = page(site, layout_at[j - 1], t.year, "Home", home_body(site), privacy_path(j - 1))
            records.append(Record(t, site.base + "/", "non_policy", 200, doc.encode("utf-8")))
    if "revisit" in site.extras:
        candidates = []
        for j in gaps:
            orig = next(r for r in policy if r.at == times[j - 1])
            later = times[j - 1] + timedelta(days=5)
            nxt = [v.stated for v in versions if v.stated > times[j - 1].date()]
            if orig.kind == "policy" and later.year == times[j - 1].year and (not nxt or nxt[0] > later.date()):
                candidates.append((later, orig))
        later, orig = rng.choice(candidates)
        records.append(
            Record(
                later + timedelta(seconds=rng.randint(0, 3600)),
                orig.url,
                "revisit",
                200,
                orig.body,
                orig.content_type,
                orig.version,
                refers_to=orig,
            )
        )

    records.sort(key=lambda r: r.at)
    seen: set[int] = set()
    for r in records:
        if r.version is not None and r.version.no not in seen:
            seen.add(r.version.no)
            r.starts_new_version = True
    return records
