"""``kbdoctor rules lint`` with a rule file it cannot read: exit 2 and the file named with the
reason, in the user's language; the last line never says "0 errors" of a file nobody checked. It
counts the files that could not be read when others were linted, and is left out when none
could be."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.bounded import kbdoctor

# Read, and wrong in five places: the count of the files that were linted is not zero.
FIVE_ERRORS = """\
kbdoctor: rules/1
pack: tiny
findings:
  drift: {title: {en: Drift, pl: Dryf}}
rules:
  - id: tiny.drift
    status: experimental
    title: {en: Drift, pl: Dryf}
    when:
      - fact: clock_offset
        as: c
        test: {offset_s: {abs_gt: 300}}
    then:
      finding: drift
      subject: "{c.host}"
"""


@pytest.fixture
def unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "locked.yaml"
    path.write_text(FIVE_ERRORS, encoding="utf-8")
    path.chmod(0)
    return path


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("en", "cannot read the file: Permission denied"),
        ("pl", "nie można odczytać pliku: brak uprawnień"),
        ("de", "die Datei kann nicht gelesen werden: Keine Berechtigung"),
    ],
)
def test_a_file_that_cannot_be_read_is_said_and_no_summary_claims_it_clean(
    unreadable: Path, lang: str, reason: str
) -> None:
    result = kbdoctor("rules", "lint", str(unreadable), "--lang", lang, permissions_hold=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{unreadable}: {reason}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        ("en", "2 files: could not be read, so not linted: 1; in the others: 5 errors, 0 warnings"),
        (
            "pl",
            "2 pliki: nieodczytane, więc niesprawdzone: 1; w pozostałych: 5 błędów, 0 ostrzeżeń",
        ),
        (
            "de",
            "2 Dateien: nicht lesbar, daher nicht geprüft: 1; in den übrigen: 5 Fehler, "
            "0 Warnungen",
        ),
    ],
)
def test_the_summary_counts_the_files_not_read_apart_from_those_linted(
    tmp_path: Path, unreadable: Path, lang: str, summary: str
) -> None:
    readable = tmp_path / "tiny.yaml"
    readable.write_text(FIVE_ERRORS, encoding="utf-8")
    result = kbdoctor(
        "rules", "lint", str(readable), str(unreadable), "--lang", lang, permissions_hold=True
    )
    assert result.returncode == 2, result.stderr
    assert str(unreadable) in result.stderr
    assert result.stdout.splitlines()[-1] == summary
    assert result.stdout.count(str(readable)) == 5


def test_a_clean_run_keeps_its_summary(tmp_path: Path) -> None:
    readable = tmp_path / "tiny.yaml"
    readable.write_text(FIVE_ERRORS, encoding="utf-8")
    result = kbdoctor("rules", "lint", str(readable))
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == "1 file: 5 errors, 0 warnings"
