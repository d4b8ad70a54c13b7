"""Paths in folders that cannot be searched or listed: every command names the path and why, with
exit status 2 (or, inside an import, a warning while the import goes on), never a traceback.

Python 3.11's pathlib raises PermissionError from ``exists()``, ``is_dir()``, ``is_file()`` and
``is_symlink()`` when a folder on the way cannot be searched, which is where these came from. The
folders here really are closed (mode 000, or 0400: listed but not searched), and the commands
run without root's file privileges (``permissions_hold``), so the tests run in CI as root too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.bounded import ROOT, assert_refused, kbdoctor

DEMO = ROOT / "examples" / "demo-incident.yaml"
RULES = ROOT / "kb_rules" / "kb979174.yaml"


def setspn(name: str) -> str:
    return (
        f"Registered ServicePrincipalNames for CN={name},OU=Servers,DC=corp,DC=example,DC=com:\n"
        f"\tSMTP/{name.lower()}.corp.example.com\n\tHOST/{name}\n"
    )


@pytest.fixture
def closed(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody but root can search (mode 000), with a rule file and material inside;
    opened again afterwards, so that pytest can remove it."""
    folder = tmp_path / "closed"
    folder.mkdir()
    (folder / "r.yaml").write_text(RULES.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "x").mkdir()
    (folder / "x" / "setspn.txt").write_text(setspn("EX09"), encoding="utf-8")
    folder.chmod(0)
    yield folder
    folder.chmod(0o700)


@pytest.fixture
def material(tmp_path: Path) -> Path:
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "setspn.txt").write_text(setspn("EX01"), encoding="utf-8")
    return folder


def test_a_report_into_a_folder_that_cannot_be_searched(closed: Path) -> None:
    target = closed / "report.txt"
    result = kbdoctor("evaluate", str(DEMO), "-o", str(target), permissions_hold=True)
    assert_refused(result, f"{target}: cannot write the file: Permission denied")


@pytest.mark.parametrize("option", [["-o"], ["-o", "--append"], ["--report"]])
def test_collect_output_into_a_folder_that_cannot_be_searched(
    closed: Path, material: Path, option: list[str]
) -> None:
    target = closed / "out.yaml"
    args = ["collect", "--import", str(material), option[0], str(target), *option[1:]]
    assert_refused(
        kbdoctor(*args, permissions_hold=True), f"cannot write {target}: Permission denied"
    )


def test_material_in_a_folder_that_cannot_be_searched(closed: Path) -> None:
    result = kbdoctor("collect", "--import", str(closed / "x"), permissions_hold=True)
    assert_refused(result, f"{closed / 'x'}: cannot be read: Permission denied")


def test_a_rule_file_in_a_folder_that_cannot_be_searched(closed: Path) -> None:
    result = kbdoctor(
        "evaluate", str(DEMO), "--rules", str(closed / "r.yaml"), permissions_hold=True
    )
    assert_refused(result, f"{closed / 'r.yaml'}: cannot read the file: Permission denied")


@pytest.mark.parametrize("command", ["rules", "evaluate"])
def test_a_rule_folder_that_cannot_be_listed(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "extra.yaml").write_text(RULES.read_text(encoding="utf-8"), encoding="utf-8")
    folder.chmod(0)
    try:
        args = (
            ["rules", str(folder)]
            if command == "rules"
            else ["evaluate", str(DEMO), "--rules", str(folder)]
        )
        result = kbdoctor(*args, permissions_hold=True)
    finally:
        folder.chmod(0o700)
    assert_refused(result, f"{folder}: cannot read the file: Permission denied")


def test_files_of_a_folder_that_can_be_listed_but_not_searched_are_warnings(
    tmp_path: Path,
) -> None:
    """Mode 0400: the names can be read, the files cannot be looked at. Each is named, and the
    import goes on with the folders beside it."""
    material = tmp_path / "m"
    for name in ("EX01", "EX04"):
        (material / name).mkdir(parents=True)
        (material / name / "setspn.txt").write_text(setspn(name), encoding="utf-8")
    (material / "EX04").chmod(0o400)
    out = tmp_path / "facts.yaml"
    try:
        result = kbdoctor(
            "collect", "--import", str(material), "-o", str(out), permissions_hold=True
        )
    finally:
        (material / "EX04").chmod(0o700)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{material / 'EX04' / 'setspn.txt'}: cannot be read: Permission denied" in (
        result.stderr
    )
    text = out.read_text(encoding="utf-8")
    assert "CN=EX01," in text
    assert "CN=EX04," not in text
