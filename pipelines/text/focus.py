"""Combined legal pages: keep the privacy policy, drop the terms of use around it."""

from __future__ import annotations

import re

import lxml.html

from pipelines.text.prose import WORD
from pipelines.text.walk import HEADINGS

# --- combined legal pages: keep the privacy policy, drop the terms of use around it -------------------------

_LEAD = r"^(?:[\w’'&.,-]+\s+){0,4}?"
# A policy's title names the whole document; numbered headings ("9. Privacy Policy Coordinator") are sections.
_PRIVACY_HEAD = re.compile(_LEAD + r"(?:online\s+)?privacy\s+(?:policy|statement|notice|pledge)\W*$", re.I)
_NOT_TITLE = re.compile(r"^(?:[\divxlc]{1,5}[.)]|[a-h][.)]\s|changes?\b|updates?\b|questions\b|contact\b)", re.I)
_TERMS_HEAD = re.compile(
    _LEAD + r"(?:terms\s+(?:of\s+(?:use|service|sale)|and\s+conditions)|conditions\s+of\s+use|user\s+agreement|"
    r"(?:general\s+)?disclaimer|legal\s+notices?|copyright)\b",
    re.I,
)
_TAGS = re.compile(r"<[^>]{0,100}>")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*:?$")


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) when a markdown line is a heading: `#` headings, bold-only or short all-caps lines (7)."""
    line = line.strip()
    if m := _MD_HEADING.match(line):
        return len(m.group(1)), _TAGS.sub(" ", m.group(2)).strip(" *")
    if m := _BOLD_LINE.match(line):
        return 7, _TAGS.sub(" ", m.group(1)).strip()
    if line and len(line) <= 80 and line.upper() == line and re.search(r"[A-Z]{3}", line):
        return 7, line
    return None


def focus_privacy(markdown: str) -> str:
    """The privacy-policy part of a page that also holds terms of use, else the markdown unchanged.

    Applies only when the page has a privacy-policy title heading and, outside its section, a terms-type
    heading (terms of use/service, user agreement, disclaimer ...) at the same or a higher level.
    """
    lines = markdown.splitlines()
    heads = [(i, *h) for i, line in enumerate(lines) if (h := _heading(line))]
    # "User Agreement and Privacy Policy" titles the combined page, not its privacy part
    start = next(
        (
            (i, lvl)
            for i, lvl, t in heads
            if _PRIVACY_HEAD.match(t) and not _NOT_TITLE.match(t) and not _TERMS_HEAD.match(t) and len(t) < 90
        ),
        None,
    )
    if start is None:
        return markdown
    i0, level = start
    end = len(lines)
    for i, lvl, t in heads:
        if i > i0 and (lvl < level or (lvl == level and (level < 7 or _TERMS_HEAD.match(t)))):
            end = i
            break
    terms_outside = any(
        (i < i0 or i >= end) and lvl <= level and _TERMS_HEAD.match(t) for i, lvl, t in heads if i != i0
    )
    kept = "\n".join(lines[i0:end]).strip()
    if not terms_outside or len(WORD.findall(kept)) < 100:
        return markdown
    return kept


def keep_part_titles(root: lxml.html.HtmlElement) -> list[str]:
    """The titles of privacy-policy or terms parts of the page set in `<header>` elements, which are turned into
    `<div>`s in place so that a reading keeps the titles `focus_privacy` cuts a combined page by.

    HTML5 puts a part's title in a `<header>` as readily as a page's banner, and our walk (and often trafilatura)
    drops every `<header>` as a banner. Only legal-part titles are kept: other section headers are as often those
    of hidden dialogs ("Your session has expired") as of the text, and would add lines that come and go.
    """
    kept: list[str] = []
    for el in list(root.iter("header")):
        if next(el.iter("nav", "ul", "ol", "form", "menu"), None) is not None:
            continue
        titles = [
            t
            for h in el.iter(*HEADINGS)
            if next(h.iter("a"), None) is None  # a site's logo is a linked heading
            and (t := " ".join(h.text_content().split()))
            and (_PRIVACY_HEAD.match(t) or _TERMS_HEAD.match(t))
        ]
        if titles and sum(len(t.split()) for t in titles) >= 0.6 * len(el.text_content().split()):
            el.tag = "div"
            kept += titles
    return kept
