"""Progress lines for a person at a terminal: written to stderr only when it is a TTY, quiet otherwise.

Stages log their progress every few seconds (`staging.with_progress`), which Dagster keeps in the run's logs.
This is the terminal's view of the slow network steps (CDX listing, fetching), where a build can sit for
minutes: the CLI turns it on, and nothing is written when it is off (tests, Dagster, CI, a redirected stderr).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

EVERY_SECONDS = 1.0  # at most one line this often per topic, so a fast loop does not flood the terminal

_stream: TextIO | None = None
_last: dict[str, float] = {}


def enable(stream: TextIO | None = None, isatty: bool | None = None) -> bool:
    """Show progress on `stream` (default: stderr) if it is a TTY (`isatty` overrides the check); True if on.

    The default stream is a duplicate of file descriptor 2 made now: Dagster may capture a step's stderr, and
    progress must still reach the terminal the command was started from.
    """
    global _stream
    target = stream if stream is not None else sys.stderr
    tty = target.isatty() if isatty is None else isatty
    if not tty:
        _stream = None
        return False
    if stream is None:
        target = os.fdopen(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding="utf-8", errors="replace")
    _stream = target
    _last.clear()
    return True


def disable() -> None:
    """Stop showing progress."""
    global _stream
    _stream = None


def show(topic: str, message: str, final: bool = False) -> None:
    """Write one progress line about `topic`, unless one was written less than EVERY_SECONDS ago (a `final`
    line, such as a finished listing, is always written)."""
    if _stream is None:
        return
    now = time.monotonic()
    if not final and now - _last.get(topic, -EVERY_SECONDS) < EVERY_SECONDS:
        return
    _last[topic] = now
    _stream.write(message + "\n")
    _stream.flush()


def eta(done: int, total: int, started: float) -> str:
    """How long the rest should take at the rate so far, as '12 s', '3 min' or '2.5 h' ('?' before any is done)."""
    elapsed = time.monotonic() - started
    if done <= 0 or elapsed <= 0:
        return "?"
    left = (total - done) * elapsed / done
    if left < 90:
        return f"{left:.0f} s"
    if left < 5400:
        return f"{left / 60:.0f} min"
    return f"{left / 3600:.1f} h"
