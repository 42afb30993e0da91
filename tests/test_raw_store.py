"""The raw store's files: plain gzip whichever library wrote them, verified on reading."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pipelines.archive.store import RawStore, sha256

PAGE = b"<html><body>" + b"<p>We keep your data for 30 days.</p>" * 500 + b"</body></html>"


def test_a_stored_payload_is_plain_gzip_and_reads_back(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    digest = store.put(PAGE, sync=False)
    assert digest == sha256(PAGE)
    assert gzip.decompress(store.path(digest).read_bytes()) == PAGE  # any gzip reader can read the store
    assert store.get(digest) == PAGE
    assert store.path(digest).stat().st_size < len(PAGE) / 10


def test_writing_twice_gives_the_same_file(tmp_path: Path) -> None:
    a, b = RawStore(tmp_path / "a"), RawStore(tmp_path / "b")
    assert a.path(a.put(PAGE, sync=False)).read_bytes() == b.path(b.put(PAGE, sync=False)).read_bytes()


def test_a_store_written_with_zlib_reads_as_before(tmp_path: Path) -> None:
    store, digest = RawStore(tmp_path), sha256(PAGE)
    store.path(digest).parent.mkdir(parents=True)
    store.path(digest).write_bytes(gzip.compress(PAGE, compresslevel=3, mtime=0))
    assert store.has(digest)
    assert store.get(digest) == PAGE


def test_a_file_that_does_not_match_its_name_is_refused(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    digest = store.put(PAGE, sync=False)
    store.path(digest).write_bytes(gzip.compress(PAGE + b" ", mtime=0))
    with pytest.raises(ValueError, match="raw store corrupt"):
        store.get(digest)
