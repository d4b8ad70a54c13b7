"""Driving the real ``kbdoctor tui`` on a pseudo-terminal, as a user's terminal would: what it
writes, and how it ended. The bounds are for a broken run, not measurements."""

from __future__ import annotations

import os
import select
import time


def read_terminal(fd: int, seconds: float, until: bytes | None = None) -> bytes:
    """What the application writes, until ``until`` appears, the terminal closes or the time
    is up."""
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child has ended and closed the terminal
                break
            if not chunk:
                break
            out += chunk
        if until is not None and until in out:
            break
    return out


def exit_status(pid: int, seconds: float) -> int | None:
    """The child's exit status, or None if it has not ended within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    return None
