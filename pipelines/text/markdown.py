"""The main text of an HTML page as markdown.

Before any reading, consent prompts (cookie banners, preference dialogs) and dialogs (sign-in, error pop-ups) are
removed from the page (`prompts`): scripts and timing decide whether a fetch caught them, so kept they make a
text come and go.

trafilatura tuned for long legal pages is the first choice, checked against the page itself (the headings and
list items of the body that vanished from its output, its share of sentence-like prose, a policy flattened into
one table row). When it lost structure or text, our own walk over the page (`walk`) offers two readings: the main
container (the smallest block holding 90% of the page's prose) and the whole body; one replaces trafilatura's
when it keeps more prose at no lower density (only where trafilatura kept little prose), or the same text with
the structure trafilatura lost. On a combined legal page (privacy policy plus terms of use) only the
privacy-policy part is kept (`focus`). Every reading keeps headings (`#`) and list items (`- `). When
trafilatura's reading is kept, the visible prose sections of the main container it dropped (a block whose class
name reads like boilerplate) are put back in place (`restore`).

Cost: the page is parsed once (with trafilatura's own loader) and that tree is handed to trafilatura, to the
safeguard and to the date fallback; our walk runs once on every page (~10% of trafilatura's time).
"""

from __future__ import annotations

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import use_config
from trafilatura.utils import load_html

from pipelines.text.focus import focus_privacy, keep_part_titles
from pipelines.text.prompts import drop_consent_prompts, drop_dialogs
from pipelines.text.prose import comparable, kept_in, stats_of
from pipelines.text.restore import restore_dropped
from pipelines.text.walk import strip_boilerplate, structure_of, tree_to_markdown, walk_tree

MAX_TREE_SIZE = 200_000  # elements; trafilatura gives up on bigger trees instead of crawling through them

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_SIZE))


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
    root = load_page(html)
    if root is None:
        return ""
    body = root.find(".//body")
    return tree_to_markdown(body if body is not None else root)


def load_page(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, parsed once with trafilatura's own loader (so handing it the tree changes nothing);
    lxml's document parser for what that loader refuses (fragments)."""
    try:
        root = load_html(html)
        return root if root is not None else lxml.html.document_fromstring(html)
    except (ParserError, ValueError, TypeError):
        return None


def main_markdown(html: str, root: lxml.html.HtmlElement | None = None) -> tuple[str, str]:
    """(markdown, name of the reading used) for the main content of a page, before the privacy focus.

    `root` is the page's tree when the caller has parsed it already; once trafilatura has read it (on a copy of
    its own), it is stripped of boilerplate containers in place (`strip_boilerplate`).
    """
    root = load_page(html) if root is None else root
    if root is None:
        return tuned(html), "tuned"
    drop_consent_prompts(root)
    drop_dialogs(root)
    titles = keep_part_titles(root)
    first = tuned(root)
    heads, items = structure_of(strip_boilerplate(root))
    st = stats_of(first)
    normed = comparable(first) if len(heads) >= 3 or len(items) >= 3 or titles else ""
    # losing one part title is enough: a combined page can no longer be cut to its privacy part
    lost = kept_in(titles, normed) < 1 or any(len(m) >= 3 and kept_in(m, normed) < 0.7 for m in (heads, items))
    flat = st.table > 0.5 * st.words
    body = root.find(".//body")
    walk = walk_tree(body if body is not None else root)
    span = walk.main_span()
    if not lost and not flat and st.words >= 150 and st.density >= 0.5:
        return restore_dropped(first, walk, span), "tuned"
    # The safeguard fired: compare trafilatura's reading with ours.
    # trafilatura kept mostly non-prose (menus, link lists) or too little: a reading with more prose may replace
    # it. When what it kept is prose, a reading with much more is likelier several articles or comments.
    weak = st.density < 0.8 or st.words < 150 or flat
    best, best_name, best_st = first, "tuned", st
    for name, text in (("main", walk.markdown(span) if span else ""), ("body", walk.markdown())):
        cand = stats_of(text)
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


def _lost_in(heads: list[str], items: list[str], markdown: str) -> bool:
    normed = comparable(markdown)
    return any(len(marks) >= 3 and kept_in(marks, normed) < 0.7 for marks in (heads, items))


def html_to_markdown(html: str, root: lxml.html.HtmlElement | None = None) -> str:
    """Main content of an HTML page as markdown, tuned for long legal pages (recall over precision).

    `root` is the page's tree when the caller has parsed it already (see `main_markdown`).
    """
    return focus_privacy(main_markdown(html, root)[0])
