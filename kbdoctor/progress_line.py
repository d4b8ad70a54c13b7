"""How far a live collection has got, on a terminal: one line on standard error, rewritten in
place (``live: 37/57 probes done``), and wiped when the collection ends. Quiet when standard
error is not a terminal (a script, a pipe, a log file), where a line rewritten with carriage
returns would be noise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

Render = Callable[[int, int], str]  # (done, started) -> the line


class ProgressLine:
    """A counter callback (:data:`kbdoctor.collectors.live.pool.Counter`) that draws ``render``'s
    line at most every ``interval`` seconds, and always the last count."""

    def __init__(self, stream: TextIO, render: Render, interval: float = 0.1) -> None:
        self._stream = stream
        self._render = render
        self._interval = interval
        self._lock = threading.Lock()
        self._last = 0.0
        self._drawn = False
        self._closed = False
        self._done = 0
        self._started = 0
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty is not None and isatty())

    def __call__(self, done: int, started: int) -> None:
        if not self.enabled:
            return
        with self._lock:
            # counts reach here from many threads, not always in order: never draw backwards
            done = self._done = max(self._done, done)
            started = self._started = max(self._started, started)
            now = time.monotonic()
            if self._closed or (now - self._last < self._interval and done < started):
                return
            self._last = now
            self._stream.write("\r" + self._render(done, started) + "\x1b[K")
            self._stream.flush()
            self._drawn = True

    def close(self) -> None:
        """Wipe the line, so that what is printed next starts on a clean one."""
        with self._lock:
            self._closed = True
            if self._drawn:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
