"""Extraction keys: a digest of exactly what extraction reads of a page, so that payloads with one key are
extracted once (see `extract.extraction_key`).

The key is taken over the parsed tree extraction itself reads (`markdown.load_page`), less what no reader of it
(trafilatura without metadata, our walk, the prompt and dialog rules, the classifier, the date fallback) looks
at: comments; the inside of scripts and styles (but JSON-LD, which trafilatura's fallback reads); the `<head>`
(but its title, given apart, and JSON-LD); the values of URL attributes, whose presence alone is read (links
are not part of the text); `data-*` attributes but those trafilatura reads; the value of an input that is not a
button (a form's token); and the attributes of elements every reader discards whole (scripts, iframes, media,
`meta`, `link`) but those the dialog rule reads. Archived captures of one page differ mostly there: nonces and
tokens, cache stamps, tracking iframes and beacons, form tokens, the addresses Cloudflare re-encodes in each
`href`.
"""

from __future__ import annotations

import hashlib
import re

import lxml.html
from lxml import etree

# Attributes whose value is a URL: readers test their presence (`a[@href]`), never their value, without links.
_URL_ATTRS = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "data-src", "cite"})
# Elements every reader drops with all they hold; of their attributes only those the dialog rule tests count.
_DISCARDED = frozenset(
    {"script", "style", "iframe", "meta", "link", "svg", "canvas", "object", "embed", "audio", "video", "source"}
    | {"track", "param"}
)
_DISCARDED_READ = ("class", "role", "aria-modal", "type")  # the dialog rule; `type` tells JSON-LD
# data-* attributes are a page's own script state (trackers' beacons, lazy-load flags); these are the ones
# trafilatura reads (tests/test_extraction_keys.py checks the list against its source), and our readers read none.
DATA_READ = frozenset({"data-component", "data-testid", "data-lp-replacement-content", "data-preloaded"})
# An input's value is read only as a button's label (prompts); others hold form state, such as a session's token.
_LABELLED_INPUTS = ("button", "submit")
_UNREAD_VALUE = ("value",)
KEY_VERSION = "tree-2"  # part of every key: a key of another definition never matches
_UNSET = "\x00"
_SKIPPED = ("script", "style", "head")  # elements whose inside is not read (but a JSON-LD script's)


def tree_key(root: lxml.html.HtmlElement, title: str) -> bytes:
    """sha256 of what extraction reads of a parsed page (see the module's docstring) and its title."""
    parts: list[str] = [KEY_VERSION, title]
    append, extend = parts.append, parts.extend  # called a few times per element of every page of a build
    skip: etree._Element | None = None  # the <head> or script being skipped, until its end
    for event, el in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "end":
            if el is skip:
                skip = None
            if skip is None:
                extend(("\x02", el.tail or ""))
            continue
        if event != "start":  # a comment or processing instruction: only its tail is read
            if skip is None:
                append(el.tail or "")
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        ld = tag == "script" and "ld+json" in (el.get("type") or "").lower()
        if skip is not None and not ld:
            continue
        extend(("\x01", tag))
        if items := el.items():
            extend(_attributes(el, tag, items))
        if tag in _SKIPPED and not ld:
            append("\x03")
            skip = el
        else:
            append(el.text or "")
    return hashlib.sha256(_UNSET.join(parts).encode("utf-8", "surrogatepass")).digest()


def _attributes(el: lxml.html.HtmlElement, tag: str, items: list[tuple[str, str]]) -> list[str]:
    if tag in _DISCARDED:
        return [f"{a}={el.get(a)}" for a in _DISCARDED_READ if el.get(a) is not None]
    # In source order: trafilatura's `re:test(@id|@class, ...)` reads whichever of the two comes first.
    unread = _UNREAD_VALUE if tag == "input" and (el.get("type") or "").lower() not in _LABELLED_INPUTS else ()
    return [
        a if a in _URL_ATTRS or a in unread else f"{a}={v}"
        for a, v in items
        if not a.startswith("data-") or a in DATA_READ
    ]


# The key of a page that does not parse: its text less the inside of scripts, styles and comments (linear time).
_INERT_OPEN = re.compile(r"<(script|style)\b([^>]{0,2000})>|<!--", re.I)
_INERT_CLOSE = {"script": re.compile(r"</script", re.I), "style": re.compile(r"</style", re.I), None: re.compile("-->")}


def inert_key(html: str, title: str = "") -> bytes:
    """A digest equal for two pages that differ only inside scripts, styles and comments (linear time)."""
    h, pos = hashlib.sha256(title.encode("utf-8", "surrogatepass") + b"\0"), 0
    while m := _INERT_OPEN.search(html, pos):
        if m.group(1) and "ld+json" in m.group(2).lower():
            h.update(html[pos : m.end()].encode("utf-8", "surrogatepass"))
            pos = m.end()
            continue
        h.update(html[pos : m.start()].encode("utf-8", "surrogatepass"))
        close = _INERT_CLOSE[m.group(1) and m.group(1).lower()].search(html, m.end())
        if close is None:  # unterminated: the rest is what it is
            pos = m.start()
            break
        pos = close.end()
    h.update(html[pos:].encode("utf-8", "surrogatepass"))
    return h.digest()
