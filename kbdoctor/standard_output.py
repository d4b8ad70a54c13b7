"""Standard output that says when it cannot be written.

A report written to a full disk (``kbdoctor evaluate facts.yaml > /dev/full``) or a failing device
raised OSError from wherever the write happened to be, or from the interpreter's last flush, as a
traceback. While a command runs, :func:`checked_standard_output` puts a thin wrapper on
``sys.stdout`` (and its binary ``buffer``) that turns such an error into
:class:`StandardOutputFailed`, which only the command line catches: it tells a failed write to
standard output from every other OSError (a file that cannot be read, a socket) without guessing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO, cast


class StandardOutputFailed(Exception):
    """Writing to standard output failed; ``error`` says why."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _Checked:
    """``stream`` with its writes and flushes checked; everything else is the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return int(self._stream.write(data))
        except OSError as error:
            raise StandardOutputFailed(error) from error

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise StandardOutputFailed(error) from error

    @property
    def buffer(self) -> _Checked:
        return _Checked(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def checked_standard_output() -> Iterator[None]:
    """Within the block, a failed write or flush of ``sys.stdout`` raises StandardOutputFailed."""
    real = sys.stdout
    checked = _Checked(real)
    sys.stdout = cast(TextIO, checked)
    try:
        yield
    finally:
        if sys.stdout is cast(TextIO, checked):
            sys.stdout = real


def discard_standard_output() -> None:
    """Point standard output's descriptor at the null device once a write has failed, so that
    the interpreter's last flush of what is still buffered cannot fail a second time (and print
    a traceback of its own) after the one-line message."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
        os.close(null)
