"""``--suppressions FILE`` on evaluate (and the file the configuration names), and ``kbdoctor
rules lint --suppressions FILE``, as an administrator meets them: an accepted diagnosis is shown
as suppressed and no longer fails the run, an expired entry is ignored with a warning, a broken
or wrong file is reported at its line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPN_DUPLICATE = str(ROOT / "examples" / "cause-spn-duplicate.yaml")
ENTRY = """\
  - cause: spn_duplicate
    match: {{host: EX02}}
    reason: the old EX02 account is removed in change 4711
    accepted_by: j.kowalski
    expires: {expires}
"""


def kbdoctor(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": str(config or "/nonexistent")}
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )


def _file(tmp_path: Path, *expires: str, extra: str = "") -> Path:
    path = tmp_path / "accepted.yaml"
    body = "".join(ENTRY.format(expires=e) for e in expires)
    path.write_text("kbdoctor: suppressions/1\nsuppressions:\n" + body + extra, encoding="utf-8")
    return path


def test_an_accepted_diagnosis_is_shown_suppressed_and_does_not_fail_the_run(
    tmp_path: Path,
) -> None:
    done = kbdoctor("evaluate", SPN_DUPLICATE, "--suppressions", str(_file(tmp_path, "2999-01-01")))
    assert done.returncode == 0, done.stderr
    assert "Suppressed: accepted by j.kowalski until 2999-01-01" in done.stdout
    assert "diagnosed (suppressed)" in done.stdout
    assert kbdoctor("evaluate", SPN_DUPLICATE).returncode == 1


def test_an_expired_entry_is_ignored_with_a_warning(tmp_path: Path) -> None:
    path = _file(tmp_path, "2000-01-01")
    done = kbdoctor("evaluate", SPN_DUPLICATE, "--suppressions", str(path), "--format", "json")
    assert done.returncode == 1
    assert f"warning: {path}:3:5: cause spn_duplicate: expired on 2000-01-01" in done.stderr
    report = json.loads(done.stdout)
    assert "suppressed" not in report["diagnoses"][0]
    assert report["expired_suppressions"][0]["expires"] == "2000-01-01"
    polish = kbdoctor("evaluate", SPN_DUPLICATE, "--suppressions", str(path), "--lang", "pl")
    assert "Wygasłe wyciszenia (pominięte):" in polish.stdout
    assert "wygasło 2000-01-01: pominięte" in polish.stderr


def test_the_configuration_names_the_suppressions_evaluate_uses(tmp_path: Path) -> None:
    _file(tmp_path, "2999-01-01")
    config = tmp_path / "config.yaml"
    config.write_text("kbdoctor: config/1\nsuppressions: accepted.yaml\n", encoding="utf-8")
    done = kbdoctor("evaluate", SPN_DUPLICATE, "--format", "markdown", config=config)
    assert done.returncode == 0, done.stderr
    assert "_Suppressed: accepted by j.kowalski" in done.stdout


def test_a_broken_file_stops_the_run_with_its_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "tomorrow")
    done = kbdoctor("evaluate", SPN_DUPLICATE, "--suppressions", str(path))
    assert done.returncode == 2
    assert f"{path}:7:5:" in done.stderr


def test_lint_checks_the_file_against_the_rules(tmp_path: Path) -> None:
    wrong = (
        "  - rule: spn.duplicate-smpt\n    reason: r\n    accepted_by: me\n"
        "    expires: 2999-01-01\n"
    )
    path = _file(tmp_path, "2999-01-01", "2000-01-01", extra=wrong)
    done = kbdoctor("rules", "lint", "--suppressions", str(path))
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "[suppressions]" in line]
    assert lines == [
        f"{path}:13:5: error: rule spn.duplicate-smpt: names rule spn.duplicate-smpt, which no "
        "loaded pack defines: it suppresses nothing [suppressions]",
        f"{path}:8:5: warning: cause spn_duplicate: expired on 2000-01-01: ignored; renew or "
        "remove it [suppressions]",
    ]
    clean = kbdoctor("rules", "lint", "--suppressions", str(_file(tmp_path, "2999-01-01")))
    assert clean.returncode == 0, clean.stdout
