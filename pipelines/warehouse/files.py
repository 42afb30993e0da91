"""Writing files so that a crash never leaves half a file under its real name."""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes, sync: bool = True, mode: int = 0o644) -> None:
    """Write bytes to `target` through a temporary file in the same folder and a rename, so a crash never
    leaves a half file under the real name. `sync=False` skips the fsync (the caller flushes in bulk). The file
    gets `mode` (readable by others, like any build output), not the owner-only mode of a temporary file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, mode & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def _umask() -> int:
    """The process umask (read by setting it, so set it straight back), once: threads writing files at once
    would otherwise read each other's interim setting."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
