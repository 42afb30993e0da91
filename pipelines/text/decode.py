"""Payload bytes to page text: inflation within bounds, the kind of payload, the charset, the addresses
Cloudflare hides, the title."""

from __future__ import annotations

import html as html_lib
import re
import zlib

from charset_normalizer import from_bytes

MAX_HTML_BYTES = 8 * 1024 * 1024  # a payload (after decompression) larger than this is not a policy page
MAX_COMPRESSION_RATIO = 100  # a gzip payload inflating more than this is treated as a bomb

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
    found = from_bytes(payload[:200_000])
    best = found.best()
    if best is not None and best.encoding not in ("cp1252", "latin_1", "ascii") and best.coherence > 0.5:
        # A DOS code page (cp852, cp850) can out-score windows-1252 on coherence alone for an English page with
        # a few accents and smart quotes; windows-1252 still wins when it reads the bytes with no more mess.
        rival = next((m for m in found if m.encoding == "cp1252"), None)
        if rival is None or rival.chaos > best.chaos:
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


def title_of(html: str) -> str:
    m = _TITLE.search(html[:200_000])
    return " ".join(html_lib.unescape(m.group(1)).split())[:500] if m else ""


def inflate(payload: bytes) -> bytes:
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
        raise TooLarge(f"payload inflates past {limit} bytes")
    return out


class TooLarge(Exception):
    pass


def kind_of(payload: bytes, mime: str) -> str:
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
