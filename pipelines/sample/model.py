"""What the sample is made of: practice labels, sections and sites (read from ``data/``), policy versions and
the WARC records planned from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# OPP-115 categories, then the modern markers the rules tagger also reports.
PRACTICE_LABELS = (
    "First Party Collection/Use",
    "Third Party Sharing/Collection",
    "User Choice/Control",
    "User Access, Edit and Deletion",
    "Data Retention",
    "Data Security",
    "Policy Change",
    "Do Not Track",
    "International and Specific Audiences",
    "Other",
    "cookies",
    "children",
    "california",
    "gdpr",
    "safe_harbor",
    "privacy_shield",
    "data_privacy_framework",
    "self_regulatory",
    "do_not_track",
)

# What a site can have (a section `needs` one) and which awkward records it can contribute.
FEATURES = ("us", "eu", "intl", "ads", "kids", "seal", "qc")
EXTRAS = ("move", "home", "cp1252", "404", "revisit")
# The placeholders section text may use; `history.fill` knows how to fill each.
PLACEHOLDERS = ("company", "site", "domain", "email", "address")

FIRST_DAY, LAST_DAY = date(2005, 1, 1), date(2025, 9, 30)
LAST_VERSION_DAY = date(2025, 3, 1)
FOREVER = date(2099, 12, 31)


@dataclass(frozen=True)
class Para:
    """One authored paragraph; ``items`` turns it into a lead-in followed by a <ul>."""

    text: str
    practices: tuple[str, ...]
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slot:
    """A policy section: it is present while ``since <= stated date <= until`` and the site has ``needs``.

    ``headings`` is ``(None,)`` for a section without a heading; ``alts`` are its alternative wordings.
    """

    key: str
    headings: tuple[str | None, ...]
    level: int
    since: date
    until: date
    alts: tuple[tuple[Para, ...], ...]
    needs: str | None = None


@dataclass(frozen=True)
class Translation:
    """A site's switch of its policy to another language: from version date ``since`` on, its sections read in
    ``language`` (the wordings of ``slots``, by section key), titled ``title``, dated with ``date_phrase``."""

    language: str
    since: date
    slots: tuple[Slot, ...]
    title: str
    date_phrase: str
    months: tuple[str, ...]


@dataclass(frozen=True)
class Site:
    """A fictional site; ``extras`` picks which awkward records it contributes."""

    site_id: str
    name: str
    company: str
    start: date
    features: tuple[str, ...]
    policy_paths: tuple[str, ...]
    nav: tuple[str, ...]
    tagline: str
    address: str
    date_phrase: str
    date_at_top: bool = True
    smart_quotes: bool = False
    extras: tuple[str, ...] = ()
    translation: Translation | None = None

    @property
    def base(self) -> str:
        """The site's origin, which every one of its URLs starts with."""
        return f"http://www.{self.site_id}.example"


@dataclass(frozen=True)
class Version:
    """One policy text: ``blocks`` are (heading, level, paragraphs) with placeholders already filled."""

    no: int
    stated: date
    date_line: str
    blocks: tuple[tuple[str | None, int, tuple[Para, ...]], ...]
    language: str = "en"
    title: str = "Privacy Policy"


@dataclass
class Record:
    """One WARC record to write plus its ground-truth row."""

    at: datetime
    url: str
    kind: str
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    version: Version | None = None
    location: str | None = None
    refers_to: Record | None = None
    starts_new_version: bool = False
