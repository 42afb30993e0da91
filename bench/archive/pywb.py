"""A real pywb on 127.0.0.1 (free port) replaying given WARCs: what tests and benchmarks fetch from, never the
public archive.

pywb lives in its own venv (`scripts/pywb.sh` installs `.venv-pywb`); `PYWB_VENV` points elsewhere for local
work.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLLECTION = "coll"


def pywb_venv() -> Path | None:
    """The pywb venv if installed, else None."""
    venv = Path(os.environ.get("PYWB_VENV", REPO / ".venv-pywb"))
    return venv if (venv / "bin" / "wayback").exists() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PywbServer:
    """A running `wayback` process over one collection; `cdx` and `replay` are its endpoints."""

    def __init__(self, warcs: list[Path], workdir: Path, venv: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        bindir = venv / "bin"
        subprocess.run([bindir / "wb-manager", "init", COLLECTION], cwd=workdir, check=True, capture_output=True)
        subprocess.run(
            [bindir / "wb-manager", "add", COLLECTION, *map(str, warcs)], cwd=workdir, check=True, capture_output=True
        )
        self.log = (workdir / "wayback.log").open("wb")
        self.proc = subprocess.Popen(
            [bindir / "wayback", "-p", str(self.port), "-b", "127.0.0.1"],
            cwd=workdir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}/{COLLECTION}"
        self.cdx = f"{self.base}/cdx"
        self.replay = self.base
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pywb exited: {(self.workdir / 'wayback.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.cdx}?url=example.invalid", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("pywb did not answer within 60s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
