"""Two fact files that disagree about one moment, as an engineer feeds them to ``kbdoctor
evaluate``: the report diagnoses on the reading that shows the problem and warns, in English and
in Polish, that another reading of that moment says otherwise, with each reading's file and line;
the JSON lists them under ``disagreeing_readings``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "tests" / "data" / "disagreeing"


def kbdoctor(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"LANG": "C", "PATH": "/usr/bin", "KBDOCTOR_CONFIG": "/nonexistent"}
    return subprocess.run(
        [sys.executable, "-m", "kbdoctor", "evaluate", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )


def _files() -> list[str]:
    """The organisation, then EX02's reading of its clock against DC01 and DC01's of EX02."""
    return [
        str(DATA / name) for name in ("organisation.yaml", "ex02-clock.yaml", "dc01-clock.yaml")
    ]


def test_the_text_report_warns_of_the_two_readings() -> None:
    done = kbdoctor(*_files())
    assert done.returncode == 1, done.stderr  # a diagnosis: the 400 s reading was used
    assert "Clocks more than 5 minutes apart" in done.stdout
    lines = done.stdout.splitlines()
    start = lines.index("Readings that disagree")
    assert lines[start + 2 : start + 4] == [
        "  - used: clock of dc01.corp.example.com vs EX02: -400.000 s; offset_s=-400  "
        "[DC01/stripchart.txt:9 (w32tm_stripchart)]",
        "    set aside: clock of EX02 vs DC01: +12.000 s; offset_s=12  "
        "[EX02/stripchart.txt:5 (w32tm_stripchart)]",
    ]


def test_the_markdown_report_warns_in_polish() -> None:
    done = kbdoctor(*_files(), "--format", "markdown", "--lang", "pl")
    assert done.returncode == 1, done.stderr
    assert "## Odczyty, które sobie przeczą" in done.stdout
    assert (
        "- użyty: zegar dc01.corp.example.com względem EX02: -400.000 s; offset_s=-400 — "
        "`DC01/stripchart.txt:9 (w32tm_stripchart)`"
    ) in done.stdout
    assert (
        "  - odłożony: zegar EX02 względem DC01: +12.000 s; offset_s=12 — "
        "`EX02/stripchart.txt:5 (w32tm_stripchart)`"
    ) in done.stdout


def test_the_json_report_lists_them_whatever_the_order_of_the_files() -> None:
    files = _files()
    reports = [
        json.loads(kbdoctor(*order, "--format", "json").stdout) for order in (files, files[::-1])
    ]
    for report in reports:
        [entry] = report["disagreeing_readings"]
        assert (entry["fields"]["offset_s"], entry["source"]["file"]) == (
            -400.0,
            "DC01/stripchart.txt",
        )
        assert [(o["fields"]["offset_s"], o["source"]["line"]) for o in entry["others"]] == [
            (12.0, 5)
        ]
    assert reports[0]["disagreeing_readings"] == reports[1]["disagreeing_readings"]


def test_one_reading_alone_gives_no_warning() -> None:
    one = _files()[:2]
    assert "disagreeing_readings" not in json.loads(kbdoctor(*one, "--format", "json").stdout)
    assert "Readings that disagree" not in kbdoctor(*one).stdout


def test_readings_written_without_a_source_are_placed_in_their_fact_files(tmp_path: Path) -> None:
    """Hand-written facts say nothing of where they were read: the warning names the fact file
    and line each was written at, as a parse error would (it said "no source given")."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(
        "kbdoctor: facts/1\nfacts:\n"
        "  - {type: exchange_server, name: EX01}\n"
        "  - {type: clock_offset, host: EX01, reference: DC01, offset_s: 12}\n",
        encoding="utf-8",
    )
    second.write_text(
        "kbdoctor: facts/1\nfacts:\n"
        "  - {type: clock_offset, host: ex01, reference: DC01, offset_s: -400}\n",
        encoding="utf-8",
    )
    done = kbdoctor(str(first), str(second))
    lines = done.stdout.splitlines()
    start = lines.index("Readings that disagree")
    assert lines[start + 2].endswith(f"[{second}:3]")
    assert lines[start + 3].endswith(f"[{first}:4]")
    [entry] = json.loads(kbdoctor(str(second), str(first), "--format", "json").stdout)[
        "disagreeing_readings"
    ]
    assert sorted(entry["read_from"].values()) == [f"{first}:4", f"{second}:3"]
