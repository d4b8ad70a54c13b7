"""The command line's signal handler ends a run with one line however many signals arrive: a
second Ctrl-C (or a SIGTERM) that comes while the first is being handled is blocked, and one that
got through before the block finds the first under way and adds nothing."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from kbdoctor import cli


@pytest.fixture
def installed() -> Iterator[Any]:
    """The handler ``cli`` installs for a program run; the test process's own handlers and
    signal mask are put back afterwards."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE)
    saved = {signum: signal.getsignal(signum) for signum in signals}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    try:
        cli._end_on_signals("en")
        yield signal.getsignal(signal.SIGINT)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def test_a_signal_during_the_handling_of_another_adds_no_second_line(
    installed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[bytes] = []
    exits: list[int] = []
    blocked: list[set[int]] = []

    def write(fd: int, data: bytes) -> int:
        blocked.append(set(signal.pthread_sigmask(signal.SIG_BLOCK, [])))
        written.append(data)
        if len(written) == 1:  # SIGTERM comes between the first line and the exit
            installed(signal.SIGTERM, None)
        return len(data)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "_exit", exits.append)  # the real one would end the test run
    installed(signal.SIGINT, None)
    installed(signal.SIGINT, None)  # and a second Ctrl-C after it
    assert written == [b"kbdoctor: interrupted (Ctrl-C)\n"]
    assert exits == [130]
    assert {signal.SIGINT, signal.SIGTERM} <= blocked[0]  # blocked before the line is written
