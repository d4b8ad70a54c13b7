"""``kbdoctor collect --script`` on the command line: the script written with the names this run
knows (options and ``--known`` fact files), and what a run that only writes a script refuses,
with exit status 2. The script's text itself is specified in tests/collectors/test_script.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _collect(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", "collect", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_command_line_writes_the_script_with_the_names_it_knows(tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "kbdoctor: facts/1\nfacts:\n  - {type: domain_controller, name: DC09}\n",
        encoding="utf-8",
    )
    script = tmp_path / "collect.ps1"
    done = _collect(
        "--script", "--lang", "pl", "--dc", "DC01,DC02", "--exchange", "EX01",
        "--domain", "corp.example.com", "--known", str(facts), "-o", str(script),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "kontrolerów domeny: 3 i serwerów Exchange: 1" in done.stderr
    text = script.read_bytes().decode("utf-8")
    assert "$DomainControllers = @('DC01', 'DC02', 'DC09')" in text
    assert "@{ Name = 'EX01'; Fqdn = 'ex01.corp.example.com' }" in text
    assert "# Skrypt zbierania kbdoctor" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--script", "--import", "x"], "does not combine with --import"),
        (["--script", "--dc", 'DC"01'], "--dc 'DC\"01': not a machine name"),
        (["--known", "facts.yaml", "--import", "."], "--known is used with --script only"),
    ],
)
def test_command_line_refuses_what_a_script_cannot_use(args: list[str], message: str) -> None:
    done = _collect(*args)
    assert done.returncode == 2
    assert message in done.stderr
