"""SIGINT and SIGTERM sent to the TUI from outside (``kill``, a closing session) end it like ctrl+q:
the terminal is put back (the shell's screen, mouse reporting off) before the process ends, then
one line says why, and the exit status is 130 or 143. Before, SIGTERM left the terminal in the
application's screen with the mouse still reported, and SIGINT ended it with status 0 and no
word. The application runs in a real pseudo-terminal here, as a user's would."""

from __future__ import annotations

import os
import pty
import signal
import sys

import pytest

from tests.hostile.bounded import ROOT
from tests.support.terminal import exit_status, read_terminal

LEAVE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"
DIAGNOSED = {"en": b"diagnosed", "pl": b"zdiagnozowan"}  # the status line's word


@pytest.mark.parametrize(
    ("signum", "lang", "code", "line"),
    [
        (signal.SIGINT, "en", 130, b"kbdoctor: interrupted (Ctrl-C)"),
        (signal.SIGTERM, "en", 143, b"kbdoctor: terminated (SIGTERM)"),
        (signal.SIGTERM, "pl", 143, "kbdoctor: zakończono (SIGTERM)".encode()),
    ],
)
def test_a_signal_from_outside_restores_the_terminal_then_says_why(
    signum: int, lang: str, code: int, line: bytes
) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, on the pseudo-terminal
        os.chdir(ROOT)
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
        command = ["-m", "kbdoctor", "tui", "--demo", "--lang", lang]
        os.execv(sys.executable, [sys.executable, *command])
    try:
        diagnosed = DIAGNOSED[lang]
        shown = read_terminal(fd, 120.0, until=diagnosed)
        assert diagnosed in shown  # the diagnosis is on the screen: the application runs
        os.kill(pid, signum)
        after = read_terminal(fd, 60.0)
        status = exit_status(pid, 60.0)
        assert status == code, after[-2000:]
        assert LEAVE_SCREEN in after
        assert MOUSE_OFF in after
        restored = after.rindex(LEAVE_SCREEN)
        assert after.count(line) == 1
        assert after.index(line) > restored  # said on the shell's screen, not lost with the app's
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
