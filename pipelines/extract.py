"""Documents: decode a payload, extract its main text as markdown, and describe it."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime

import py3langid
import textstat
import trafilatura
from charset_normalizer import from_bytes

from pipelines.classify import POLICY_THRESHOLD, policy_score
from pipelines.dates import stated_date

EXTRACTOR_VERSION = "0.1.0"
MAX_HTML_BYTES = 8 * 1024 * 1024

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*['\"]?([A-Za-z0-9_.:-]+)", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


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
        return asdict(self)


def decode(payload: bytes, content_type: str | None = None) -> str:
    """Bytes to text: header charset, then meta charset, then UTF-8, then detection.

    Pages that declare nothing and are not UTF-8 are overwhelmingly windows-1252 in old archives, which
    detection alone sometimes mislabels; so windows-1252 wins unless detection is confident otherwise.
    """
    for m in (
        _HEADER_CHARSET.search(content_type or ""),
        _META_CHARSET.search(payload[:4096]),
    ):
        if m:
            enc = m.group(1) if isinstance(m.group(1), str) else m.group(1).decode("ascii", "ignore")
            enc = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "latin1": "windows-1252"}.get(
                enc.lower(), enc
            )
            try:
                return payload.decode(enc)
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(payload[:200_000]).best()
    if best is not None and best.encoding not in ("cp1252", "latin_1") and best.coherence > 0.5:
        return payload.decode(best.encoding, errors="replace")
    return payload.decode("windows-1252", errors="replace")


def normalize(text: str) -> str:
    """Text reduced for comparison: NFKC, lowercase, no markdown marks, single spaces."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = re.sub(r"[#*_>`|\[\]()-]+", " ", t)
    return " ".join(t.split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def _title(html: str) -> str:
    m = _TITLE.search(html[:200_000])
    return " ".join(html_lib.unescape(m.group(1)).split()) if m else ""


def html_to_markdown(html: str) -> str:
    """Main content as markdown, tuned for long legal pages (recall over precision)."""
    return (
        trafilatura.extract(
            html,
            output_format="markdown",
            include_formatting=True,
            include_links=False,
            include_tables=True,
            include_comments=False,
            favor_recall=True,
            # deduplicate shares an LRU cache across calls and would empty a page seen before.
            deduplicate=False,
        )
        or ""
    )


def extract(
    payload: bytes,
    content_type: str | None = None,
    url: str | None = None,
    captured_at: datetime | None = None,
) -> Document:
    """Extract and describe one payload. Never raises for bad input: the status says what happened."""
    if len(payload) > MAX_HTML_BYTES:
        return Document(status="too_large", error=f"payload of {len(payload)} bytes over {MAX_HTML_BYTES}")
    mime = (content_type or "").split(";")[0].strip().lower()
    try:
        html = decode(payload, content_type)
        if mime == "text/plain" or ("<" not in html[:2000] and mime in ("", "text/plain")):
            text, title = html.strip(), ""
        elif mime and not ("html" in mime or "xml" in mime):
            return Document(status="not_html", error=f"unsupported content type {mime}")
        else:
            text, title = html_to_markdown(html), _title(html)
    except Exception as exc:  # trafilatura/lxml can fail on hostile markup
        return Document(status="error", error=f"{type(exc).__name__}: {str(exc)[:200]}")
    words = len(text.split())
    if words == 0:
        return Document(status="empty", title=title, error="no main text found")
    score = policy_score(text, title)
    sd = stated_date(text, captured_at)
    is_policy = score >= POLICY_THRESHOLD
    return Document(
        status="ok" if is_policy else "not_policy",
        text=text,
        title=title,
        language=py3langid.classify(text[:5000])[0],
        is_policy=is_policy,
        policy_score=round(score, 4),
        stated_date=sd.value.isoformat() if sd else None,
        stated_date_confidence=sd.confidence if sd else None,
        word_count=words,
        fk_grade=round(textstat.flesch_kincaid_grade(text[:50_000]), 2),
        text_sha256=text_hash(text),
    )
