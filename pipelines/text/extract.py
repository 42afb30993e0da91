"""Documents: decode a payload, extract its main text as markdown (`markdown`), and describe it.

The description (page type and policy score, stated date, language, readability) works on the text with
linear-time tools (RE2, one pass each). Every read is bounded: payload bytes, decompressed bytes, element count,
and parse time (where a timer can be armed); any failure becomes a status, never an exception.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime

import lxml.html

from pipelines.text import markdown
from pipelines.text.dates import stated_date
from pipelines.text.decode import MAX_HTML_BYTES, TooLarge, decode, decode_cf_emails, inflate, kind_of, title_of
from pipelines.text.describe import fk_grade, language
from pipelines.text.keys import inert_key, tree_key
from pipelines.text.normalize import text_hash
from pipelines.text.page_dates import document_date, header_text, needs_page, page_text
from pipelines.text.pagetype import page_type
from pipelines.text.pdf import pdf_title, pdf_to_text

EXTRACTOR_VERSION = "0.4.4"  # 0.4.4: a page whose own name says terms / FAQ / imprint (and not privacy) is no policy

DESCRIBED_TEXTS = 256  # texts a process keeps the description of (a few MB)
PARSE_SECONDS = 20.0  # wall-clock budget of one extraction, enforced where a timer can be armed


@dataclass(frozen=True)
class Document:
    """One extracted document; the fields of the `documents` table (less the payload key)."""

    status: str
    text: str = ""
    title: str = ""
    language: str | None = None
    is_policy: bool = False  # page_type == "privacy_policy": what versions and marts count
    policy_score: float = 0.0
    page_type: str | None = None  # privacy_policy | cookie_notice | other_legal | not_legal | unknown
    stated_date: str | None = None
    stated_date_confidence: float | None = None
    word_count: int = 0
    fk_grade: float | None = None
    text_sha256: str | None = None
    error: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    extraction_key: str | None = None  # see `extraction_key`

    def contract(self) -> dict:
        """The `policy-history extract` JSON object."""
        keys = (
            "status",
            "text",
            "title",
            "language",
            "is_policy",
            "policy_score",
            "page_type",
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


@dataclass(frozen=True)
class _Page:
    """A payload made ready to read: its kind, its inflated bytes, and for HTML and text its decoded text and
    title. Everything extraction reads of a payload is here."""

    kind: str  # pdf | html | text | binary (`kind_of`)
    payload: bytes
    text: str = ""
    title: str = ""
    root: lxml.html.HtmlElement | None = None  # the parsed HTML page, which every reading then reads


def _open(payload: bytes, content_type: str | None) -> _Page:
    payload = inflate(payload)
    kind = kind_of(payload, (content_type or "").split(";")[0].strip().lower())
    if kind in ("pdf", "binary"):
        return _Page(kind, payload)
    text = decode(payload, content_type)
    if kind == "text":
        return _Page(kind, payload, text.strip())
    html = decode_cf_emails(text)
    return _Page(kind, payload, html, title_of(html), markdown.load_page(html))


def _key(page: _Page, content_type: str | None) -> str:
    h = hashlib.sha256(page.kind.encode() + b"\0")
    if page.kind == "html":
        h.update(tree_key(page.root, page.title) if page.root is not None else b"raw" + inert_key(page.text))
    elif page.kind == "text":
        h.update(page.text.encode("utf-8", "surrogatepass"))
    elif page.kind == "pdf":
        h.update(page.payload)
    else:  # the document of a binary payload names its declared type
        h.update((content_type or "").encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def extraction_key(payload: bytes, content_type: str | None = None) -> str | None:
    """A digest of exactly what extraction reads of a payload: two payloads with one key get one document, but
    for the stated date each one's capture time allows. For HTML that is the parsed page less what no reader of
    it looks at (`keys.tree_key`); for text its decoded text; for PDF its bytes.

    A parse and a walk of the tree: a fraction of an extraction. None when the payload cannot be opened within
    bounds: such a payload is extracted on its own.
    """
    if len(payload) > MAX_HTML_BYTES:
        return None
    try:
        return _key(_open(payload, content_type), content_type)
    except Exception:  # an unreadable payload has no key; its extraction says what is wrong with it
        return None


def _read(page: _Page, key: str, seen: dict[str, _Read] | None) -> _Read | str:
    """What a page says, less its stated date (see `page_dates`), or the status when there is no text to read.

    With `seen`, a page whose key was read before is not read again.
    """
    if seen is not None and key in seen:
        return seen[key]
    if page.kind == "binary":
        return "not_html"
    if page.kind == "pdf":
        read = _described(pdf_to_text(page.payload), pdf_title(page.payload), None)
    elif page.kind == "text":
        read = _described(page.text, "", None)
    else:  # parsed once: trafilatura, the safeguard and the date fallback all read this tree
        headers = header_text(page.root) if page.root is not None else ""
        read = _described(markdown.html_to_markdown(page.text, page.root), page.title, page.root, headers)
    if seen is not None:
        seen[key] = read
    return read


@dataclass(frozen=True)
class _Read:
    """A payload's document less its stated date, and the page's tree the date fallback reads."""

    doc: Document
    root: lxml.html.HtmlElement | None
    headers: str = ""  # the text of the page's <header> elements, which the main-text reading strips

    @functools.cached_property
    def page(self) -> str:
        """The page's text the date fallback reads: taken once, however many captures share the page."""
        return page_text(self.root, self.headers) if self.root is not None else ""


def _described(text: str, title: str, root: lxml.html.HtmlElement | None, headers: str = "") -> _Read:
    doc = _document(text, title)
    return _Read(doc, root if doc.status != "empty" else None, headers)


@functools.lru_cache(maxsize=DESCRIBED_TEXTS)
def _document(text: str, title: str) -> Document:
    """The document of a text and title, less its stated date. Cached: pages of different extraction keys
    mostly differ in chrome that extraction drops (a class name, a banner), so their texts come out the same,
    and describing one (language, page type, readability) costs a quarter of its extraction."""
    words = len(text.split())
    if words == 0:
        return Document(status="empty", title=title, error="no main text found")
    lang = language(text)
    kind = page_type(text, title, lang)
    grade = fk_grade(text)
    return Document(
        status="ok" if kind.is_policy else "not_policy",
        text=text,
        title=title,
        language=lang,
        is_policy=kind.is_policy,
        policy_score=round(kind.policy_score, 4),
        page_type=kind.type,
        word_count=words,
        fk_grade=round(grade, 2) if grade is not None else None,
        text_sha256=text_hash(text),
    )


def extract(
    payload: bytes,
    content_type: str | None = None,
    url: str | None = None,
    captured_at: datetime | None = None,
) -> Document:
    """Extract and describe one payload. Never raises for bad input: the status says what happened."""
    return _extract(payload, content_type, captured_at, None)


def extract_many(
    tasks: Iterable[tuple[bytes | Callable[[], bytes], str | None, datetime | None]],
    keys: Iterable[str | None] | None = None,
) -> Iterator[Document]:
    """`extract` over (payload, content type, captured at) tasks, the same documents in the same order.

    Payloads with one extraction key (most distinct payloads of one archived page) are read once; each still
    gets the stated date its own capture time allows. `keys`, when given, are the tasks' extraction keys
    computed before (`extraction_key`): a payload whose key was read is then not even loaded (a task's payload
    may be a function that loads it) or parsed.
    """
    seen: dict[str, _Read] = {}
    for (payload, content_type, captured_at), key in zip(tasks, keys or itertools.repeat(None), strict=False):
        if key is not None and key in seen:  # its page was read under this key: its bytes are not needed
            yield _extract(b"", content_type, captured_at, seen, key)
        else:
            yield _extract(payload() if callable(payload) else payload, content_type, captured_at, seen, key)


def _extract(
    payload: bytes,
    content_type: str | None,
    captured_at: datetime | None,
    seen: dict[str, _Read] | None,
    known: str | None = None,
) -> Document:
    if len(payload) > MAX_HTML_BYTES:
        return Document(status="too_large", error=f"payload of {len(payload)} bytes over {MAX_HTML_BYTES}")
    try:
        with _deadline(PARSE_SECONDS):
            if seen is not None and known in seen:
                key, read = known, seen[known]
            else:
                page = _open(payload, content_type)
                # a key computed before (`extraction_key` of these very bytes) is not computed again
                key = known if known is not None else _key(page, content_type)
                read = _read(page, key, seen)
            if isinstance(read, str):
                error = f"not a text, HTML or PDF payload ({content_type or 'no type'})"
                return Document(status=read, error=error, extraction_key=key)
            if read.doc.status == "empty":
                return replace(read.doc, extraction_key=key)
            sd = document_date(read.doc.text, (lambda: read.page) if read.root is not None else None, captured_at)
    except TooLarge as exc:
        return Document(status="too_large", error=str(exc))
    except _Timeout:
        return Document(status="error", error=f"extraction took over {PARSE_SECONDS:.0f} s")
    except (Exception, RecursionError) as exc:  # parsers fail on hostile bytes; that is a status, not a crash
        return Document(status="error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
    if sd is None:
        return replace(read.doc, extraction_key=key)
    dated = {"stated_date": sd.value.isoformat(), "stated_date_confidence": sd.confidence}
    return replace(read.doc, extraction_key=key, **dated)


def warm_up() -> None:
    """Load what the first extraction would (the language and page-type models, the syllable dictionary), as
    a pool worker does before its first batch (`runtime.pool.warm`)."""
    extract(b"<html><body><p>Privacy policy</p></body></html>", "text/html")


def dated_like(doc: Document, captured_at: datetime | None) -> Document | None:
    """The document of another payload with `doc`'s extraction key, captured at `captured_at`: `doc` with the
    stated date that capture time allows, when its text states one in full; None when the page around the text
    could change it (the date fallback reads the page, which a document does not keep): extract that payload."""
    if not doc.text:
        return doc
    sd = stated_date(doc.text, captured_at)
    if sd is None or needs_page(sd):
        return None
    return replace(doc, stated_date=sd.value.isoformat(), stated_date_confidence=sd.confidence)
