"""Standard output that cannot be written (a full disk: ``/dev/full``) is one line naming it and
exit status 2, in the user's language, for every command that writes there; a reader that stops
reading (``| head``) still ends the run silently."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.bounded import ROOT, kbdoctor

DEMO = ROOT / "examples" / "demo-incident.yaml"

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@pytest.fixture
def full() -> Iterator[int]:
    fd = os.open("/dev/full", os.O_WRONLY)
    yield fd
    os.close(fd)


@pytest.fixture
def material(tmp_path: Path) -> Path:
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "setspn.txt").write_text(
        "Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:\n"
        "\tSMTP/ex01.corp.example.com\n\tHOST/EX01\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", str(DEMO)],
        ["evaluate", str(DEMO), "--format", "json"],
        ["collect", "--import", "{material}"],
        ["schema", "facts"],
        ["rules", str(ROOT / "kb_rules" / "kb979174.yaml")],
        ["collect", "--help"],
    ],
    ids=["evaluate", "evaluate-json", "collect", "schema", "rules", "collect-help"],
)
def test_a_full_disk_on_standard_output_is_one_line(
    full: int, material: Path, command: list[str]
) -> None:
    args = [arg.replace("{material}", str(material)) for arg in command]
    result = kbdoctor(*args, stdout=full)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last == "standard output: cannot write: No space left on device"
    assert result.stderr.count("standard output") == 1


def test_the_line_is_in_the_users_language(full: int) -> None:
    result = kbdoctor("schema", "facts", stdout=full, env={"LANG": "pl_PL.UTF-8"})
    assert result.returncode == 2
    assert result.stderr == "standardowe wyjście: nie można zapisać: brak miejsca na urządzeniu\n"


def test_a_reader_that_stops_reading_ends_the_run_silently() -> None:
    """``kbdoctor evaluate ... | head -c 1``: the explained JSON report (100 KB) outgrows the
    pipe's buffer (64 KB), so the pipe is closed while the report is being written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kbdoctor", "evaluate", str(DEMO), "--explain", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    process.stdout.read(1)
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert err == b""
    assert process.returncode == -signal.SIGPIPE
