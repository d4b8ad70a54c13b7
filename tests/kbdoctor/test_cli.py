"""The command line as scripts use it: formats, exit status, standard input, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pytest
from kbdoctor.engine.factio import dump_fact_file, parse_fact_text

INVALID = Path(__file__).parent.parent / "data" / "invalid"

SKEWED = """kbdoctor: facts/1
facts:
  - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
  - {type: clock_offset, host: EX01, reference: DC01, offset_s: -412.25}
  - type: queue
    server: EX02
    identity: 'EX02\\\\3'
    last_error: >-
      451 4.4.0 Primary target IP address responded with:
      "454 4.7.0 Temporary authentication failure."
"""

HEALTHY = """kbdoctor: facts/1
facts:
  - {type: exchange_server, name: EX01, fqdn: ex01.corp.example.com}
  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 0.5}
"""


def kbdoctor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def skewed(tmp_path: Path) -> Path:
    path = tmp_path / "skewed.yaml"
    path.write_text(SKEWED, encoding="utf-8")
    return path


def test_exit_status_one_when_a_cause_is_diagnosed(skewed: Path) -> None:
    result = kbdoctor("evaluate", str(skewed))
    assert result.returncode == 1, result.stderr
    assert "time_sync" in result.stdout


def test_exit_status_zero_when_nothing_is_diagnosed() -> None:
    result = kbdoctor("evaluate", "-", stdin=HEALTHY)
    assert result.returncode == 0, result.stderr


def test_exit_status_two_and_a_located_message_for_invalid_input() -> None:
    path = INVALID / "offset-not-a-number.yaml"
    result = kbdoctor("evaluate", str(path))
    assert result.returncode == 2
    assert f"{path}:8:" in result.stderr
    assert result.stdout == ""


def test_exit_status_two_for_usage_errors() -> None:
    assert kbdoctor("evaluate").returncode == 2
    assert kbdoctor("evaluate", "--format", "xml", "x.yaml").returncode == 2


def test_json_report_contract(skewed: Path) -> None:
    report = json.loads(kbdoctor("evaluate", str(skewed), "--format", "json").stdout)
    assert report["kbdoctor"] == "report/1"
    assert {"symptoms", "diagnoses", "not_assessed", "recommendations"} <= set(report)
    diagnosis = report["diagnoses"][0]
    assert {"cause", "confidence", "title", "kb_steps", "evidence", "remediation"} <= set(diagnosis)
    assert diagnosis["cause"] == "time_sync"
    assert diagnosis["kb_steps"] == [1]
    assert diagnosis["evidence"][0]["facts"]
    assert diagnosis["evidence"][0]["rule"]
    assert "ad_replication" in report["not_assessed"]
    assert report["symptoms"][0]["id"] == "exchange_auth_454"


def test_polish_report(skewed: Path) -> None:
    result = kbdoctor("evaluate", str(skewed), "--lang", "pl", "--format", "markdown")
    assert "Zegary różnią się o ponad 5 minut" in result.stdout
    assert "## Diagnoza" in result.stdout
    # the table of all causes has its header in Polish too
    assert "| przyczyna | pewność | stan | KB |" in result.stdout
    assert "| cause |" not in result.stdout


def test_output_file_is_written(skewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = kbdoctor("evaluate", str(skewed), "--format", "markdown", "-o", str(out))
    assert result.returncode == 1
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# kbdoctor report")


def test_explain_shows_how_and_why_not(skewed: Path) -> None:
    text = kbdoctor("evaluate", str(skewed), "--explain").stdout
    assert "time.skew.with-presumed-member" in text
    assert "no replication_link fact was given" in text


def test_rules_command_validates_bundled_rules() -> None:
    result = kbdoctor("rules")
    assert result.returncode == 0
    assert "kb979174" in result.stdout


def test_rules_command_reports_a_broken_rule_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kbdoctor: rules/1\npack: x\nrules:\n  - id: Bad Id\n", encoding="utf-8")
    result = kbdoctor("rules", str(broken))
    assert result.returncode == 2
    assert f"{broken}:4:" in result.stderr


def test_schema_command_prints_the_fact_schema() -> None:
    schema = json.loads(kbdoctor("schema", "facts").stdout)
    assert "facts" in schema["properties"]


def test_schema_command_prints_the_import_report_schema_that_real_reports_meet(
    tmp_path: Path,
) -> None:
    schema = json.loads(kbdoctor("schema", "import-report").stdout)
    assert schema["properties"]["kbdoctor"]["const"] == "import-report/1"
    outputs = tmp_path / "EX01"
    outputs.mkdir()
    (outputs / "setspn.txt").write_text(
        "Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:\n"
        "        SMTPSVC/EX01\n        SMTPSVC/ex01.corp.example.com\n",
        encoding="utf-8",
    )
    report = tmp_path / "import.json"
    kbdoctor("collect", "--import", str(tmp_path), "-o", str(tmp_path / "facts.json"),
             "--report", str(report))
    written = json.loads(report.read_text(encoding="utf-8"))
    assert [f["status"] for f in written["files"]] == ["read"]
    jsonschema.validate(written, schema)


def test_headless_path_never_imports_textual(skewed: Path) -> None:
    code = (
        "import sys; from kbdoctor.cli import main; "
        f"main(['evaluate', {str(skewed)!r}, '--format', 'json']); "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().endswith("False")


def test_same_facts_in_any_order_give_identical_reports(tmp_path: Path) -> None:
    parsed = parse_fact_text(SKEWED, "skewed.yaml")
    reordered = parsed.model_copy(update={"facts": list(reversed(parsed.facts))})
    (tmp_path / "a.yaml").write_text(SKEWED, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(dump_fact_file(reordered), encoding="utf-8")
    first = kbdoctor("evaluate", str(tmp_path / "a.yaml"), "--format", "json", "--explain")
    second = kbdoctor("evaluate", str(tmp_path / "b.yaml"), "--format", "json", "--explain")
    assert first.returncode == second.returncode == 1
    assert first.stdout.replace("a.yaml", "?") == second.stdout.replace("b.yaml", "?")


def test_help_follows_the_language_of_the_environment_or_lang() -> None:
    polish = subprocess.run(
        [sys.executable, "-m", "kbdoctor", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "LANG": "pl_PL.UTF-8", "LC_ALL": ""},
        timeout=60,
        check=False,
    )
    assert "oceń pliki faktów" in polish.stdout
    assert "zapisz raport" in kbdoctor("evaluate", "--help", "--lang", "pl").stdout
