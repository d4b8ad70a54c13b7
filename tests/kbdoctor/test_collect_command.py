"""``kbdoctor collect``: writing, --append without duplicates, atomic output, exit codes."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from kbdoctor.engine.factio import parse_fact_text

from kbdoctor.collect_command import add_collect_parser, run_collect
from tests.collectors.importers.fixtures import fixture_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kbdoctor")
    add_collect_parser(parser.add_subparsers(dest="command"))
    return parser


def _run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    args = _parser().parse_args(["collect", *argv])
    return run_collect(args, stderr=err), err.getvalue()


@pytest.fixture
def material(tmp_path: Path) -> Path:
    folder = tmp_path / "in" / "EX01"
    folder.mkdir(parents=True)
    shutil.copy(fixture_path("setspn", "setspn_X_duplicate_en.utf16.txt"), folder)
    shutil.copy(fixture_path("w32tm", "w32tm_stripchart_dataonly_en.txt"), folder)
    return tmp_path / "in"


def test_collect_writes_a_valid_fact_file(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    code, err = _run("--import", str(material), "-o", str(out))
    assert code == 0
    facts = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    assert {f.type for f in facts} >= {"spn_duplicate", "check_run", "clock_offset"}
    assert "EX01" in err
    assert "folder" in err


def test_json_by_extension(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    assert _run("--import", str(material), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("{")


def test_append_adds_new_facts_and_never_repeats_old_ones(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    assert _run("--import", str(material), "-o", str(out))[0] == 0
    first = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    extra = tmp_path / "more" / "EX02"
    extra.mkdir(parents=True)
    shutil.copy(fixture_path("klist", "klist_get_smtpsvc_failed_en.txt"), extra)
    assert (
        _run("--import", str(material), "--import", str(extra.parent), "-o", str(out), "--append")[
            0
        ]
        == 0
    )
    second = parse_fact_text(out.read_text(encoding="utf-8"), str(out)).facts
    assert second[: len(first)] == first
    assert [f.type for f in second[len(first) :]] == ["kerberos_error"]


def test_append_to_an_invalid_fact_file_changes_nothing(material: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    out.write_text("kbdoctor: facts/1\nfacts: [{type: nonsense}]\n", encoding="utf-8")
    code, err = _run("--import", str(material), "-o", str(out), "--append")
    assert code == 2
    assert "cannot extend" in err
    assert out.read_text(encoding="utf-8").endswith("nonsense}]\n")


def test_append_to_a_file_that_is_not_utf8_says_where_it_cannot_be_read(
    material: Path, tmp_path: Path
) -> None:
    """A read error, said as one (it was "cannot write ...: 'utf-8' codec can't decode byte 0xff
    in position 53"), at the line and column of the byte; the file is left as it was."""
    out = tmp_path / "facts.yaml"
    data = b'kbdoctor: facts/1\nfacts:\n - {type: queue, server: "EX\xff"}\n'
    out.write_bytes(data)
    code, err = _run("--import", str(material), "-o", str(out), "--append")
    assert code == 2
    assert err.splitlines()[-2:] == [
        f"cannot extend {out}: it is not a valid fact file",
        f"{out}:3:29: not UTF-8 text: byte 0xff cannot be read; save the file as UTF-8",
    ]
    assert "cannot write" not in err
    assert out.read_bytes() == data


def test_append_that_would_lose_comments_is_refused_before_writing(
    material: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbdoctor.collectors import fact_append

    monkeypatch.setattr(fact_append, "_append_as_text", lambda text, added: None)
    monkeypatch.setattr(fact_append, "_append_round_trip", lambda text, added: None)
    out = tmp_path / "facts.yaml"
    text = "# ticket 4711\nkbdoctor: facts/1\nfacts: []\n"
    out.write_text(text, encoding="utf-8")
    code, err = _run("--import", str(material), "-o", str(out), "--append", "--lang", "pl")
    assert code == 2
    assert f"nie można rozszerzyć {out} bez utraty komentarzy, więc nic nie zapisano" in err
    assert out.read_text(encoding="utf-8") == text


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary_one(
    material: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "facts.yaml"

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    code, err = _run("--import", str(material), "-o", str(out))
    assert code == 2
    assert "No space left" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run()[0] == 2
    assert _run("--import", str(tmp_path / "missing"))[0] == 2
    assert _run("--import", str(tmp_path), "--append")[0] == 2


def test_material_nobody_can_read_exits_2_and_lists_formats(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello\n")
    code, err = _run("--import", str(tmp_path), "-o", str(tmp_path / "f.yaml"))
    assert code == 2
    assert "setspn -L EX01" in err
    assert not (tmp_path / "f.yaml").exists()


def test_polish_messages_with_lang(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello\n")
    _, err = _run("--import", str(tmp_path), "--lang", "pl")
    assert "to nie jest format" in err


def test_reader_warnings_are_printed_in_the_chosen_language(tmp_path: Path) -> None:
    folder = tmp_path / "EX01"
    folder.mkdir()
    shutil.copy(fixture_path("w32tm", "w32tm_stripchart_all_failed_en.txt"), folder)
    name = str(folder / "w32tm_stripchart_all_failed_en.txt")
    _, polish = _run("--import", str(folder), "--lang", "pl")
    _, english = _run("--import", str(folder), "--lang", "en")
    assert f"{name}:2: nie udało się odczytać żadnej próbki dla DC02" in polish
    assert "no sample of" not in polish
    assert f"{name}:2: no sample of DC02 could be read" in english


def test_help_lists_the_windows_commands_to_run() -> None:
    text = _parser().parse_args(["collect", "--import", "x"])  # parser builds
    assert text is not None
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    help_text = sub.choices["collect"].format_help()
    for command in (
        "setspn -L EX01 > setspn-L-EX01.txt",
        "Get-ReceiveConnector | Export-Clixml receive-connectors.xml",
        "w32tm /stripchart /computer:DC01 /dataonly /samples:5",
    ):
        assert command in help_text


SESSION = """\
PS C:\\> setspn -L EX01
Registered ServicePrincipalNames for CN=EX01,OU=Servers,DC=corp,DC=example,DC=com:
        SMTPSVC/EX01

C:\\Users\\admin>w32tm /stripchart /computer:DC01 /dataonly /samples:2
Tracking DC01 [10.0.0.10:123].
Collecting 2 samples.
The current time is 11/28/2026 9:15:00 AM.
09:15:00, +421.5000000s
09:15:02, +421.5010000s
"""


@pytest.fixture
def paste(tmp_path: Path) -> Path:
    """EX01/ with a paste of two commands and a Python file."""
    folder = tmp_path / "EX01"
    folder.mkdir()
    (folder / "session.txt").write_text(SESSION, encoding="utf-8")
    (folder / "tool.py").write_text("import os\nimport sys\nimport re\n", encoding="utf-8")
    return folder


def test_report_writes_the_import_report_as_json(paste: Path, tmp_path: Path) -> None:
    report = tmp_path / "import.json"
    code, _ = _run("--import", str(paste), "-o", str(tmp_path / "f.yaml"), "--report", str(report))
    assert code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["kbdoctor"] == "import-report/1"
    files = {Path(f["path"]).name: f for f in data["files"]}
    blocks = files["session.txt"]["blocks"]
    assert [(b["reader"], b["first_line"], b["last_line"]) for b in blocks] == [
        ("setspn-L", 2, 3),
        ("w32tm-stripchart", 6, 10),
    ]
    assert (files["tool.py"]["status"], files["tool.py"]["not_output"]) == ("not_output", "source")


def test_the_terminal_says_which_reader_read_which_lines_in_english_and_polish(
    paste: Path, tmp_path: Path
) -> None:
    session = paste / "session.txt"
    _, english = _run("--import", str(paste), "-o", str(tmp_path / "f.yaml"), "--lang", "en")
    assert (
        f"{session}: setspn-L lines 2-3: 1 fact(s); w32tm-stripchart lines 6-10: 1 fact(s)\n"
        in english
    )
    assert "1 file(s) skipped, not command output (1 source code" in english
    _, polish = _run("--import", str(paste), "-o", str(tmp_path / "f.yaml"), "--lang", "pl")
    read = "setspn-L wiersze 2-3: faktów: 1; w32tm-stripchart wiersze 6-10: faktów: 1"
    assert f"{session}: {read}\n" in polish
    assert "lines" not in polish


def test_standard_output_still_holds_the_fact_file_alone(
    paste: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run("--import", str(paste), "--report", str(tmp_path / "import.json"))
    assert code == 0
    out = capsys.readouterr().out
    assert {f.type for f in parse_fact_text(out, "<stdout>").facts} >= {"spn_listing"}
    assert "setspn-L lines 2-3" not in out
    assert "setspn-L lines 2-3" in err


def test_a_report_in_a_missing_folder_exits_2_and_writes_nothing(
    paste: Path, tmp_path: Path
) -> None:
    facts = tmp_path / "f.yaml"
    report = tmp_path / "missing" / "import.json"
    code, err = _run("--import", str(paste), "-o", str(facts), "--report", str(report))
    assert code == 2
    assert f"cannot write {report}: No such file or directory" in err
    assert not facts.exists()
    assert not report.parent.exists()
    assert "setspn-L" not in err  # refused before anything was read


def test_report_needs_import_and_a_file_of_its_own(paste: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    # live collection alone imports no file: there is nothing to report on (checked before any
    # directory is asked)
    code, err = _run("--domain", "corp.example.com", "--dc", "192.0.2.1", "--report", str(out))
    assert (code, "--report needs --import" in err) == (2, True)
    code, err = _run("--import", str(paste), "-o", str(out), "--report", str(out), "--lang", "pl")
    assert (code, f"--report i -o wskazują ten sam plik ({out})" in err) == (2, True)
    assert not out.exists()


def test_the_report_follows_a_symbolic_link_and_replaces_its_target(
    paste: Path, tmp_path: Path
) -> None:
    target = tmp_path / "reports" / "import.json"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    assert (
        _run("--import", str(paste), "-o", str(tmp_path / "f.yaml"), "--report", str(link))[0] == 0
    )
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["kbdoctor"] == "import-report/1"


def test_the_report_is_written_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("call the customer back\n", encoding="utf-8")
    report = tmp_path / "import.json"
    code, err = _run("--import", str(tmp_path), "--report", str(report))
    assert code == 2
    assert "nothing could be read" in err
    [file] = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert (file["status"], file["blocks"][0]["reader"]) == ("unrecognised", None)
