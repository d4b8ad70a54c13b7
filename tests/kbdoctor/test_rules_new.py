"""``kbdoctor rules new`` as an engineer meets it: the files it writes, the next commands it
names, and that it never writes over a file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAGS = (
    "rules", "new", "contoso.queue-backlog", "--fact", "queue", "--where", "message_count=gt:500",
    "--finding", "queue_backlog", "--title", "More than 500 messages wait",
    "--title-pl", "Ponad 500 wiadomości czeka", "--pack", "contoso",
)  # fmt: skip


def kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"},
    )


def test_new_writes_a_pack_and_its_tests_that_lint_and_pass(tmp_path: Path) -> None:
    done = kbdoctor(*FLAGS, "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == [
        f"written: {tmp_path / 'contoso.yaml'}",
        f"written: {tmp_path / 'tests' / 'contoso.yaml'}",
    ]
    assert kbdoctor("rules", "lint", "--strict", str(tmp_path)).returncode == 0
    tested = kbdoctor("rules", "test", str(tmp_path))
    assert tested.returncode == 0
    assert tested.stdout.strip() == "2 passed, 0 failed, 0 known gaps"


def test_new_never_writes_over_a_file(tmp_path: Path) -> None:
    (tmp_path / "contoso.yaml").write_text("mine\n", encoding="utf-8")
    done = kbdoctor(*FLAGS, "-o", str(tmp_path))
    assert done.returncode == 2
    assert "never writes over a file" in done.stderr
    assert (tmp_path / "contoso.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "tests").exists()
