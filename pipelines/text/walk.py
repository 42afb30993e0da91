"""Our own walk over a page tree: its visible text as markdown lines, each line's prose, each block's span.

trafilatura's reading is checked against this walk, which also offers the main-container and whole-body
readings and the sections `restore` puts back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from pipelines.text.prose import WORD, prose_count

_DROP = {
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "head",
    "nav", "header", "footer", "aside", "select", "option", "button", "input", "textarea", "map", "audio", "video",
}  # fmt: skip
_BLOCK = {
    "p", "div", "section", "article", "main", "table", "tr", "td", "th", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "form", "fieldset", "address", "center", "figure", "figcaption", "body", "hr", "tbody",
    "thead", "tfoot", "caption", "details", "summary", "legend",
}  # fmt: skip

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

CONTAINER_SHARE = 0.9  # the main container holds this share of the page's prose


@dataclass
class Walk:
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


def walk_tree(root: lxml.html.HtmlElement) -> Walk:
    """One pass over the tree: headings as `#`, list items as `- `, one block per line, boilerplate skipped."""
    walk = Walk([], [], [], [])
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
            add(prefix[0] + text, prose_count(text))
        prefix[0] = ""

    def visit(el: lxml.html.HtmlElement) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _DROP:
            return  # comments, processing instructions and boilerplate: their text is not content
        hide = _hidden(el)
        if hide and (tag in _BLOCK or tag in HEADINGS):
            flush()  # the text before a hidden block is not hidden
        hidden[0] += hide
        read(el, tag)
        hidden[0] -= hide

    def read(el: lxml.html.HtmlElement, tag: str) -> None:
        if tag in HEADINGS:
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
    return walk_tree(root).markdown()


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
        if len(WORD.findall(text)) >= (3 if is_head else 6):
            (heads if is_head else items).append(text)
    return heads, items
