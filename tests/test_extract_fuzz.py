"""Fuzz the extract path: malformed, truncated, huge, binary and compressed inputs never crash or hang."""

from __future__ import annotations

import bz2
import gzip
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.text.decode import MAX_HTML_BYTES
from pipelines.text.extract import extract

STATUSES = {"ok", "empty", "not_policy", "error", "too_large", "not_html"}
CTYPES = st.sampled_from(
    [None, "", "text/html", "text/html; charset=utf-8", "text/html; charset=bogus-42", "text/plain",
     "application/pdf", "application/octet-stream", "image/png", "text/html; charset=utf-16"]
)  # fmt: skip
TAGS = ["<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<h2>", "</h2>", "<li>", "<ul>", "<table><tr><td>",
        "<script>", "</script>", "<!--", "-->", "<![CDATA[", "<meta charset='", "<title>", "&#x0;", "&amp",
        "Privacy Policy", "We collect personal information.", "Last updated: May 5, 2019",
        "\x00", "\ufeff"]  # fmt: skip

markup = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=40)), max_size=200).map("".join)
pdfish = st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b)
compressed = st.binary(max_size=3000).flatmap(
    lambda b: st.sampled_from([gzip.compress(b), zlib.compress(b), bz2.compress(b), gzip.compress(b)[:-7]])
)
payloads = st.one_of(
    st.binary(max_size=4000),
    markup.map(lambda s: s.encode("utf-8", "surrogatepass")),
    markup.map(lambda s: s.encode("utf-8", "surrogatepass")[: len(s) // 2]),  # truncated mid-character
    pdfish,
    compressed,
)


def check(payload: bytes, ctype: str | None) -> None:
    doc = extract(payload, ctype)
    assert doc.status in STATUSES
    assert (doc.status in ("ok", "not_policy")) == (doc.word_count > 0)
    assert 0.0 <= doc.policy_score <= 1.0


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(payloads, CTYPES)
def test_any_payload_gets_a_status(payload: bytes, ctype: str | None) -> None:
    check(payload, ctype)


def test_pathological_pages_finish() -> None:
    deep = ("<div>" * 50_000 + "text" + "</div>" * 50_000).encode()
    wide = ("<p>" + "<b>x</b>" * 200_000).encode()
    many_lists = ("<ul>" + "<li>item words here</li>" * 100_000 + "</ul>").encode()
    for payload in (deep, wide, many_lists):
        check(payload, "text/html")


def test_huge_and_bomb_inputs_are_bounded() -> None:
    assert extract(b"<p>" + b"a" * (MAX_HTML_BYTES + 1), "text/html").status == "too_large"
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024))
    assert extract(bomb, None).status == "too_large"
