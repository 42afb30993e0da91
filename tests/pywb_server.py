"""Test helper: the session's pywb (`bench/archive/pywb.py`) over a corpus written by the test, started once
(`shared_pywb`) and stopped at exit."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.archive.pywb import PywbServer, free_port, pywb_venv

__all__ = ["PywbServer", "free_port", "pywb_venv", "shared_pywb", "make_corpus"]

_shared: PywbServer | None = None


def shared_pywb(make_warcs: Callable[[Path], list[Path]]) -> PywbServer:
    """The session's pywb, started on first use over the WARCs `make_warcs(folder)` writes."""
    global _shared
    if _shared is None:
        venv = pywb_venv()
        if venv is None:
            raise RuntimeError("pywb not installed")
        workdir = Path(tempfile.mkdtemp(prefix="pywb-"))
        _shared = PywbServer(make_warcs(workdir), workdir, venv)

        def _stop() -> None:
            _shared.stop()
            shutil.rmtree(workdir, ignore_errors=True)

        atexit.register(_stop)
    return _shared


# --- the test corpus: two sites whose policies move, repeat, redirect and hide behind variants -------------


def _page(title: str, body: str, links: list[tuple[str, str]] = ()) -> bytes:
    anchors = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links)
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p>"
        f"<footer><ul>{anchors}</ul></footer></body></html>"
    ).encode()


HOME_OLD = _page(
    "Shop A",
    "Welcome to Shop A.",
    [
        ("/account/privacy-settings", "Privacy settings"),
        ("/about.html", "About us"),
        ("/privacy.html", "Privacy Policy"),
    ],
)
HOME_NEW = _page(
    "Shop A",
    "Welcome back to Shop A.",
    [("https://www.shop-a.test/legal/privacy-notice", "Privacy Notice"), ("/terms", "Terms of use")],
)
POLICY = {v: _page("Privacy Policy", f"We collect your e-mail address. Version {v}.") for v in range(1, 6)}

# (kind, url, WARC-Date, status, body or revisited version, Location)
MANIFEST: list[tuple[str, str, str, int | None, object, str | None]] = [
    ("response", "http://www.shop-a.test/", "2012-03-01T00:00:00Z", 200, HOME_OLD, None),
    ("response", "http://www.shop-a.test/", "2013-05-01T00:00:00Z", 200, HOME_OLD, None),
    ("response", "http://www.shop-a.test/", "2016-02-01T00:00:00Z", 200, HOME_NEW, None),
    ("response", "https://shop-a.test/", "2018-01-01T00:00:00Z", 200, HOME_NEW, None),
    ("response", "http://www.shop-a.test/privacy.html", "2012-04-01T00:00:00Z", 200, POLICY[1], None),
    ("response", "http://www.shop-a.test/privacy.html", "2013-04-01T00:00:00Z", 200, POLICY[1], None),
    ("response", "https://shop-a.test/privacy.html", "2014-04-01T00:00:00Z", 200, POLICY[2], None),
    ("revisit", "http://www.shop-a.test/privacy.html", "2014-09-01T00:00:00Z", None, POLICY[1], None),
    ("response", "http://www.shop-a.test/privacy.html?ref=footer", "2014-11-01T00:00:00Z", 200, POLICY[2], None),
    ("response", "http://www.shop-a.test/privacy.html", "2015-06-01T00:00:00Z", 301, b"", "/legal/privacy-notice"),
    ("response", "http://www.shop-a.test/privacy.html", "2015-07-01T00:00:00Z", 404, b"gone", None),
    ("response", "http://www.shop-a.test/privacy.html.bak", "2013-01-01T00:00:00Z", 200, b"backup", None),
    ("response", "http://www.shop-a.test/legal/privacy-notice", "2015-06-01T00:00:00Z", 200, POLICY[3], None),
    ("response", "http://www.shop-a.test/legal/privacy-notice", "2016-06-01T00:00:00Z", 200, POLICY[3], None),
    ("response", "http://www.shop-a.test/legal/privacy-notice", "2017-06-01T00:00:00Z", 200, POLICY[4], None),
    ("response", "https://shop-a.test/legal/privacy-notice/", "2018-06-01T00:00:00Z", 200, POLICY[4], None),
    ("response", "http://shop-b.test/page.aspx?id=privacy", "2014-02-01T00:00:00Z", 200, POLICY[5], None),
    ("response", "http://shop-b.test/page.aspx?id=privacy", "2015-02-01T00:00:00Z", 200, POLICY[2], None),
    ("response", "http://shop-b.test/page.aspx?id=terms", "2015-02-01T00:00:00Z", 200, b"terms", None),
]


def make_corpus(folder: Path) -> list[Path]:
    """Write MANIFEST as one gzipped WARC (revisits refer to the first response with their payload)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = folder / "corpus.warc.gz"
    first: dict[bytes, object] = {}
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for kind, url, date, status, body, location in MANIFEST:
            if kind == "revisit":
                orig = first[body]
                rec = w.create_revisit_record(
                    url,
                    orig.rec_headers.get_header("WARC-Payload-Digest"),
                    orig.rec_headers.get_header("WARC-Target-URI"),
                    orig.rec_headers.get_header("WARC-Date"),
                    http_headers=orig.http_headers,
                )
                rec.rec_headers.replace_header("WARC-Date", date)
                w.write_record(rec)
                continue
            headers = [("Content-Type", "text/html; charset=utf-8")] + ([("Location", location)] if location else [])
            reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[status]
            http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
            rec = w.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": date}
            )
            w.write_record(rec)
            first.setdefault(body, rec)
    return [path]
