"""The import report (import-report/1): file by file, which reader claimed which lines and what it
read, and what was not read and why, so that a person can check an import against the material."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from kbdoctor.collectors.import_report import ImportReport, build_report
from kbdoctor.collectors.import_summary import summary_lines
from kbdoctor.collectors.importing import import_paths

SESSION = """\
PS C:\\> setspn -L EX01
Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:
        SMTPSVC/EX01
        SMTPSVC/ex01.corp.example.com

C:\\Users\\admin>ipconfig
Windows IP Configuration
   Host Name . . . . . . . . . . . . : EX01

C:\\Users\\admin>w32tm /stripchart /computer:DC01 /dataonly /samples:3
Tracking DC01 [10.0.0.10:123].
Collecting 3 samples.
The current time is 11/28/2026 9:15:00 AM.
09:15:00, +421.5000000s
09:15:02, +421.5010000s
09:15:04, +421.4990000s
"""

PYTHON = "import os\nimport sys\nfrom pathlib import Path\n\n\ndef main():\n    pass\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EX01/ holding a paste of three commands (one no reader knows), a Python file, a file
    that cannot be read and notes that no reader claims."""
    ex01 = tmp_path / "EX01"
    ex01.mkdir()
    (ex01 / "session.txt").write_text(SESSION, encoding="utf-8")
    (ex01 / "tool.py").write_text(PYTHON, encoding="utf-8")
    locked = ex01 / "locked.txt"
    locked.write_text("setspn -L EX01\n", encoding="utf-8")
    (ex01 / "notes.txt").write_text("call the customer back on Monday\n", encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        # root reads every file whatever its mode: the refusal an administrator gets is made here
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    return tmp_path


def _blocks(report: ImportReport, name: str) -> list[tuple[Any, ...]]:
    [file] = [f for f in report.files if f.path.endswith(name)]
    return [
        (b.first_line, b.last_line, b.command, b.reader, b.fact_types, len(b.facts))
        for b in file.blocks
    ]


def test_every_file_is_reported_with_what_became_of_it(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]))
    assert [(Path(f.path).name, f.status, f.not_output) for f in report.files] == [
        ("locked.txt", "unreadable", None),
        ("notes.txt", "unrecognised", None),
        ("session.txt", "read", None),
        ("tool.py", "not_output", "source"),
    ]


def test_each_block_of_a_paste_names_its_reader_lines_and_facts(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]))
    assert _blocks(report, "session.txt") == [
        (2, 4, "setspn -L EX01", "setspn-L", {"spn_listing": 1}, 1),
        (7, 8, "ipconfig", None, {}, 0),
        (11, 16, "w32tm /stripchart /computer:DC01 /dataonly /samples:3", "w32tm-stripchart",
         {"clock_offset": 1}, 1),
    ]
    assert _blocks(report, "notes.txt") == [(1, 1, None, None, {}, 0)]
    assert _blocks(report, "tool.py") == []
    assert _blocks(report, "locked.txt") == []


def test_the_facts_of_a_block_are_given_with_their_lines_and_data(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]))
    [session] = [f for f in report.files if f.path.endswith("session.txt")]
    offset = session.blocks[2].facts[0]
    assert (offset.type, offset.line, offset.line_end) == ("clock_offset", 14, 16)
    assert offset.fields["offset_s"] == 421.5
    assert (offset.fields["host"], offset.fields["reference"]) == ("DC01", "EX01")
    assert "source" not in offset.fields  # provenance is the block's and the file's


def test_warnings_are_under_their_file_with_line_key_and_text(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]), "pl")
    by_name = {Path(f.path).name: f for f in report.files}
    assert [(w.line, w.key) for w in by_name["session.txt"].warnings] == [
        (7, "unrecognised_segment"),
        (11, "host_from_folder"),
    ]
    assert by_name["session.txt"].warnings[0].text == (
        "wiersze 7-8 (ipconfig): to nie jest format, który kbdoctor czyta (pominięto)"
    )
    [locked] = by_name["locked.txt"].warnings
    assert (locked.line, locked.key, locked.text) == (
        None, "cannot_read", "nie można odczytać: brak uprawnień"
    )
    assert [w.key for w in by_name["notes.txt"].warnings] == ["unrecognised_file"]
    # the skipped file is a file of the report: the one summary line is not repeated
    assert by_name["tool.py"].warnings == []
    assert report.warnings == []


def test_totals_count_files_blocks_and_facts(folder: Path) -> None:
    result = import_paths([str(folder)])
    totals = build_report(result).totals
    assert totals.model_dump() == {
        "files": 4, "read": 1, "unrecognised": 1, "not_output": 1, "unreadable": 1,
        "blocks": 4, "blocks_unclaimed": 2, "facts_read": 2, "facts": len(result.facts),
        "inferred": result.inferred, "warnings": 4,
    }
    assert result.inferred == len(result.facts) - 2  # the facts of the fact file beyond those read


def test_the_json_carries_its_format_and_reads_back(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]))
    data = json.loads(report.to_json())
    assert data["kbdoctor"] == "import-report/1"
    assert data["lang"] == "en"
    assert ImportReport.model_validate(data) == report


def test_a_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    name = os.fsdecode(b"notes-\xff.txt")
    (folder / name).write_text("nothing to read\n", encoding="utf-8")
    report = build_report(import_paths([str(folder)]))
    [file] = report.files
    assert file.path.endswith("notes-\\xff.txt")
    assert "notes-\\\\xff.txt" in report.to_json()


def test_a_folder_that_cannot_be_listed_is_a_warning_of_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "DC01"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = build_report(import_paths([str(tmp_path)]))
    assert report.files == []
    assert [(w.path, w.key) for w in report.warnings] == [(str(locked), "cannot_read")]


def test_the_terminal_summary_has_a_line_per_file_read(folder: Path) -> None:
    report = build_report(import_paths([str(folder)]))
    session = str(folder / "EX01" / "session.txt")
    assert summary_lines(report, "en") == [
        f"{session}: setspn-L lines 2-4: 1 fact(s); lines 7-8: no reader; "
        "w32tm-stripchart lines 11-16: 1 fact(s)"
    ]
    assert summary_lines(report, "pl") == [
        f"{session}: setspn-L wiersze 2-4: faktów: 1; wiersze 7-8: żaden czytnik; "
        "w32tm-stripchart wiersze 11-16: faktów: 1"
    ]


def test_the_readme_example_is_an_import_report() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Import reports (`kbdoctor: import-report/1`)") :]
    start = section.index("```json\n") + len("```json\n")
    example = section[start : section.index("\n```", start)]
    report = ImportReport.model_validate_json(example)
    assert [f.status for f in report.files] == ["not_output", "read"]
