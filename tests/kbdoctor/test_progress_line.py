"""The progress line of ``kbdoctor collect --domain``: drawn in place on a terminal (a real
pseudo-terminal here), absent when standard error is a file or a pipe."""

from __future__ import annotations

import argparse
import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kbdoctor.collect_command import add_collect_parser, run_collect
from kbdoctor.progress_line import ProgressLine


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_drawn_in_place_on_a_terminal_and_wiped_at_the_end() -> None:
    stream = _Terminal()
    line = ProgressLine(stream, lambda done, total: f"{done}/{total}", interval=60)
    line(0, 3)
    line(1, 3)  # within the interval: skipped
    line(3, 3)  # the last count is always drawn
    line.close()
    line(3, 4)  # nothing after close
    assert stream.getvalue() == "\r0/3\x1b[K\r3/3\x1b[K\r\x1b[K"


def test_quiet_when_not_a_terminal() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, lambda done, total: f"{done}/{total}")
    line(1, 2)
    line.close()
    assert not line.enabled
    assert stream.getvalue() == ""


def _collect_args(out: Path, lang: str) -> list[str]:
    # 127.0.0.1 refuses at once (nothing of a DC listens there on a test machine as a rule)
    return ["collect", "--domain", "x.test", "--dc", "127.0.0.1", "--timeout", "1",
            "-o", str(out), "--lang", lang]  # fmt: skip


def test_collect_in_a_script_prints_no_progress(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_collect_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(_collect_args(tmp_path / "facts.json", "en"))
    err = io.StringIO()
    assert run_collect(args, stderr=err) == 0
    assert "\r" not in err.getvalue()
    assert "probes done" not in err.getvalue()
    assert "live: " in err.getvalue()  # the summary is still there


def _run_on_a_terminal(argv: list[str]) -> tuple[int, str]:
    """Run kbdoctor with standard error on a pseudo-terminal; its exit status and what the
    terminal showed."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kbdoctor", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(master)
    return process.wait(timeout=30), shown.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [("en", r"live: (\d+)/(\d+) probes done"), ("pl", r"na żywo: ukończone próby: (\d+)/(\d+)")],
)
def test_collect_on_a_terminal_shows_probes_done(tmp_path: Path, lang: str, pattern: str) -> None:
    status, shown = _run_on_a_terminal(_collect_args(tmp_path / "facts.json", lang))
    assert status == 0, shown
    counts = [(int(d), int(t)) for d, t in re.findall(pattern, shown)]
    assert counts, shown
    done, total = counts[-1]
    assert done == total >= 13  # 8 TCP, 3 UDP, SNTP and the rootDSE of the one DC
    assert all(d <= t for d, t in counts)
    assert "\r\x1b[K" in shown  # wiped before the summary
