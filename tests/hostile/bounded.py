"""Run the command line in a child process under resource limits, so that a regression into
unbounded memory or time fails one test quickly instead of hanging or swapping the CI machine."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Address space and CPU seconds of one run: what an ordinary evaluation of a small incident needs,
# with room to spare on a slow machine, and far below what the hostile inputs used to take.
MEMORY_BYTES = 1536 * 1024 * 1024
CPU_SECONDS = 60
WALL_SECONDS = 120


def _limit(memory: int, cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# Root reads, writes and searches every folder whatever its mode (CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH), and CI runs the tests as root: a test of a file or folder that cannot be
# read or written runs the command without those two capabilities, so that it tests the same
# thing as a user would meet, instead of skipping.
WITHOUT_FILE_PRIVILEGES = ["--bounding-set=-dac_override,-dac_read_search"]


def unprivileged(command: Sequence[str]) -> list[str]:
    """``command`` run so that file permissions hold for it: as it is for an ordinary user, under
    ``setpriv`` without the capabilities that let root past them."""
    if os.geteuid() != 0:
        return list(command)
    setpriv = shutil.which("setpriv")
    assert setpriv is not None, "setpriv (util-linux) is needed to test permissions as root"
    return [setpriv, *WITHOUT_FILE_PRIVILEGES, *command]


def kbdoctor(
    *args: str,
    stdin: bytes | str | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    memory: int = MEMORY_BYTES,
    cpu: int = CPU_SECONDS,
    permissions_hold: bool = False,
    stdout: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m kbdoctor ARGS`` under RLIMIT_AS and RLIMIT_CPU; stdout and stderr as text.
    ``permissions_hold``: file permissions apply even when the tests run as root (see
    :func:`unprivileged`). ``stdout``: a descriptor to write standard output to instead."""
    environment = {**os.environ, "LANG": "C.UTF-8", **(env or {})}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    command = [sys.executable, "-m", "kbdoctor", *args]
    result = subprocess.run(
        unprivileged(command) if permissions_hold else command,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        input=data,
        timeout=WALL_SECONDS,
        check=False,
        env=environment,
        cwd=cwd or ROOT,
        preexec_fn=lambda: _limit(memory, cpu),
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        (result.stdout or b"").decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def python(
    *args: str, memory: int, cpu: int, wall: float = WALL_SECONDS
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` from the repository root under RLIMIT_AS and RLIMIT_CPU, for what is not
    the command line (a test run of its own); ``wall`` stops a run that hangs without computing,
    which RLIMIT_CPU does not see. stdout and stderr as text."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=wall,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
        cwd=ROOT,
        preexec_fn=lambda: _limit(memory, cpu),
    )


def assert_refused(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2, a message naming each needle, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr[-2000:])


def args_of(paths: Sequence[Path]) -> list[str]:
    return [str(p) for p in paths]
