"""``kbdoctor rules lint|test|schema`` as a rule author meets them: exit statuses (0 clean, 1
problems, 2 unreadable input), English and Polish messages at file:line:column, JSON for editors,
the tests' failure output, and JSON Schemas that every shipped rule and test file satisfies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from kbdoctor.engine.yamlio import load_yaml_data

ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "kb_rules"


def kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"LANG": "C", "PATH": "/usr/bin"},
    )


BAD = """\
kbdoctor: rules/1
pack: bad
findings:
  drift: {title: {en: Drift, pl: Dryf}}
rules:
  - id: r1
    title: {en: R, pl: R}
    when:
      - {bind: p, fact: port_state, where: {port: '88', state: blocked}}
    conclude: {finding: drift, cf: 0.5, subject: "{p.host}"}
    explain: {en: x, pl: x}
"""


def test_lint_of_the_shipped_pack_is_clean_even_when_strict() -> None:
    result = kbdoctor("rules", "lint", "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 errors, 0 warnings")


def test_lint_reports_every_problem_at_once_in_polish(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text(
        BAD.replace("pack: bad", "pack: other").replace(", pl: Dryf", ""), encoding="utf-8"
    )
    result = kbdoctor("rules", "lint", str(bad), str(other), "--lang", "pl")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    missing = f"{other}:4:11: błąd: findings.drift.title nie ma tekstu w języku pl"
    assert any(line.startswith(missing) for line in lines)
    assert any(":9:" in line and "[value-type]" in line for line in lines)
    assert any(":9:" in line and "[never-fires]" in line for line in lines)
    assert any(":10:" in line and "[placeholders]" in line for line in lines)


def test_lint_json_gives_each_problem_with_its_position_and_severity(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    data = json.loads(kbdoctor("rules", "lint", str(bad), "--format", "json").stdout)
    assert data["errors"] >= 3
    first = data["problems"][0]
    assert set(first) >= {"file", "line", "column", "severity", "check", "message"}


def test_warnings_alone_pass_unless_strict(tmp_path: Path) -> None:
    text = (KB / "kb979174.yaml").read_text(encoding="utf-8")
    (tmp_path / "kb.yaml").write_text(text, encoding="utf-8")  # no tests beside it: untested
    assert kbdoctor("rules", "lint", str(tmp_path)).returncode == 0
    assert kbdoctor("rules", "lint", "--strict", str(tmp_path)).returncode == 1


def test_lint_of_a_file_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    result = kbdoctor("rules", "lint", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2
    assert "missing.yaml" in result.stderr


def test_lint_of_a_file_that_is_not_yaml_exits_2_as_the_old_rules_command_does(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kbdoctor: rules/1\nrules: [\n  - id: x\n", encoding="utf-8")
    assert kbdoctor("rules", str(bad)).returncode == 2
    result = kbdoctor("rules", "lint", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:3:3: invalid YAML: ")
    assert result.stdout == ""  # no "0 errors" for a file that could not be linted


def test_lint_of_a_folder_without_rule_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not rules", encoding="utf-8")
    result = kbdoctor("rules", "lint", str(tmp_path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"no rule files in {tmp_path} (*.yaml or *.yml)\n"


def test_lint_in_polish_names_the_rule_in_polish_and_counts_in_polish_forms(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD.replace("{p.host}", "{p.source}"), encoding="utf-8")
    result = kbdoctor("rules", "lint", str(bad), "--lang", "pl")
    lines = result.stdout.splitlines()
    assert len(lines) > 1
    assert all(": reguła r1: " in line for line in lines[:-1])
    assert lines[-1].startswith("1 plik: ")
    assert lines[-1].endswith(", 0 ostrzeżeń")
    english, polish = (
        json.loads(kbdoctor("rules", "lint", str(bad), "--lang", la, "--format", "json").stdout)
        for la in ("en", "pl")
    )
    assert [p["key"] for p in polish["problems"]] == [p["key"] for p in english["problems"]]
    for en, pl in zip(english["problems"], polish["problems"], strict=True):
        assert (en["context"], pl["context"]) == ("rule r1", "reguła r1")
        assert en["message"] != pl["message"]


def test_the_old_rules_command_still_validates_and_lists() -> None:
    result = kbdoctor("rules", str(KB))
    assert result.returncode == 0
    assert "pack kb979174" in result.stdout


def test_rules_test_passes_on_the_shipped_pack_and_fails_with_reasons_on_a_changed_copy(
    tmp_path: Path,
) -> None:
    assert kbdoctor("rules", "test").returncode == 0
    copy = tmp_path / "kb"
    copy.mkdir()
    (copy / "tests").mkdir()
    (copy / "tests" / "t.yaml").write_text(
        (KB / "tests" / "time.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    text = (KB / "kb979174.yaml").read_text(encoding="utf-8")
    (copy / "kb.yaml").write_text(text.replace("abs_gt: 300}", "abs_gt: 3000}"), encoding="utf-8")
    result = kbdoctor("rules", "test", str(copy))
    assert result.returncode == 1
    assert "rule time.skew.between-parties was expected to fire and did not" in result.stdout
    assert "WHY NOT: no clock_offset fact passes condition 1: offset_s abs_gt 3000" in result.stdout


def _schema(which: str) -> dict[str, Any]:
    result = kbdoctor("rules", "schema", which)
    assert result.returncode == 0
    schema: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("path", sorted(KB.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_rule_file_satisfies_the_rules_schema(path: Path) -> None:
    jsonschema.validate(load_yaml_data(path.read_text(encoding="utf-8")), _schema("rules"))


@pytest.mark.parametrize("path", sorted((KB / "tests").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_test_file_satisfies_the_tests_schema(path: Path) -> None:
    jsonschema.validate(load_yaml_data(path.read_text(encoding="utf-8")), _schema("tests"))


def test_the_rules_schema_refuses_a_field_test_with_two_operators() -> None:
    data = load_yaml_data(BAD.replace("port: '88'", "port: {gt: 1, lt: 9}"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema("rules"))
