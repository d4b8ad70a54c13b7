"""The TUI on a pack of 100 rules on one fact type (issue 10: it ended with status 134, the abort
of durable-rules' C core that ``evaluate`` met on the same pack). The real ``kbdoctor tui`` runs on
a pseudo-terminal, as a user's would, under RLIMIT_AS and RLIMIT_CPU: it paints the diagnosis and
ctrl+q ends it with status 0.

The run needs about 1.6 CPU seconds and 350 MiB of address space (Textual's threads each reserve
their own memory arena); it gets 20 s and 1 GiB."""

from __future__ import annotations

import os
import pty
import signal
import sys
from pathlib import Path

from tests.hostile.bounded import ROOT, _limit
from tests.hostile.slow_pack import slow_rules
from tests.support.terminal import exit_status, read_terminal

CPU_SECONDS = 20
MEMORY_BYTES = 1024 * 1024 * 1024
CTRL_Q = b"\x11"
FACTS = (
    "kbdoctor: facts/1\nfacts:\n"
    "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 1}\n"
)


def test_the_tui_diagnoses_a_pack_of_100_rules_and_quits_with_ctrl_q(tmp_path: Path) -> None:
    rules = tmp_path / "pack.yaml"
    rules.write_text(slow_rules(100), encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command, on the pseudo-terminal, within the bounds
        os.chdir(ROOT)
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
        _limit(MEMORY_BYTES, CPU_SECONDS)
        command = ["-m", "kbdoctor", "tui", str(facts), "--rules", str(rules), "--lang", "en"]
        os.execv(sys.executable, [sys.executable, *command])
    try:
        shown = read_terminal(fd, 120.0, until=b"diagnosed")
        assert b"diagnosed" in shown, shown[-2000:]  # the status line: the rules have run
        os.write(fd, CTRL_Q)
        after = read_terminal(fd, 60.0)
        assert exit_status(pid, 60.0) == 0, after[-2000:]
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
