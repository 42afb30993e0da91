"""Shared fixtures for the CDX tests: the session's pywb (skipped, with the reason, when not installed)."""

from __future__ import annotations

import pytest
from pywb_server import PywbServer, make_corpus, pywb_venv, shared_pywb

from pipelines.archive.cdx import CdxClient
from pipelines.archive.http import PoliteClient


@pytest.fixture(scope="session")
def pywb() -> PywbServer:
    if pywb_venv() is None:
        pytest.skip("pywb not installed: run scripts/pywb.sh (creates .venv-pywb; scripts/test.sh runs it)")
    return shared_pywb(make_corpus)


def fast_client(cdx: str, replay: str, **kw: object) -> CdxClient:
    """A client with no rate limit and short waits, for 127.0.0.1."""
    http = PoliteClient(rate=0, timeout=(2.0, 0.3), backoff=0.01, max_backoff=0.05, max_attempts=12, seed=1, **kw)
    return CdxClient(cdx, replay, http)
