"""The stated date of an extracted document: of its main text, else of the page around it.

Extraction often drops the line that carries a policy's date: a "Last revised" line in a page header or sidebar,
an "Effective Date" heading in the `<header>` of the article. So when the main text states no date, or only a
month ("Most recent change – January 2015"), the page body is read too, with the text of its `<header>`
elements, which boilerplate stripping removes and so must be read before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import lxml.html

from pipelines.text.dates import StatedDate, stated_date
from pipelines.text.walk import strip_boilerplate

PAGE_FACTOR = 0.8  # a date read off the page around the main text is less sure than one in the text


def header_text(root: lxml.html.HtmlElement) -> str:
    """The text of the page's `<header>` elements, one text node a line; read before `strip_boilerplate`."""
    return "\n".join(t for el in root.iter("header") for t in el.itertext())


def page_text(root: lxml.html.HtmlElement, headers: str) -> str:
    """The headers' text, then the page body less boilerplate containers, one text node a line; strips the tree
    in place. Headers go first: that is where a page puts them."""
    strip_boilerplate(root)  # already done by the main-text reading: a second pass finds nothing to strip
    body = root.find(".//body")
    return headers + "\n" + "\n".join((body if body is not None else root).itertext())


def needs_page(found: StatedDate | None) -> bool:
    """Whether the page around a text could change the text's stated date `found`: none, or only a month."""
    return found is None or not found.day_known


def document_date(text: str, page: Callable[[], str] | None, captured_at: datetime | None) -> StatedDate | None:
    """The stated date of the main text; else (less sure) of the page (`page` gives its text, `page_text`); a
    month-only date of the text is refined by a full date of the same month on the page ("January 2015" in the
    text, "14 January 2015" in the header)."""
    found = stated_date(text, captured_at)
    if not needs_page(found) or page is None:
        return found
    on_page = stated_date(page(), captured_at)
    if on_page is None:
        return found
    same_month = found is not None and found.value.replace(day=1) == on_page.value.replace(day=1)
    if found is None or (on_page.day_known and same_month):
        return replace(on_page, confidence=round(on_page.confidence * PAGE_FACTOR, 2))
    return found
