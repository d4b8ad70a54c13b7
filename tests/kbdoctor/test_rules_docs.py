"""``kbdoctor rules docs``: the catalogue on standard output in one language, or written in both
into a folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"},
    )


def test_docs_prints_the_catalogue_in_the_language_asked() -> None:
    done = kbdoctor("rules", "docs", "--lang", "pl")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Katalog reguł\n")
    assert "#### `spn.duplicate-smtp`: " in done.stdout


def test_docs_writes_english_and_polish_into_a_folder(tmp_path: Path) -> None:
    done = kbdoctor("rules", "docs", "-o", str(tmp_path / "catalogue"))
    assert done.returncode == 0, done.stderr
    english = (tmp_path / "catalogue" / "rules.en.md").read_text(encoding="utf-8")
    polish = (tmp_path / "catalogue" / "rules.pl.md").read_text(encoding="utf-8")
    assert english.startswith("# Rule catalogue\n")
    assert polish.startswith("# Katalog reguł\n")
    assert english.count("#### `") == polish.count("#### `") == 34


def test_docs_of_a_broken_pack_is_exit_status_two(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("kbdoctor: rules/1\npack: [\n", encoding="utf-8")
    done = kbdoctor("rules", "docs", str(tmp_path / "bad.yaml"))
    assert done.returncode == 2
    assert f"{tmp_path / 'bad.yaml'}:3:1: invalid YAML" in done.stderr
