"""Recut a real archive as the Wayback Machine holds a page: many captures of one text, each a new payload.

A policy the Wayback Machine captures hundreds of times rarely comes back byte-identical: each capture carries
new script nonces and inline state, cache-busting query strings, a form token, a "served at" comment. This
writes, for every HTML response of a WARC, `copies` recaptures of it that differ from it only in that way
(fresh values each time, the first at the capture's own time); other responses are copied once, and records of
other types (requests, revisits, metadata) are left out. What a reader of the page sees is unchanged, so every
recapture should give its capture's document: a benchmark of what a build costs per capture when most captures
repeat a text.

    uv run python -m bench.archive.recut ../shared/data/ota-dating/captures.warc.gz /tmp/recut.warc.gz --copies 5
"""

from __future__ import annotations

import argparse
import io
import random
import re
from datetime import datetime, timedelta
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_SCRIPT = re.compile(rb"<script\b", re.I)
_ASSET = re.compile(rb"""((?:href|src)=["'][^"'?#]+\.(?:css|js))(["'])""", re.I)
_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.I)
_BODY_CLOSE = re.compile(rb"</body\s*>", re.I)


def recapture(body: bytes, rng: random.Random, when: datetime) -> bytes:
    """The page as a later capture of the same text returns it: new nonces, cache busters, a form token, inline
    state and a timing comment, all outside what a reader sees."""
    token = f"{rng.getrandbits(64):016x}"
    body = _SCRIPT.sub(lambda _: b'<script nonce="' + f"{rng.getrandbits(48):012x}".encode() + b'"', body)
    body = _ASSET.sub(lambda m: m.group(1) + f"?v={rng.getrandbits(24):06x}".encode() + m.group(2), body)
    form = f'<input type="hidden" name="csrf_token" value="{token}">'.encode()
    body = _BODY_OPEN.sub(lambda m: m.group(0) + form, body, count=1)
    state = (
        f'<script>window.__state={{"session":"{token}","t":{int(when.timestamp())}}}</script>'
        f"<!-- served {when:%Y-%m-%dT%H:%M:%S} in 0.{rng.randrange(10, 999)}s -->"
    ).encode()
    if _BODY_CLOSE.search(body):
        return _BODY_CLOSE.sub(lambda m: state + m.group(0), body, count=1)
    # a fragment (Open Terms Archive keeps the policy's element alone): inside it, as a page's body would hold
    # it; after it, a second top-level element would make the parser read the fragment as another page
    end = body.rfind(b"</")
    return body[:end] + state + body[end:] if end >= 0 else body


def _capture_times(src: Path) -> dict[str, list[datetime]]:
    """Each URI's capture times in the archive, in order."""
    times: dict[str, list[datetime]] = {}
    with src.open("rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                times.setdefault(uri, []).append(_when(record))
    return {uri: sorted(t) for uri, t in times.items()}


def _when(record: ArcWarcRecord) -> datetime:
    return datetime.strptime(record.rec_headers.get_header("WARC-Date")[:19], "%Y-%m-%dT%H:%M:%S")


def recut(src: Path, out: Path, copies: int = 5, seed: int = 1) -> tuple[int, int]:
    """Write `out` from `src` with `copies` captures of each HTML response; (records read, records written).

    The copies of a capture fall between it and the URI's next capture (an hour apart at most), so the order of
    the texts a URI served is the archive's.
    """
    rng = random.Random(seed)
    times = _capture_times(src)
    read = written = 0
    with src.open("rb") as f, out.open("wb") as sink:
        writer = WARCWriter(sink, gzip=True)
        for record in ArchiveIterator(f):
            read += 1
            if record.rec_type != "response" or record.http_headers is None:
                continue
            body = record.content_stream().read()
            uri = record.rec_headers.get_header("WARC-Target-URI")
            first = _when(record)
            later = [t for t in times[uri] if t > first]
            step = min(timedelta(hours=1), (later[0] - first) / (copies + 1)) if later else timedelta(hours=1)
            html = "html" in (record.http_headers.get_header("Content-Type") or "").lower()
            for i in range(copies if html else 1):
                when = first + i * step
                payload = recapture(body, rng, when) if html else body
                headers = [(k, v) for k, v in record.http_headers.headers if k.lower() != "content-length"]
                http = StatusAndHeaders(record.http_headers.statusline, headers, protocol=record.http_headers.protocol)
                rec = writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(payload),
                    length=len(payload),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
                )
                writer.write_record(rec)
                written += 1
    return read, written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=5, help="captures of each HTML response (default 5)")
    args = ap.parse_args(argv)
    read, written = recut(args.src, args.out, args.copies)
    print(f"{read} records read, {written} written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
