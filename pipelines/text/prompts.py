"""Consent prompts and dialogs, removed from a page's tree before it is read.

Both are in the markup or not depending on scripts, timing and the page's state, not on its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from lxml import etree

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
