"""Documents: decode a payload, extract its main text as markdown (`markdown`), and describe it.

The description (policy score, stated date, language, readability) works on the text with linear-time tools
(RE2, one pass each). Every read is bounded: payload bytes, decompressed bytes, element count, and parse time
(where a timer can be armed); any failure becomes a status, never an exception.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import lxml.html

from pipelines.text import markdown
from pipelines.text.classify import POLICY_THRESHOLD, policy_score
from pipelines.text.dates import StatedDate, stated_date
from pipelines.text.decode import MAX_HTML_BYTES, TooLarge, decode, decode_cf_emails, inflate, kind_of, title_of
from pipelines.text.describe import fk_grade, language
from pipelines.text.normalize import text_hash
from pipelines.text.pdf import pdf_title, pdf_to_text
from pipelines.text.walk import strip_boilerplate

EXTRACTOR_VERSION = "0.3.3"

PARSE_SECONDS = 20.0  # wall-clock budget of one extraction, enforced where a timer can be armed


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


def _read(payload: bytes, content_type: str | None, seen: dict[bytes, _Read] | None = None) -> _Read | str:
    """What a payload says, less its stated date (see `_dated`), or the status when there is no text to read.

    With `seen`, an HTML page equal to one read before but for its inert markup (`inert_key`) is not read again.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    kind = kind_of(payload, mime)
    if kind == "pdf":
        return _described(pdf_to_text(payload), pdf_title(payload), None)
    if kind == "binary":
        return "not_html"
    text = decode(payload, content_type)
    if kind == "text":
        return _described(text.strip(), "", None)
    html = decode_cf_emails(text)
    title = title_of(html)
    key = inert_key(html, title) if seen is not None else b""
    if key and key in seen:
        return seen[key]
    root = markdown.load_page(html)  # parsed once: trafilatura, the safeguard and the date fallback all read this tree
    read = _described(markdown.html_to_markdown(html, root), title, root)
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
            read = _read(inflate(payload), content_type, seen)
            if isinstance(read, str):
                return Document(status=read, error=f"not a text, HTML or PDF payload ({content_type or 'no type'})")
            if read.doc.status == "empty":
                return read.doc
            sd = _stated(read.doc.text, read.root, captured_at)
    except TooLarge as exc:
        return Document(status="too_large", error=str(exc))
    except _Timeout:
        return Document(status="error", error=f"extraction took over {PARSE_SECONDS:.0f} s")
    except (Exception, RecursionError) as exc:  # parsers fail on hostile bytes; that is a status, not a crash
        return Document(status="error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
    if sd is None:
        return read.doc
    return replace(read.doc, stated_date=sd.value.isoformat(), stated_date_confidence=sd.confidence)
