"""``kbdoctor rules --help`` names every command a rule author has, and ``rules schema`` takes
the options its siblings take, with help for each argument."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def kbdoctor(*args: str, lang: str = "C") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": lang, "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"},
    )


@pytest.mark.parametrize("lang", ["C", "pl_PL.UTF-8", "de_DE.UTF-8"])
def test_rules_help_names_every_authoring_command(lang: str) -> None:
    done = kbdoctor("rules", "--help", lang=lang)
    assert done.returncode == 0
    for command in ("lint", "test", "docs", "new", "schema"):
        assert f"kbdoctor rules {command} " in done.stdout, command


def test_rules_schema_takes_lang_and_says_what_its_arguments_are() -> None:
    helped = " ".join(kbdoctor("rules", "schema", "--help").stdout.split())  # unwrapped
    assert "rules: the schema of rule files (default); tests: of rule test files" in helped
    assert "whose derived fields (derive) the schema also knows" in helped
    done = kbdoctor("rules", "schema", "rules", "--lang", "pl")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "kbdoctor rule file (rules/1)"


def test_rules_schema_of_an_unreadable_pack_is_exit_status_two(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("kbdoctor: rules/1\npack: [\n", encoding="utf-8")
    done = kbdoctor("rules", "schema", "rules", str(tmp_path / "bad.yaml"), "--lang", "pl")
    assert done.returncode == 2
    assert f"{tmp_path / 'bad.yaml'}:3:1:" in done.stderr
    assert "Traceback" not in done.stderr
