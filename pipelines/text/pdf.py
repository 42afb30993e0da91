"""PDF policies to plain text with pypdf, bounded in pages and output size."""

from __future__ import annotations

import io
import logging
import re

MAX_PAGES = 200
MAX_CHARS = 2_000_000

# pypdf logs every malformed object it recovers from; archived PDFs are often malformed, which is not news.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
_SPACES = re.compile(r"[ \t\xa0]+")


def pdf_title(payload: bytes) -> str:
    """The PDF's metadata title, or ''."""
    from pypdf import PdfReader  # noqa: PLC0415 - here, not at the top: most builds hold no PDF (~40 ms)

    try:
        meta = PdfReader(io.BytesIO(payload), strict=False).metadata
        return " ".join(str(meta.title or "").split()) if meta else ""
    except Exception:  # a broken PDF simply has no title
        return ""


def pdf_to_text(payload: bytes) -> str:
    """The text of a PDF, page by page, with words broken by line-end hyphens rejoined.

    Raises whatever pypdf raises on a PDF it cannot read; the caller turns that into a status.
    """
    from pypdf import PdfReader  # noqa: PLC0415 - see pdf_title

    reader = PdfReader(io.BytesIO(payload), strict=False)
    pages: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        pages.append(text)
        size += len(text)
        if size > MAX_CHARS:
            break
    text = _HYPHEN_BREAK.sub(r"\1\2", "\n\n".join(pages))[:MAX_CHARS]
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(lines).strip()
