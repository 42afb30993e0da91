"""Each site's policy history: when its versions are dated, which sections and wordings each one has, and the
ground-truth paragraphs of a version."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from pipelines.sample.library import sections
from pipelines.sample.model import LAST_VERSION_DAY, Para, Site, Slot, Version

# The days GDPR and CCPA took effect.
_GDPR, _CCPA = date(2018, 5, 25), date(2020, 1, 1)


def _long_date(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _smarten(text: str) -> str:
    """Typographic quotes, as pasted from a word processor (drives the windows-1252 case)."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append("\u2019" if ch == "'" else ch)
    return "".join(out)


def fill(site: Site, text: str) -> str:
    """An authored text as the site publishes it: placeholders filled, quotes in the site's style."""
    host = site.base.removeprefix("http://")
    text = text.format(
        company=site.company,
        site=site.name,
        domain=host,
        email=f"privacy@{site.site_id}.example",
        address=site.address,
    )
    return _smarten(text) if site.smart_quotes else text


def _applies(slot: Slot, site: Site, day: date) -> bool:
    return slot.since <= day <= slot.until and (slot.needs is None or slot.needs in site.features)


def _version_dates(site: Site, rng: random.Random) -> list[date]:
    """Version dates cluster on regulatory milestones because that is when real policies changed."""
    n = rng.randint(4, 7)
    milestones = sorted(
        {
            s.since
            for s in sections()
            if s.needs in (None, *site.features) and s.since > site.start + timedelta(days=200)
        }
    )
    # GDPR, CCPA and the newest applicable rule are the updates nearly every real policy got.
    must = [m for m in milestones if m in (_GDPR, _CCPA) or m == milestones[-1]]
    rest = [m for m in milestones if m not in must]
    span = (LAST_VERSION_DAY - site.start).days
    for _ in range(1000):
        chosen = must + rng.sample(rest, min(n - 1 - len(must), len(rest)))
        picks = [m + timedelta(days=rng.randint(0, 60)) for m in chosen]
        while len(picks) < n - 1:
            picks.append(site.start + timedelta(days=rng.randint(150, span)))
        days = sorted([site.start, *picks])
        if days[-1] <= LAST_VERSION_DAY and all((b - a).days >= 150 for a, b in zip(days, days[1:], strict=False)):
            return days
    raise RuntimeError(f"could not place versions for {site.site_id}")


def make_versions(site: Site, rng: random.Random) -> list[Version]:
    """Build each version from the sections active at its date; each revision also rewords 1-2 sections.

    A site with a `translation` gets a version of its own on the translation's date: the policy of the day,
    in the other language and otherwise unchanged; its later versions are in that language and reworded too.
    """
    slots = sections()
    alt = {s.key: rng.randrange(len(s.alts)) for s in slots}
    heading = {s.key: rng.choice(s.headings) for s in slots}
    tr = site.translation
    days = _version_dates(site, rng)
    if tr is not None:  # no other version within 150 days of the translation, which stands alone
        days = sorted([d for d in days if d == days[0] or abs((d - tr.since).days) >= 150] + [tr.since])
    versions: list[Version] = []
    for no, day in enumerate(days, start=1):
        translated = tr is not None and day >= tr.since
        words = {s.key: s for s in tr.slots} if tr is not None and translated else {}
        active = [s for s in slots if _applies(s, site, day)]
        revisable = [s for s in active if len(s.alts) > 1]
        rewordings = 0 if tr is not None and day == tr.since else rng.randint(1, 2) if versions else 0
        while True:
            for s in rng.sample(revisable, rewordings):
                alt[s.key] = (alt[s.key] + rng.randrange(1, len(s.alts))) % len(s.alts)
            blocks = tuple(_block(site, s, words.get(s.key), heading[s.key], alt[s.key]) for s in active)
            # Guarantees the text really changes even when no era boundary falls between versions.
            if not versions or blocks != versions[-1].blocks:
                break
            rewordings = 1
        if translated:
            assert tr is not None
            stated = f"{day.day} {tr.months[day.month - 1]} {day.year}"
            versions.append(Version(no, day, tr.date_phrase.format(stated), blocks, tr.language, tr.title))
        else:
            versions.append(Version(no, day, site.date_phrase.format(_long_date(day)), blocks))
    return versions


def _block(
    site: Site, slot: Slot, other: Slot | None, heading: str | None, alt: int
) -> tuple[str | None, int, tuple[Para, ...]]:
    """One section of a version as (heading, level, paragraphs): the site's heading and wording of `slot`, or,
    in a translated version, those of its translation `other` at the same positions (modulo their number)."""
    if other is not None:
        heading = other.headings[slot.headings.index(heading) % len(other.headings)]
        paras = other.alts[alt % len(other.alts)]
    else:
        paras = slot.alts[alt]
    return (
        fill(site, heading) if heading else None,
        slot.level,
        tuple(replace(p, text=fill(site, p.text), items=tuple(fill(site, i) for i in p.items)) for p in paras),
    )


def paragraphs(site: Site, v: Version) -> list[tuple[str | None, str, tuple[str, ...]]]:
    """(heading, text, practices) of a version in document order, exactly as rendered."""
    out: list[tuple[str | None, str, tuple[str, ...]]] = []
    current: str | None = None
    if site.date_at_top:
        out.append((None, v.date_line, ()))
    for head, _level, paras in v.blocks:
        current = head or current
        for p in paras:
            out.append((current, p.text, p.practices))
            out.extend((current, item, p.practices) for item in p.items)
    if not site.date_at_top:
        out.append((current, v.date_line, ()))
    return out
