"""A terminal that reports no size: the application still starts, draws and quits, and follows
the terminal once it is sized."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import sys
import termios
import time

import pytest
from kbdoctor.tui.terminal import assume_size_if_unknown

from tests.support.terminal import read_terminal


def test_an_unsized_terminal_is_taken_as_80x24_until_the_application_has_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=0: os.terminal_size((0, 0)))
    assumed = assume_size_if_unknown()
    assert (os.environ["COLUMNS"], os.environ["LINES"]) == ("80", "24")
    assumed.restore()
    assert "COLUMNS" not in os.environ
    assert "LINES" not in os.environ


def test_a_size_the_user_or_the_terminal_gives_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "132")
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=0: os.terminal_size((0, 0)))
    assumed = assume_size_if_unknown()
    assumed.restore()
    assert os.environ["COLUMNS"] == "132"  # the user's, kept
    assert "LINES" not in os.environ
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=0: os.terminal_size((100, 30)))
    assert assume_size_if_unknown().added == {}


def test_the_application_draws_in_an_unsized_pseudo_terminal_and_quits() -> None:
    """Before the fix, Textual laid the screen out for 80x25 and 80x24 in turn, for ever."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, on the pseudo-terminal
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)
        os.environ["TERM"] = "xterm-256color"
        command = ["-m", "kbdoctor", "tui", "--demo", "--lang", "en"]
        os.execv(sys.executable, [sys.executable, *command])
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 0, 0, 0, 0))
        drawn = read_terminal(fd, 30.0, until=b"diagnosed")
        assert b"diagnosed" in drawn  # the ranked causes were drawn
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        wide = ("━" * 95).encode()  # longer than any line of an 80-column screen
        resized = read_terminal(fd, 5.0, until=wide)
        assert wide in resized  # the tab underline now spans 120 columns
        os.write(fd, b"q")
        read_terminal(fd, 10.0)
        deadline = time.monotonic() + 10
        status = None
        while status is None and time.monotonic() < deadline:
            done, code = os.waitpid(pid, os.WNOHANG)
            status = code if done else None
            time.sleep(0.05)
        assert status == 0
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
